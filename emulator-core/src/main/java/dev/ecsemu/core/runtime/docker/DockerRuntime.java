package dev.ecsemu.core.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.ecsemu.core.runtime.AwsvpcPorts;
import dev.ecsemu.core.runtime.ContainerRuntime;
import dev.ecsemu.core.runtime.ContainerSpec;
import dev.ecsemu.core.runtime.EngineStatus;
import dev.ecsemu.core.runtime.RegistryCredentials;
import dev.ecsemu.core.runtime.RuntimeListener;
import dev.ecsemu.core.runtime.TaskNetworkSpec;
import dev.ecsemu.core.runtime.docker.ContainerConfigMapper.MappingException;
import dev.ecsemu.core.runtime.docker.ContainerConfigMapper.VolumeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.NetworkMode;

/**
 * Drives the Docker engine named by {@code DOCKER_HOST} (default: the local socket). The engine may
 * be absent at start-up or go away later: a watcher checks it and reconnects, and {@link #status()}
 * always says plainly what is the case.
 *
 * <p>When the engine is (or becomes) available, the runtime removes what dead emulators of this host
 * left behind ({@link OrphanCleanup}) and follows the engine's events for its own containers
 * ({@link DockerEvents}): {@code die} becomes containerStopped, {@code health_status} containerHealth.
 * Containers are created from their definitions by {@link ContainerConfigMapper}; every Docker call runs on
 * the runtime's own threads, and the listener is called from one thread of its own ({@link Reporter}),
 * per container in the order pullStarted, pullStopped, containerStarted, containerHealth*, containerStopped.
 */
public final class DockerRuntime implements ContainerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(20);
    private static final int STOP_ATTEMPTS = 5;
    private static final int REMOVE_ATTEMPTS = 30;
    private static final Duration REMOVE_RETRY_DELAY = Duration.ofSeconds(2);
    private static final Duration STOP_RETRY_DELAY = Duration.ofSeconds(2);
    private static final Duration CHECK_WHILE_DOWN = Duration.ofSeconds(2);
    private static final Duration CHECK_WHILE_UP = Duration.ofSeconds(10);
    private static final Duration RESUBSCRIBE_DELAY = Duration.ofSeconds(1);
    private static final Duration ENGINE_WAIT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
    static final String OOM_REASON = "OutOfMemoryError: Container killed due to memory usage";

    private record Key(String taskArn, String containerName) {
    }

    private final String dockerHost;
    private final ScheduledExecutorService watcher;
    private final ExecutorService workers;
    /** Handles the engine's events one at a time, in the order the engine sent them. */
    private final ExecutorService eventThread;
    private final Reporter reporter = new Reporter();
    private final RuntimeIdentity identity;
    private final DockerEvents events;
    private final CompletableFuture<EngineStatus> firstCheck = new CompletableFuture<>();
    private final CompletableFuture<OrphanCleanup.Result> firstCleanup = new CompletableFuture<>();
    private final Map<Key, TrackedContainer> containers = new ConcurrentHashMap<>();
    private final Map<String, TrackedContainer> byDockerId = new ConcurrentHashMap<>();
    private final TaskNetworkHolders taskNetworks;
    /** The engine's CPUs, which bound a container's CPU limit (Docker refuses more). */
    private volatile int engineCpus = Integer.MAX_VALUE;
    private volatile EngineStatus status = new EngineStatus("docker", false, "checking the Docker engine");
    private volatile boolean closed;
    private volatile RegistryCredentials credentials = RegistryCredentials.NONE;
    /** Whether a retry to open the event stream again is scheduled. */
    private final AtomicBoolean resubscribing = new AtomicBoolean();
    /** Whether an orphan clean-up was started (and did not fail) since the engine last appeared. */
    private volatile boolean cleanedSinceAppeared;
    // Built on the watcher thread: docker-java takes a few hundred milliseconds to set up, and
    // start-up must not wait for it.
    private volatile DockerClientConfig config;
    /** For short calls: answers within 30 s or fails. */
    private volatile DockerClient client;
    /** For calls that may rightly take long: the event stream, pulls, stops. */
    private volatile DockerClient streamingClient;

    public DockerRuntime() {
        this(null, Map.of());
    }

    /**
     * A runtime that adds {@code extraLabels} to every container and volume it creates (Testcontainers' session
     * labels, say); keys starting with {@code ecs-emu.} are refused with an IllegalArgumentException.
     */
    public DockerRuntime(Map<String, String> extraLabels) {
        this(null, extraLabels);
    }

    /** A runtime for the engine at {@code dockerHost} (e.g. {@code tcp://127.0.0.1:2375}); null: as DOCKER_HOST says. */
    DockerRuntime(String dockerHost) {
        this(dockerHost, Map.of());
    }

    private DockerRuntime(String dockerHost, Map<String, String> extraLabels) {
        this.dockerHost = dockerHost;
        this.identity = RuntimeIdentity.current().withExtraLabels(extraLabels);
        this.taskNetworks = new TaskNetworkHolders(identity);
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "docker-engine-watcher");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "docker-runtime-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.eventThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "docker-runtime-events");
            t.setDaemon(true);
            return t;
        });
        this.events = new DockerEvents(identity.pid(), new DockerEvents.Handler() {
            @Override
            public void onEvent(Event event) {
                try {
                    eventThread.execute(() -> handle(event));
                } catch (RejectedExecutionException e) {
                    // closed meanwhile
                }
            }

            @Override
            public void onStreamEnded(Throwable error) {
                if (!closed) {
                    LOG.info("the Docker event stream ended{}; subscribing again once the engine answers",
                            error == null ? "" : " (" + DockerErrors.message(error) + ")");
                    if (resubscribing.compareAndSet(false, true)) {
                        scheduleResubscribe();
                    }
                }
            }
        });
    }

    @Override
    public void start(RuntimeListener listener) {
        reporter.listener(listener);
        watcher.execute(this::check);
    }

    /** The result of the first engine check, for start-up to report. */
    public CompletableFuture<EngineStatus> firstCheck() {
        return firstCheck;
    }

    /** Completes when the first clean-up of orphans after the engine became available is done. */
    CompletableFuture<OrphanCleanup.Result> firstCleanup() {
        return firstCleanup;
    }

    @Override
    public EngineStatus status() {
        return status;
    }

    @Override
    public void pullWith(RegistryCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void publishAwsvpcPorts(AwsvpcPorts mode) {
        taskNetworks.publish(mode);
    }

    // ---------------------------------------------------------------- awsvpc task networks

    @Override
    public void attachTaskNetwork(TaskNetworkSpec spec) {
        if (!execute(() -> attach(spec))) {
            reporter.networkFailed(spec.taskArn(), "ResourceInitializationError: the Docker runtime is closed");
        }
    }

    @Override
    public void releaseTaskNetwork(String taskArn) {
        execute(() -> {
            try {
                taskNetworks.release(engine(), taskArn);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (EngineUnavailableException | RuntimeException e) {
                LOG.debug("releasing the network of task {} failed; its removal tries again: {}", taskArn, DockerErrors.message(e));
            }
        });
    }

    private void attach(TaskNetworkSpec spec) {
        try {
            reporter.networkAttached(spec.taskArn(), taskNetworks.attach(engine(), spec));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reporter.networkFailed(spec.taskArn(), "ResourceInitializationError: the Docker runtime was closed");
        } catch (EngineUnavailableException e) {
            reporter.networkFailed(spec.taskArn(), "ResourceInitializationError: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("setting up the network of task {} failed", spec.taskArn(), e);
            reporter.networkFailed(spec.taskArn(), "ResourceInitializationError: failed to set up the task's network: "
                    + DockerErrors.message(e));
        }
    }

    // ---------------------------------------------------------------- starting containers

    @Override
    public void startContainer(ContainerSpec spec) {
        Key key = new Key(spec.taskArn(), spec.containerName());
        TrackedContainer fresh = new TrackedContainer(spec.taskArn(), spec.containerName());
        // A stop that arrived first (the task was stopped meanwhile) wins: the container is not started.
        TrackedContainer tracked = containers.compute(key, (k, old) -> old == null || (old.finished() && !old.stopRequested) ? fresh : old);
        if (tracked != fresh) {
            LOG.warn("container {} of task {} is already being started or runs; start ignored", spec.containerName(),
                    spec.taskArn());
            return;
        }
        if (!execute(() -> launch(tracked, spec))) {
            tracked.failed(reporter, "CannotStartContainerError: the Docker runtime is closed");
        }
    }

    private void launch(TrackedContainer t, ContainerSpec spec) {
        if (!t.beginLaunch()) {
            return;
        }
        try {
            reporter.pullStarted(spec.taskArn(), spec.containerName());
            DockerClient quick;
            DockerClient streaming;
            try {
                quick = engine();
                streaming = streamingClient;
            } catch (EngineUnavailableException e) {
                t.failed(reporter, "CannotPullContainerError: " + e.getMessage());
                return;
            }
            String digest;
            try {
                digest = Images.ensure(quick, streaming, spec.definition().image(), credentials);
            } catch (Images.PullException e) {
                t.failed(reporter, "CannotPullContainerError: " + e.getMessage());
                return;
            }
            reporter.pullStopped(spec.taskArn(), spec.containerName(), digest);
            t.operations.lock();
            try {
                if (t.stopRequested) {
                    t.stoppedWithoutRunning(reporter);
                    return;
                }
                createAndStart(t, spec, quick, streaming);
            } finally {
                t.operations.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.failed(reporter, "CannotStartContainerError: the Docker runtime was closed");
        } catch (RuntimeException e) {
            LOG.warn("starting container {} of task {} failed", spec.containerName(), spec.taskArn(), e);
            t.failed(reporter, "CannotStartContainerError: " + DockerErrors.message(e));
        } finally {
            t.launchEnded(reporter);
        }
    }

    private void createAndStart(TrackedContainer t, ContainerSpec spec, DockerClient quick, DockerClient streaming)
            throws InterruptedException {
        try {
            // Follow the container's events before it exists, so that no exit slips past.
            ensureSubscribed(streaming);
        } catch (RuntimeException e) {
            t.failed(reporter, "CannotStartContainerError: cannot follow the Docker engine's events: " + DockerErrors.message(e));
            return;
        }
        CreateContainerCmd create = quick.createContainerCmd(spec.definition().image());
        ContainerConfigMapper.Mapped mapped;
        try {
            Map<String, VolumeSource> volumes = TaskVolumes.ensure(quick, spec, identity);
            mapped = ContainerConfigMapper.apply(create, spec, identity, new ContainerConfigMapper.Resolver() {
                @Override
                public String dockerNameOf(String containerName) {
                    TrackedContainer other = containers.get(new Key(spec.taskArn(), containerName));
                    return other == null ? null : other.dockerName;
                }

                @Override
                public VolumeSource volume(String volumeName) {
                    return volumes.get(volumeName);
                }

                @Override
                public String taskNetworkContainer() {
                    return taskNetworks.holderOf(spec.taskArn());
                }
            });
        } catch (MappingException e) {
            t.failed(reporter, e.getMessage());
            return;
        }
        Long nanoCpus = ContainerConfigMapper.nanoCpus(spec.taskCpuUnits(), engineCpus);
        if (nanoCpus != null) {
            create.getHostConfig().withNanoCPUs(nanoCpus);
        }
        Duration stopTimeout = spec.stopTimeout();
        if (stopTimeout != null) {
            create.withStopTimeout(stopSeconds(stopTimeout));
        }
        t.hasHealthCheck = create.getHealthcheck() != null;
        String id;
        try {
            id = create.exec().getId();
        } catch (RuntimeException e) {
            t.failed(reporter, "CannotCreateContainerError: " + DockerErrors.message(e));
            return;
        }
        t.dockerName = mapped.dockerName();
        t.dockerId = id;
        byDockerId.put(id, t);
        try {
            quick.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            t.failed(reporter, "CannotStartContainerError: " + DockerErrors.message(e));
            return;
        }
        List<NetworkBinding> bindings;
        if (spec.networkMode() == NetworkMode.HOST) {
            bindings = NetworkBindings.forHostMode(spec.definition().portMappings(), spec.hostIp());
        } else if (spec.networkMode() == NetworkMode.AWSVPC) {
            bindings = taskNetworks.bindings(spec);
        } else if (spec.networkMode() == NetworkMode.NONE || spec.definition().portMappings().isEmpty()) {
            // Nothing was published, so there is nothing to ask Docker about.
            bindings = List.of();
        } else {
            try {
                InspectContainerResponse inspected = quick.inspectContainerCmd(id).exec();
                bindings = NetworkBindings.fromDocker(
                        inspected.getNetworkSettings() == null ? null : inspected.getNetworkSettings().getPorts(),
                        mapped.rangePorts());
            } catch (NotFoundException gone) {
                bindings = List.of();
            } catch (RuntimeException e) {
                // The container runs: say so, without bindings, rather than calling a running container failed.
                LOG.warn("container {} of task {} started, but its port bindings could not be read: {}", t.name, t.taskArn,
                        DockerErrors.message(e));
                bindings = List.of();
            }
        }
        t.started(reporter, id, bindings);
    }

    // ---------------------------------------------------------------- stopping and removing

    @Override
    public void stopContainer(String taskArn, String containerName, Duration timeout) {
        TrackedContainer t = containers.computeIfAbsent(new Key(taskArn, containerName),
                k -> new TrackedContainer(taskArn, containerName));
        t.stopRequested = true;
        if (!execute(() -> stop(t, timeout == null ? DEFAULT_STOP_TIMEOUT : timeout))) {
            t.stoppedWithoutRunning(reporter);
        }
    }

    private void stop(TrackedContainer t, Duration timeout) {
        stop(t, timeout, 1);
    }

    private void stop(TrackedContainer t, Duration timeout, int attempt) {
        t.operations.lock();
        try {
            String id = t.dockerId;
            if (id == null) {
                // Never created. A launch still pulling sees the request and reports the stop itself.
                if (!t.launching()) {
                    t.stoppedWithoutRunning(reporter);
                }
                return;
            }
            DockerClient streaming;
            try {
                engine();
                streaming = streamingClient;
            } catch (EngineUnavailableException e) {
                // The container may well still run: try again rather than call it stopped.
                retryOrGiveUp(t, timeout, attempt, e.getMessage());
                return;
            }
            try {
                streaming.stopContainerCmd(id).withTimeout(stopSeconds(timeout)).exec();
            } catch (NotModifiedException notRunning) {
                // already stopped (or never started): reported below
            } catch (NotFoundException gone) {
                t.stoppedWithoutRunning(reporter);
                return;
            }
            // The die event reports the exit; this covers an event lost while the engine was away.
            reportIfExited(t, streaming, id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            retryOrGiveUp(t, timeout, attempt, DockerErrors.message(e));
        } finally {
            t.operations.unlock();
        }
    }

    /** A stop that failed is tried again a few times; after that the task is let go rather than left STOPPING for ever. */
    private void retryOrGiveUp(TrackedContainer t, Duration timeout, int attempt, String problem) {
        if (attempt < STOP_ATTEMPTS && !closed) {
            LOG.warn("stopping container {} of task {} failed (attempt {} of {}), trying again: {}", t.name, t.taskArn, attempt,
                    STOP_ATTEMPTS, problem);
            watcher.schedule(() -> execute(() -> stop(t, timeout, attempt + 1)), STOP_RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            LOG.error("stopping container {} of task {} failed {} times; reporting it stopped (its removal force-removes it): {}",
                    t.name, t.taskArn, attempt, problem);
            t.stoppedWithoutRunning(reporter);
        }
    }

    /** Reports the container stopped if Docker says it no longer runs. */
    private void reportIfExited(TrackedContainer t, DockerClient c, String id) {
        InspectContainerResponse r;
        try {
            r = c.inspectContainerCmd(id).exec();
        } catch (NotFoundException gone) {
            if (t.startReported()) {
                t.exited(reporter, null, null);
            } else {
                t.stoppedWithoutRunning(reporter);
            }
            return;
        }
        InspectContainerResponse.ContainerState state = r.getState();
        if (state == null || Boolean.TRUE.equals(state.getRunning())) {
            return;
        }
        if (t.startReported()) {
            t.exited(reporter, exitCode(state), reason(state));
        } else if (!t.launching()) {
            t.stoppedWithoutRunning(reporter);
        }
    }

    private static int stopSeconds(Duration timeout) {
        long millis = Math.max(0, timeout.toMillis());
        return (int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000);
    }

    @Override
    public void removeTask(String taskArn) {
        removeTaskAsync(taskArn);
    }

    /** Removes the task's containers and task-scoped volumes; completes when they are gone. */
    CompletableFuture<Void> removeTaskAsync(String taskArn) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        removeTask(taskArn, done, 1);
        return done;
    }

    /** One removal attempt; one that fails (the engine away, say) is tried again for a while. */
    private void removeTask(String taskArn, CompletableFuture<Void> done, int attempt) {
        boolean queued = execute(() -> {
            try {
                DockerClient c = engine();
                List<Container> found = c.listContainersCmd().withShowAll(true)
                        .withLabelFilter(Map.of(RuntimeIdentity.MANAGED, "true", RuntimeIdentity.TASK_ARN, taskArn)).exec();
                for (Container container : found) {
                    try {
                        c.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                    } catch (NotFoundException gone) {
                        // removed meanwhile
                    }
                }
                TaskVolumes.removeAll(c, taskArn);
                taskNetworks.forget(taskArn);
                containers.keySet().removeIf(k -> k.taskArn().equals(taskArn));
                byDockerId.values().removeIf(t -> t.taskArn.equals(taskArn));
                done.complete(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done.completeExceptionally(e);
            } catch (RuntimeException | EngineUnavailableException e) {
                if (attempt < REMOVE_ATTEMPTS && !closed) {
                    LOG.debug("removing the containers of task {} failed (attempt {}), trying again: {}", taskArn, attempt,
                            DockerErrors.message(e));
                    watcher.schedule(() -> removeTask(taskArn, done, attempt + 1), REMOVE_RETRY_DELAY.toMillis(),
                            TimeUnit.MILLISECONDS);
                } else {
                    LOG.warn("removing the containers of task {} failed: {}", taskArn, DockerErrors.message(e));
                    done.completeExceptionally(e);
                }
            }
        });
        if (!queued) {
            done.completeExceptionally(new IllegalStateException("the Docker runtime is closed"));
        }
    }

    // ---------------------------------------------------------------- events

    private void handle(Event event) {
        String action = event.getAction() != null ? event.getAction() : event.getStatus();
        String id = event.getId() != null ? event.getId() : event.getActor() == null ? null : event.getActor().getId();
        if (action == null || id == null) {
            return;
        }
        TrackedContainer t = byDockerId.get(id);
        if (t == null) {
            String holderOf = action.equals("die") ? taskNetworks.taskOfHolder(id) : null;
            if (holderOf != null) {
                // A holder dies when its task is removed (the task is stopped then: nothing happens) or when killed from outside.
                reporter.networkLost(holderOf);
            }
            return;
        }
        if (action.equals("die")) {
            died(t, id, event);
        } else if (action.startsWith("health_status")) {
            String verdict = action.substring(action.indexOf(':') + 1).trim();
            if (verdict.equals("healthy")) {
                t.health(reporter, HealthStatus.HEALTHY);
            } else if (verdict.equals("unhealthy")) {
                t.health(reporter, HealthStatus.UNHEALTHY);
            }
        }
    }

    private void died(TrackedContainer t, String id, Event event) {
        DockerClient c = client;
        Integer exitCode = null;
        String reason = null;
        try {
            if (c == null) {
                throw new NotFoundException("no client");
            }
            InspectContainerResponse.ContainerState state = c.inspectContainerCmd(id).exec().getState();
            if (state != null && Boolean.TRUE.equals(state.getRunning())) {
                return; // restarted meanwhile
            }
            exitCode = state == null ? null : exitCode(state);
            reason = state == null ? null : reason(state);
        } catch (RuntimeException e) {
            // Removed already: the event itself carries the exit code.
            Map<String, String> attributes = event.getActor() == null ? null : event.getActor().getAttributes();
            String code = attributes == null ? null : attributes.get("exitCode");
            try {
                exitCode = code == null ? null : Integer.valueOf(code);
            } catch (NumberFormatException bad) {
                exitCode = null;
            }
        }
        t.exited(reporter, exitCode, reason);
    }

    private static Integer exitCode(InspectContainerResponse.ContainerState state) {
        Long code = state.getExitCodeLong();
        return code == null ? null : code.intValue();
    }

    private static String reason(InspectContainerResponse.ContainerState state) {
        return Boolean.TRUE.equals(state.getOOMKilled()) ? OOM_REASON : null;
    }

    private void ensureSubscribed(DockerClient streaming) throws InterruptedException {
        if (events.ensureSubscribed(streaming)) {
            // Subscribed again after the stream broke: catch up with what happened meanwhile.
            execute(this::reconcile);
        }
    }

    /** After the event stream was lost: reports what changed for the containers believed running. */
    private void reconcile() {
        DockerClient c = client;
        if (c == null) {
            return;
        }
        for (TrackedContainer t : byDockerId.values()) {
            if (!t.startReported() || t.stopReported() || t.dockerId == null) {
                continue;
            }
            try {
                InspectContainerResponse.ContainerState state = c.inspectContainerCmd(t.dockerId).exec().getState();
                if (state == null) {
                    continue;
                }
                if (state.getHealth() != null && state.getHealth().getStatus() != null) {
                    switch (state.getHealth().getStatus()) {
                        case "healthy" -> t.health(reporter, HealthStatus.HEALTHY);
                        case "unhealthy" -> t.health(reporter, HealthStatus.UNHEALTHY);
                        default -> {
                        }
                    }
                }
                if (!Boolean.TRUE.equals(state.getRunning())) {
                    t.exited(reporter, exitCode(state), reason(state));
                }
            } catch (NotFoundException gone) {
                t.exited(reporter, null, null);
            } catch (RuntimeException e) {
                LOG.debug("reconciling container {}: {}", t.dockerId, DockerErrors.message(e));
            }
        }
    }

    // ---------------------------------------------------------------- engine watching

    private static final class EngineUnavailableException extends Exception {
        EngineUnavailableException(String message) {
            super(message);
        }
    }

    /** The client, once the engine has answered; waits for the first check if it is still under way. */
    private DockerClient engine() throws EngineUnavailableException, InterruptedException {
        if (!status.available()) {
            try {
                firstCheck.get(ENGINE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // reported below
            }
        }
        DockerClient c = client;
        if (c == null || streamingClient == null || !status.available()) {
            throw new EngineUnavailableException(status.detail());
        }
        return c;
    }

    private void connect() {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (dockerHost != null) {
            builder.withDockerHost(dockerHost);
        }
        config = builder.build();
        streamingClient = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(2))
                .maxConnections(64)
                .build());
        client = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(2))
                .responseTimeout(Duration.ofSeconds(30))
                .maxConnections(32)
                .build());
    }

    /**
     * Why no engine answers, and what to do: a socket this user may not open, or none at all, is what a
     * {@code docker run} of the image without {@code --group-add} or without the socket's mount gives.
     */
    static String unavailable(String where, String cause) {
        String advice;
        if (where.startsWith("unix://") && cause.contains("Permission denied")) {
            advice = "This process's user may not open the engine's socket: add it to the socket's group (in a container,"
                    + " docker run --group-add \"$(stat -c %g " + where.substring("unix://".length()) + ")\")";
        } else if (where.startsWith("unix://") && cause.contains("No such file")) {
            advice = "Start Docker, or set DOCKER_HOST to an engine that runs (in a container, mount the engine's socket:"
                    + " docker run -v /var/run/docker.sock:/var/run/docker.sock)";
        } else {
            advice = "Start Docker, or set DOCKER_HOST to an engine that runs";
        }
        return "no Docker engine answers at " + where + " (" + cause + "). " + advice + "; tasks fail until one answers.";
    }

    private void check() {
        if (closed) {
            return;
        }
        EngineStatus previous = status;
        EngineStatus now;
        try {
            if (client == null) {
                connect();
            }
            Version version = client.versionCmd().exec();
            if (engineCpus == Integer.MAX_VALUE) {
                Integer cpus = client.infoCmd().exec().getNCPU();
                engineCpus = cpus == null || cpus < 1 ? Integer.MAX_VALUE : cpus;
            }
            now = new EngineStatus("docker", true, "Docker " + version.getVersion() + " (API " + version.getApiVersion() + ") at "
                    + config.getDockerHost());
        } catch (RuntimeException e) {
            String where = config == null ? "DOCKER_HOST" : config.getDockerHost().toString();
            now = new EngineStatus("docker", false, unavailable(where, rootMessage(e)));
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
        if (now.available()) {
            engineAvailable(!previous.available());
        }
        schedule(now.available() ? CHECK_WHILE_UP : CHECK_WHILE_DOWN);
    }

    /** On the watcher: follow the events again if the stream is gone, and clean up when the engine (re)appears. */
    private void engineAvailable(boolean appeared) {
        try {
            ensureSubscribed(streamingClient);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.warn("cannot follow the Docker engine's events: {}", DockerErrors.message(e));
        }
        if (appeared) {
            cleanedSinceAppeared = false;
        }
        if (!cleanedSinceAppeared) {
            cleanedSinceAppeared = true;
            DockerClient c = client;
            execute(() -> {
                try {
                    OrphanCleanup.Result result = OrphanCleanup.run(c, identity);
                    firstCleanup.complete(result);
                } catch (RuntimeException e) {
                    LOG.warn("cleaning up containers of dead emulators failed: {}", DockerErrors.message(e));
                    firstCleanup.completeExceptionally(e);
                    cleanedSinceAppeared = false;
                }
            });
        }
    }

    /**
     * After the event stream ended: open it again as soon as the engine answers (retrying every second), then
     * catch up with what happened meanwhile. This is a reconnect, not a poll of container state.
     */
    private void resubscribe() {
        if (closed) {
            return;
        }
        try {
            DockerClient c = client;
            if (c != null && streamingClient != null) {
                c.pingCmd().exec();
                ensureSubscribed(streamingClient);
                resubscribing.set(false);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.debug("subscribing to the Docker engine's events again failed: {}", DockerErrors.message(e));
        }
        scheduleResubscribe();
    }

    private void scheduleResubscribe() {
        try {
            if (!closed) {
                watcher.schedule(this::resubscribe, RESUBSCRIBE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void schedule(Duration delay) {
        try {
            if (!closed) {
                watcher.schedule(this::check, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private boolean execute(Runnable r) {
        if (closed) {
            return false;
        }
        try {
            workers.execute(r);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Stops watching the engine. Containers are left as they are: the emulator's shutdown decides about them. */
    @Override
    public void close() {
        closed = true;
        events.close();
        watcher.shutdownNow();
        // Work already asked for (container removals at shutdown above all) is finished, within a bound.
        workers.shutdown();
        try {
            if (!workers.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Docker work still running after {} s at shutdown; abandoning it", CLOSE_GRACE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        // The task networks go last: their holders were removed with the tasks' containers above.
        DockerClient quick = client;
        if (quick != null && status.available()) {
            taskNetworks.removeNetworks(quick);
        }
        eventThread.shutdownNow();
        reporter.close();
        for (DockerClient c : new DockerClient[] {client, streamingClient}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (IOException e) {
                LOG.debug("closing the Docker client", e);
            }
        }
    }
}
