package dev.ecsemu.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS JSON 1.1 calls over one keep-alive HTTP/1.1 connection, the same bytes for ecs-emu and moto: no
 * SDK in between, so that what is measured is the server. A fixed SigV4-looking Authorization header
 * carries the credential scope (account and region) both servers read; neither checks the signature.
 * One instance is one connection: not for sharing between threads.
 */
public final class EcsHttp implements AutoCloseable {
    public static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    public static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDBENCHMARK/20250101/us-east-1/ecs/aws4_request,"
            + " SignedHeaders=content-type;host;x-amz-target, Signature=" + "0".repeat(64);

    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public EcsHttp(int port) {
        this.port = port;
    }

    /** Calls an ECS operation; anything but 200 is an error with the server's answer in its message. */
    public JsonNode call(String operation, Object body) {
        try {
            String json = body instanceof String s ? s : Report.JSON.writeValueAsString(body);
            Answer answer = post("Content-Type: " + CONTENT_TYPE + "\r\nX-Amz-Target: " + TARGET_PREFIX + operation + "\r\nAuthorization: "
                    + AUTHORIZATION + "\r\n", json);
            if (answer.status != 200) {
                throw new IllegalStateException(operation + " answered " + answer.status + ": " + answer.body);
            }
            return Report.JSON.readTree(answer.body);
        } catch (IOException e) {
            throw new IllegalStateException(operation + " failed: " + e, e);
        }
    }

    /** moto's EC2 RunInstances (query protocol): moto registers only container instances of EC2 instances it knows. */
    public List<String> runEc2Instances(int count, String instanceType) {
        try {
            String form = "Action=RunInstances&Version=2016-11-15&ImageId=ami-12c6146b&MinCount=" + count + "&MaxCount=" + count
                    + "&InstanceType=" + URLEncoder.encode(instanceType, StandardCharsets.UTF_8);
            Answer answer = post("Content-Type: application/x-www-form-urlencoded\r\nAuthorization: " + AUTHORIZATION.replace("/ecs/", "/ec2/")
                    + "\r\n", form);
            List<String> ids = new ArrayList<>();
            Matcher m = Pattern.compile("<instanceId>([^<]+)</instanceId>").matcher(answer.body);
            while (m.find()) {
                ids.add(m.group(1));
            }
            if (answer.status != 200 || ids.size() != count) {
                throw new IllegalStateException("EC2 RunInstances answered " + answer.status + ": " + answer.body);
            }
            return ids;
        } catch (IOException e) {
            throw new IllegalStateException("EC2 RunInstances failed: " + e, e);
        }
    }

    @Override
    public void close() {
        disconnect();
    }

    private record Answer(int status, String body, boolean close) {
    }

    private Answer post(String headers, String body) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        byte[] request = ("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers + "Content-Length: " + content.length
                + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        boolean reused = socket != null;
        try {
            connect();
            byte[] all = new byte[request.length + content.length];
            System.arraycopy(request, 0, all, 0, request.length);
            System.arraycopy(content, 0, all, request.length, content.length);
            out.write(all);
            out.flush();
            Answer answer = read();
            if (answer.close) {
                disconnect();
            }
            return answer;
        } catch (IOException e) {
            disconnect();
            if (reused) {
                return post(headers, body); // the server closed an idle keep-alive connection: once more on a new one
            }
            throw e;
        }
    }

    private void connect() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.setSoTimeout(60_000);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = socket.getOutputStream();
        }
    }

    private void disconnect() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // gone already
            }
            socket = null;
        }
    }

    /** One HTTP/1.1 response: the status line, headers, then a Content-Length or chunked body. */
    private Answer read() throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = parts[0].equals("HTTP/1.0");
        for (String h = line(); !h.isEmpty(); h = line()) {
            String name = h.substring(0, Math.max(0, h.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(h.indexOf(':') + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close") ? true : value.equalsIgnoreCase("keep-alive") ? false : close;
                default -> { }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0; size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        } else {
            body.write(in.readAllBytes());
            close = true;
        }
        return new Answer(status, body.toString(StandardCharsets.UTF_8), close);
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    /**
     * One ListClusters on a fresh connection, the way a client's first call finds a starting server:
     * true once the answer is a 200 carrying clusterArns; false while nothing listens or answers yet.
     */
    public static boolean listClustersAnswers(int port) {
        try (EcsHttp http = new EcsHttp(port)) {
            return http.call("ListClusters", "{}").has("clusterArns");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
