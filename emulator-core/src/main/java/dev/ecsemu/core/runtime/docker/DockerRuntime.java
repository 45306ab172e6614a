package dev.ecsemu.core.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.ecsemu.core.runtime.ContainerRuntime;
import dev.ecsemu.core.runtime.ContainerSpec;
import dev.ecsemu.core.runtime.RuntimeListener;
import dev.ecsemu.core.runtime.EngineStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the Docker engine named by {@code DOCKER_HOST} (default: the local socket). The engine may
 * be absent at start-up or go away later: a watcher checks it and reconnects, and {@link #status()}
 * always says plainly what is the case.
 */
public final class DockerRuntime implements ContainerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);
    private static final Duration CHECK_WHILE_DOWN = Duration.ofSeconds(2);
    private static final Duration CHECK_WHILE_UP = Duration.ofSeconds(10);

    private final ScheduledExecutorService watcher;
    private final CompletableFuture<EngineStatus> firstCheck = new CompletableFuture<>();
    private volatile EngineStatus status = new EngineStatus("docker", false, "checking the Docker engine");
    // Built on the watcher thread: docker-java takes a few hundred milliseconds to set up, and
    // start-up must not wait for it.
    private DockerClientConfig config;
    private DockerClient client;
    private volatile RuntimeListener listener;

    public DockerRuntime() {
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "docker-engine-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void start(RuntimeListener listener) {
        this.listener = listener;
        watcher.execute(this::check);
    }

    @Override
    public void startContainer(ContainerSpec spec) {
        listener.containerFailed(spec.taskArn(), spec.containerName(),
                "CannotStartContainerError: running containers on Docker is not implemented yet");
    }

    @Override
    public void stopContainer(String taskArn, String containerName, Duration timeout) {
        listener.containerStopped(taskArn, containerName, null, null);
    }

    @Override
    public void removeTask(String taskArn) {
    }

    /** The result of the first engine check, for start-up to report. */
    public CompletableFuture<EngineStatus> firstCheck() {
        return firstCheck;
    }

    @Override
    public EngineStatus status() {
        return status;
    }

    private void connect() {
        config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        client = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(2))
                .responseTimeout(Duration.ofSeconds(30))
                .maxConnections(32)
                .build());
    }

    private void check() {
        EngineStatus previous = status;
        EngineStatus now;
        try {
            if (client == null) {
                connect();
            }
            Version version = client.versionCmd().exec();
            now = new EngineStatus("docker", true, "Docker " + version.getVersion() + " (API " + version.getApiVersion() + ") at "
                    + config.getDockerHost());
        } catch (RuntimeException e) {
            String where = config == null ? "DOCKER_HOST" : config.getDockerHost().toString();
            now = new EngineStatus("docker", false, "no Docker engine answers at " + where + " (" + rootMessage(e)
                    + "). Start Docker, or set DOCKER_HOST to an engine that runs; tasks fail until one answers.");
        }
        status = now;
        if (!firstCheck.isDone()) {
            firstCheck.complete(now);
        } else if (now.available() != previous.available()) {
            if (now.available()) {
                LOG.info("Docker engine is available again: {}", now.detail());
            } else {
                LOG.warn("Docker engine went away: {}", now.detail());
            }
        }
        if (!watcher.isShutdown()) {
            Duration next = now.available() ? CHECK_WHILE_UP : CHECK_WHILE_DOWN;
            watcher.schedule(this::check, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        try {
            if (client != null) {
                client.close();
            }
        } catch (IOException e) {
            LOG.debug("closing the Docker client", e);
        }
    }
}
