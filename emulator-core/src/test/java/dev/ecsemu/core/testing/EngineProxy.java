package dev.ecsemu.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP front for the local Docker socket that a test can take down and bring back up on the same
 * port: the engine "goes away" for whoever talks to it through the proxy (its connections are cut and new
 * ones refused), while the real engine and everyone else are untouched.
 */
public final class EngineProxy implements AutoCloseable {
    private static final Path DOCKER_SOCKET = Path.of("/var/run/docker.sock");

    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private final int port;
    private volatile ServerSocket server;

    public EngineProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        port = server.getLocalPort();
        accept(server);
    }

    /** The address to give docker-java: {@code tcp://127.0.0.1:<port>}. */
    public String dockerHost() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Cuts every connection and refuses new ones. */
    public synchronized void down() {
        close(server);
        for (AutoCloseable c : open) {
            close(c);
        }
        open.clear();
    }

    /** Accepts connections again, on the same port. */
    public synchronized void up() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server = s;
        accept(s);
    }

    private void accept(ServerSocket s) {
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    SocketChannel engine = SocketChannel.open(StandardProtocolFamily.UNIX);
                    engine.connect(UnixDomainSocketAddress.of(DOCKER_SOCKET));
                    open.add(client);
                    open.add(engine);
                    InputStream fromClient = client.getInputStream();
                    OutputStream toClient = client.getOutputStream();
                    // The channel's own read and write, not Channels' streams: those share one lock, and a
                    // blocked read would stall every write.
                    pump(() -> {
                        byte[] buffer = new byte[16384];
                        int n;
                        while ((n = fromClient.read(buffer)) >= 0) {
                            ByteBuffer out = ByteBuffer.wrap(buffer, 0, n);
                            while (out.hasRemaining()) {
                                engine.write(out);
                            }
                        }
                    }, client, engine);
                    pump(() -> {
                        ByteBuffer in = ByteBuffer.allocate(16384);
                        while (engine.read(in) >= 0) {
                            toClient.write(in.array(), 0, in.position());
                            toClient.flush();
                            in.clear();
                        }
                    }, client, engine);
                } catch (IOException e) {
                    return;
                }
            }
        }, "engine-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    private interface Copy {
        void run() throws IOException;
    }

    private static void pump(Copy copy, AutoCloseable a, AutoCloseable b) {
        Thread t = new Thread(() -> {
            try {
                copy.run();
            } catch (IOException e) {
                // connection cut
            } finally {
                close(a);
                close(b);
            }
        }, "engine-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void close(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        down();
    }
}
