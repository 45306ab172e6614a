package dev.ecsemu.core.testing;

import dev.ecsemu.core.runtime.RuntimeListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;

/**
 * A {@link RuntimeListener} that records every report, thread-safely, and lets a test wait for the one it
 * expects (with a timeout; no fixed sleeps).
 */
public final class RecordingListener implements RuntimeListener {
    public static final String PULL_STARTED = "pullStarted";
    public static final String PULL_STOPPED = "pullStopped";
    public static final String STARTED = "containerStarted";
    public static final String HEALTH = "containerHealth";
    public static final String STOPPED = "containerStopped";
    public static final String FAILED = "containerFailed";
    /** Task-level reports about an awsvpc task's network; their container is {@link #TASK}. */
    public static final String NETWORK_ATTACHED = "taskNetworkAttached";
    public static final String NETWORK_FAILED = "taskNetworkFailed";
    public static final String NETWORK_LOST = "taskNetworkLost";
    public static final String TASK = "";

    /** One report; fields that the kind of report does not have are null. */
    public record Report(String kind, String taskArn, String container, long atNanos, String runtimeId,
            List<NetworkBinding> bindings, HealthStatus health, Integer exitCode, String reason, String imageDigest) {
    }

    private final List<Report> reports = new ArrayList<>();

    private synchronized void add(String kind, String taskArn, String container, String runtimeId, List<NetworkBinding> bindings,
            HealthStatus health, Integer exitCode, String reason, String digest) {
        reports.add(new Report(kind, taskArn, container, System.nanoTime(), runtimeId, bindings, health, exitCode, reason, digest));
        notifyAll();
    }

    @Override
    public void pullStarted(String taskArn, String containerName) {
        add(PULL_STARTED, taskArn, containerName, null, null, null, null, null, null);
    }

    @Override
    public void pullStopped(String taskArn, String containerName, String imageDigest) {
        add(PULL_STOPPED, taskArn, containerName, null, null, null, null, null, imageDigest);
    }

    @Override
    public void containerStarted(String taskArn, String containerName, String runtimeId, List<NetworkBinding> bindings) {
        add(STARTED, taskArn, containerName, runtimeId, List.copyOf(bindings), null, null, null, null);
    }

    @Override
    public void containerHealth(String taskArn, String containerName, HealthStatus health) {
        add(HEALTH, taskArn, containerName, null, null, health, null, null, null);
    }

    @Override
    public void containerStopped(String taskArn, String containerName, Integer exitCode, String reason) {
        add(STOPPED, taskArn, containerName, null, null, null, exitCode, reason, null);
    }

    @Override
    public void containerFailed(String taskArn, String containerName, String reason) {
        add(FAILED, taskArn, containerName, null, null, null, null, reason, null);
    }

    /** The address goes in {@code runtimeId} ("ip mac"). */
    @Override
    public void taskNetworkAttached(String taskArn, dev.ecsemu.core.runtime.TaskAddress address) {
        add(NETWORK_ATTACHED, taskArn, TASK, address.privateIpv4Address() + " " + address.macAddress(), null, null, null, null, null);
    }

    @Override
    public void taskNetworkFailed(String taskArn, String reason) {
        add(NETWORK_FAILED, taskArn, TASK, null, null, null, null, reason, null);
    }

    @Override
    public void taskNetworkLost(String taskArn) {
        add(NETWORK_LOST, taskArn, TASK, null, null, null, null, null, null);
    }

    /** Every report about one container so far, in the order they came. */
    public synchronized List<Report> reports(String taskArn, String container) {
        return reports.stream().filter(r -> r.taskArn().equals(taskArn) && r.container().equals(container)).toList();
    }

    /** The kinds of the reports about one container so far, in order. */
    public synchronized List<String> kinds(String taskArn, String container) {
        return reports(taskArn, container).stream().map(Report::kind).toList();
    }

    /** Waits for the first report of this kind about the container, and answers it. */
    public Report await(String taskArn, String container, String kind, Duration timeout) {
        return await(taskArn, container, r -> r.kind().equals(kind), kind, timeout);
    }

    /** Waits for the first report about the container that matches, and answers it. */
    public synchronized Report await(String taskArn, String container, Predicate<Report> matching, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Report r : reports) {
                if (Objects.equals(r.taskArn(), taskArn) && Objects.equals(r.container(), container) && matching.test(r)) {
                    return r;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + what + " for container " + container + " of " + taskArn + " within " + timeout
                        + "; reports so far: " + reports(taskArn, container));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /** Waits until the container was reported stopped or failed, and answers that report. */
    public Report awaitEnd(String taskArn, String container, Duration timeout) {
        return await(taskArn, container, r -> r.kind().equals(STOPPED) || r.kind().equals(FAILED), "containerStopped/Failed",
                timeout);
    }
}
