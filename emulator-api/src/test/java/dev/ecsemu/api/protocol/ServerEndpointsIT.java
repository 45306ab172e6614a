package dev.ecsemu.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.Emulator;
import dev.ecsemu.api.ecs.EcsApi;
import dev.ecsemu.api.testing.Json;
import dev.ecsemu.api.testing.TestEmulator;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.ecs.model.SettingName;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionFamilyStatus;

/**
 * The server itself: its own endpoints (health, reset), what it answers off the AWS APIs, the headers
 * every AWS answer carries, and connections that serve many requests.
 */
class ServerEndpointsIT {
    private static final String ECS = EcsApi.TARGET_PREFIX + ".";
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static TestEmulator emu;

    @BeforeAll
    static void start() {
        emu = TestEmulator.modelOnly();
    }

    @AfterAll
    static void stop() {
        if (emu != null) {
            emu.close();
        }
    }

    @BeforeEach
    void clean() {
        assertThat(emu.postEmpty("/_ecs-emu/reset").statusCode()).isEqualTo(200);
    }

    @Test
    void healthNamesVersionAndEngine() {
        HttpResponse<String> response = emu.get("/_ecs-emu/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        Map<String, Object> health = Json.object(response.body());
        assertThat(health).containsEntry("status", "running").containsEntry("version", Emulator.version());
        assertThat((String) health.get("version")).isNotBlank();
        @SuppressWarnings("unchecked")
        Map<String, Object> engine = (Map<String, Object>) health.get("engine");
        assertThat(engine).containsEntry("name", "none").containsEntry("available", true);
        assertThat((String) engine.get("detail")).isNotBlank();
        assertThat(health).containsEntry("defaultAccount", "000000000000").containsEntry("defaultRegion", "us-east-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/_ecs-emu/reset", "/moto-api/reset"})
    @SuppressWarnings("unchecked") // the SDK's varargs of Consumer<Builder>
    void resetWipesEveryAccountAndRegion(String path) {
        List<EcsClient> clients = List.of(
                emu.ecs(),
                emu.ecs("111111111111", Region.EU_WEST_1),
                emu.ecs("111111111111", Region.US_EAST_1),
                emu.ecs("222222222222", Region.AP_SOUTHEAST_2));
        try {
            for (EcsClient c : clients) {
                c.createCluster(r -> r.clusterName("before-reset"));
                c.registerTaskDefinition(r -> r.family("fam").containerDefinitions(d -> d.name("a").image("nginx").memory(64)));
                c.putAccountSetting(r -> r.name(SettingName.CONTAINER_INSIGHTS).value("enabled"));
            }
            assertThat(clients.get(1).listClusters().clusterArns()).containsExactly("arn:aws:ecs:eu-west-1:111111111111:cluster/before-reset");
            assertThat(clients.get(3).listClusters().clusterArns())
                    .containsExactly("arn:aws:ecs:ap-southeast-2:222222222222:cluster/before-reset");

            HttpResponse<String> reset = emu.postEmpty(path);
            assertThat(reset.statusCode()).isEqualTo(200);
            assertThat(Json.object(reset.body())).containsEntry("status", "reset");

            for (EcsClient c : clients) {
                assertThat(c.listClusters().clusterArns()).isEmpty();
                DescribeClustersResponse gone = c.describeClusters(r -> r.clusters("before-reset"));
                assertThat(gone.clusters()).isEmpty();
                assertThat(gone.failures()).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("MISSING"));
                assertThat(c.listTaskDefinitionFamilies(r -> r.status(TaskDefinitionFamilyStatus.ALL)).families()).isEmpty();
                assertThat(c.listAccountSettings(r -> r.effectiveSettings(false)).settings()).isEmpty();
                // Nothing is remembered: revision numbers start again at 1.
                assertThat(c.registerTaskDefinition(r -> r.family("fam").containerDefinitions(d -> d.name("a").image("nginx").memory(64)))
                        .taskDefinition().revision()).isEqualTo(1);
            }
        } finally {
            clients.forEach(EcsClient::close);
        }
    }

    @Test
    void resetOnlyAnswersPost() {
        try (EcsClient c = emu.ecs()) {
            c.createCluster(r -> r.clusterName("kept"));
            assertThat(emu.get("/_ecs-emu/reset").statusCode()).isEqualTo(404);
            assertThat(emu.get("/moto-api/reset").statusCode()).isEqualTo(404);
            assertThat(c.listClusters().clusterArns()).hasSize(1);
        }
    }

    @Test
    void rootAnswersAndUnknownPathsAreNotFound() {
        HttpResponse<String> root = emu.get("/");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).contains("ecs-emu");

        for (String path : List.of("/nope", "/_ecs-emu/nope", "/_ecs-emu/health/extra", "/2014-11-13/clusters")) {
            HttpResponse<String> get = emu.get(path);
            assertThat(get.statusCode()).as("GET %s", path).isEqualTo(404);
            assertThat(get.body()).as("GET %s", path).contains(path);
            assertThat(emu.postEmpty(path).statusCode()).as("POST %s", path).isEqualTo(404);
        }
        // A POST / that is no AWS JSON call says what is missing.
        HttpResponse<String> noTarget = emu.postEmpty("/");
        assertThat(noTarget.statusCode()).isEqualTo(400);
        assertThat(noTarget.body()).contains("X-Amz-Target");
    }

    @Test
    void everyAwsAnswerHasARequestIdAndTheJsonContentType() {
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(emu.post(ECS + "ListClusters", "{}"));
        answers.add(emu.post(ECS + "CreateCluster", "{\"clusterName\":\"ids\"}"));
        answers.add(emu.post(ECS + "DescribeClusters", "{\"clusters\":[\"ids\",\"missing\"]}"));
        answers.add(emu.post(ECS + "DeleteCluster", "{\"cluster\":\"missing\"}"));
        answers.add(emu.post(ECS + "ListClusters", "not json"));
        answers.add(emu.post(ECS + "RunTask", "{}"));
        answers.add(emu.post(ECS + "NoSuchOperation", "{}"));
        answers.add(emu.post("Logs_20140328.CreateLogGroup", "{}"));
        answers.add(emu.post("Nobody_2020.Nothing", "{}"));
        Set<String> ids = new HashSet<>();
        for (HttpResponse<String> a : answers) {
            assertThat(a.headers().firstValue("Content-Type")).as("%s", a.body()).hasValue("application/x-amz-json-1.1");
            String id = a.headers().firstValue("x-amzn-RequestId").orElseThrow();
            assertThat(id).matches(UUID);
            ids.add(id);
            Json.object(a.body());
            if (a.statusCode() != 200) {
                assertThat(a.headers().firstValue("X-Amzn-ErrorType")).as("%s", a.body()).isPresent();
            } else {
                assertThat(a.headers().firstValue("X-Amzn-ErrorType")).isEmpty();
            }
        }
        assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 400, 400, 400, 400, 400, 400);
        assertThat(ids).as("request ids are unique").hasSize(answers.size());
    }

    @Test
    void oneKeepAliveConnectionServesManySequentialRequests() throws IOException {
        try (RawConnection c = new RawConnection()) {
            for (int i = 0; i < 150; i++) {
                RawResponse r;
                switch (i % 5) {
                    case 0:
                        r = c.exchange(awsJson("CreateCluster", "{\"clusterName\":\"keep-" + i + "\"}"));
                        assertThat(r.status).isEqualTo(200);
                        assertThat(r.body).contains("keep-" + i);
                        break;
                    case 1:
                        r = c.exchange(awsJson("ListClusters", "{]"));
                        assertThat(r.status).isEqualTo(400);
                        assertThat(r.headers.get("x-amzn-errortype")).isEqualTo("SerializationException");
                        break;
                    case 2:
                        r = c.exchange(("GET /_ecs-emu/health HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        assertThat(r.status).isEqualTo(200);
                        break;
                    case 3:
                        r = c.exchange(("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        assertThat(r.status).isEqualTo(404);
                        break;
                    default:
                        r = c.exchange(awsJson("RunTask", "{}"));
                        assertThat(r.status).isEqualTo(400);
                        break;
                }
                assertThat(r.headers.get("connection")).as("request %d", i).isNotEqualToIgnoringCase("close");
            }
        }
        try (EcsClient c = emu.ecs()) {
            assertThat(c.listClusters().clusterArns()).hasSize(30);
        }
    }

    @Test
    void aConnectionStaysUsableAfterAnOversizedBody() throws IOException {
        byte[] big = new byte[9 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        try (RawConnection c = new RawConnection()) {
            RawResponse tooLarge = c.exchange(awsJson("ListClusters", big));
            assertThat(tooLarge.status).isEqualTo(413);
            assertThat(tooLarge.headers.get("x-amzn-errortype")).isEqualTo("SerializationException");
            assertThat(tooLarge.body).contains(String.valueOf(big.length));
            RawResponse next = c.exchange(awsJson("ListClusters", "{}"));
            assertThat(next.status).isEqualTo(200);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        int n = 20;
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            all.write(awsJson("CreateCluster", "{\"clusterName\":\"pipe-" + i + "\"}"));
        }
        try (RawConnection c = new RawConnection()) {
            c.out.write(all.toByteArray());
            c.out.flush();
            for (int i = 0; i < n; i++) {
                RawResponse r = c.read();
                assertThat(r.status).as("answer %d", i).isEqualTo(200);
                assertThat(r.body).as("answer %d", i).contains("cluster/pipe-" + i + "\"");
            }
        }
    }

    @Test
    void http10WithoutKeepAliveIsAnsweredAndClosed() throws IOException {
        try (RawConnection c = new RawConnection()) {
            c.out.write("GET /_ecs-emu/health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            RawResponse r = c.read();
            assertThat(r.status).isEqualTo(200);
            assertThat(c.in.read()).as("end of stream after the answer").isEqualTo(-1);
        }
    }

    @Test
    void twoHundredSequentialCallsOnOneSdkClientAllSucceed() {
        try (EcsClient c = emu.ecs()) {
            c.createCluster(r -> r.clusterName("warm"));
            for (int i = 0; i < 200; i++) {
                DescribeClustersResponse r = c.describeClusters(d -> d.clusters("warm"));
                assertThat(r.clusters()).as("call %d", i).singleElement().satisfies(cl -> assertThat(cl.status()).isEqualTo("ACTIVE"));
                assertThat(r.responseMetadata().requestId()).matches(UUID);
            }
        }
    }

    @Test
    void concurrentClientsAreAllAnswered() throws Exception {
        int threads = 8;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (EcsClient c = emu.ecs()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String name = "c-" + thread + "-" + i;
                        c.createCluster(r -> r.clusterName(name));
                        assertThat(c.describeClusters(r -> r.clusters(name)).clusters()).hasSize(1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(c.listClusters(r -> r.maxResults(100)).clusterArns()).hasSize(100);
            assertThat(c.listClusters(r -> r.maxResults(100)).nextToken()).isNotNull();
        } finally {
            pool.shutdownNow();
        }
    }

    // A raw HTTP/1.1 connection, to see what an HTTP client library would hide. ---------------------

    private static byte[] awsJson(String operation, String body) {
        return awsJson(operation, body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] awsJson(String operation, byte[] body) {
        String head = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\n"
                + "X-Amz-Target: " + ECS + operation + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + body.length);
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private record RawResponse(int status, Map<String, String> headers, String body) {
    }

    private static final class RawConnection implements Closeable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        RawConnection() throws IOException {
            socket = new Socket(emu.endpoint().getHost(), emu.endpoint().getPort());
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        RawResponse exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            return read();
        }

        RawResponse read() throws IOException {
            String statusLine = line();
            assertThat(statusLine).startsWith("HTTP/1.1 ");
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.get("content-length"));
            byte[] body = in.readNBytes(length);
            assertThat(body).hasSize(length);
            return new RawResponse(status, headers, new String(body, StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed mid-answer");
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
