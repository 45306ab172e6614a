package dev.ecsemu.api;

import dev.ecsemu.api.ecs.EcsApi;
import dev.ecsemu.api.protocol.JsonDispatcher;
import dev.ecsemu.api.protocol.JsonService;
import dev.ecsemu.api.server.HttpServer;
import dev.ecsemu.api.server.ServerOptions;
import dev.ecsemu.core.runtime.ContainerRuntime;
import dev.ecsemu.core.state.Stores;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.Properties;

/** A running emulator: its state, its container runtime and its server. Close it to stop. */
public final class Emulator implements AutoCloseable {
    private final ServerOptions options;
    private final Stores stores;
    private final ContainerRuntime runtime;
    private final JsonService ecs;
    private final HttpServer server;

    private Emulator(ServerOptions options, ContainerRuntime runtime, Clock clock) throws InterruptedException {
        this.options = options;
        this.runtime = runtime;
        this.stores = new Stores(clock);
        this.ecs = EcsApi.service();
        runtime.start(dev.ecsemu.core.runtime.RuntimeListener.IGNORE);
        this.server = new HttpServer(options, new JsonDispatcher(ecs), stores, runtime::status, version());
    }

    public static Emulator start(ServerOptions options, ContainerRuntime runtime) {
        return start(options, runtime, Clock.systemUTC());
    }

    public static Emulator start(ServerOptions options, ContainerRuntime runtime, Clock clock) {
        try {
            return new Emulator(options, runtime, clock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting", e);
        }
    }

    public int port() {
        return server.port();
    }

    /** The endpoint clients point at, e.g. {@code http://127.0.0.1:5327}. */
    public URI endpoint() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        }
        return URI.create("http://" + host + ":" + port());
    }

    public ServerOptions options() {
        return options;
    }

    public Stores stores() {
        return stores;
    }

    public ContainerRuntime runtime() {
        return runtime;
    }

    public JsonService ecs() {
        return ecs;
    }

    public static String version() {
        Properties p = new Properties();
        try (InputStream in = Emulator.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "dev");
    }

    @Override
    public void close() {
        server.close();
        runtime.close();
    }
}
