package dev.ecsemu.api.server;

/**
 * Where the server listens and what unsigned requests act in.
 *
 * @param port 0 picks a free port
 */
public record ServerOptions(String host, int port, String defaultAccount, String defaultRegion, int maxBodyBytes) {
    public static final int DEFAULT_PORT = 5327;
    public static final int DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

    public static ServerOptions defaults() {
        return new ServerOptions("127.0.0.1", DEFAULT_PORT, "000000000000", "us-east-1", DEFAULT_MAX_BODY_BYTES);
    }

    public ServerOptions withPort(int port) {
        return new ServerOptions(host, port, defaultAccount, defaultRegion, maxBodyBytes);
    }
}
