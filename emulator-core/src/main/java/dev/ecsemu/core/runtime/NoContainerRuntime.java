package dev.ecsemu.core.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;

/**
 * Engine {@code none}: the full control-plane model, no containers. Every container "starts" at once
 * and runs until it is stopped, which it then does with exit code 0. Dynamic host ports are handed out
 * from the ephemeral range but nothing is bound.
 */
public final class NoContainerRuntime implements ContainerRuntime {
    private static final EngineStatus STATUS = new EngineStatus("none", true,
            "model only: tasks follow the ECS lifecycle but no containers are started");
    private static final int FIRST_EPHEMERAL_PORT = 32768;
    private static final int LAST_EPHEMERAL_PORT = 60999;
    /** Model addresses of awsvpc tasks: 10.0.0.10 onwards, wrapping within 10.0.0.0/16. */
    private static final int FIRST_MODEL_ADDRESS = 10;

    private final ExecutorService reporter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "model-runtime");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger nextPort = new AtomicInteger(FIRST_EPHEMERAL_PORT);
    private final AtomicInteger nextAddress = new AtomicInteger(FIRST_MODEL_ADDRESS);
    private volatile RuntimeListener listener;

    @Override
    public EngineStatus status() {
        return STATUS;
    }

    @Override
    public void start(RuntimeListener listener) {
        this.listener = listener;
    }

    /** An awsvpc task gets a model address at once: nothing is created, but DescribeTasks shows the attachment. */
    @Override
    public void attachTaskNetwork(TaskNetworkSpec spec) {
        int n = nextAddress.getAndUpdate(a -> a >= 65534 ? FIRST_MODEL_ADDRESS : a + 1);
        String ip = "10.0." + (n >> 8) + "." + (n & 0xff);
        String mac = String.format("0a:00:00:00:%02x:%02x", n >> 8, n & 0xff);
        reporter.execute(() -> listener.taskNetworkAttached(spec.taskArn(), new TaskAddress(ip, mac)));
    }

    @Override
    public void startContainer(ContainerSpec spec) {
        reporter.execute(() -> {
            listener.pullStarted(spec.taskArn(), spec.containerName());
            listener.pullStopped(spec.taskArn(), spec.containerName(), null);
            listener.containerStarted(spec.taskArn(), spec.containerName(), "model-" + spec.taskId() + "-" + spec.containerName(),
                    bindings(spec));
        });
    }

    @Override
    public void stopContainer(String taskArn, String containerName, Duration timeout) {
        reporter.execute(() -> listener.containerStopped(taskArn, containerName, 0, null));
    }

    @Override
    public void removeTask(String taskArn) {
    }

    private List<NetworkBinding> bindings(ContainerSpec spec) {
        List<NetworkBinding> out = new ArrayList<>();
        if (spec.networkMode() == NetworkMode.AWSVPC || spec.networkMode() == NetworkMode.NONE) {
            return out;
        }
        for (PortMapping p : spec.definition().portMappings()) {
            if (p.containerPort() == null) {
                continue;
            }
            int hostPort = p.hostPort() != null && p.hostPort() != 0 ? p.hostPort() : nextDynamicPort();
            out.add(NetworkBinding.builder().bindIP(spec.hostIp()).containerPort(p.containerPort()).hostPort(hostPort)
                    .protocol(p.protocol()).build());
        }
        return out;
    }

    private int nextDynamicPort() {
        return nextPort.getAndUpdate(p -> p >= LAST_EPHEMERAL_PORT ? FIRST_EPHEMERAL_PORT : p + 1);
    }

    @Override
    public void close() {
        reporter.shutdownNow();
    }
}
