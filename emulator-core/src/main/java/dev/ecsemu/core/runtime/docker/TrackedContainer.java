package dev.ecsemu.core.runtime.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;

/**
 * One container of a task as the runtime knows it, and the guard of the order of its reports:
 * pullStarted, pullStopped, containerStarted, containerHealth*, then exactly one containerStopped.
 * An exit or a health verdict that Docker reports before the start was reported is held back and
 * reported right after it.
 */
final class TrackedContainer {
    final String taskArn;
    final String name;
    /** Held while the container is created and started, and while it is stopped: the two never overlap. */
    final ReentrantLock operations = new ReentrantLock();

    volatile String dockerId;
    volatile String dockerName;
    volatile boolean stopRequested;
    volatile boolean hasHealthCheck;

    // Guarded by this.
    private boolean launching;
    private boolean started;
    private boolean failed;
    private boolean stopReported;
    private boolean exitHeld;
    private Integer heldExitCode;
    private String heldReason;
    private final List<HealthStatus> heldHealth = new ArrayList<>();
    private HealthStatus lastHealth;

    TrackedContainer(String taskArn, String name) {
        this.taskArn = taskArn;
        this.name = name;
    }

    /** Claims the container for a launch; false if it is already launching, launched or stopped. */
    synchronized boolean beginLaunch() {
        if (launching || started || failed || stopReported || dockerId != null) {
            return false;
        }
        launching = true;
        return true;
    }

    synchronized boolean launching() {
        return launching;
    }

    synchronized boolean startReported() {
        return started;
    }

    synchronized boolean stopReported() {
        return stopReported;
    }

    /** Nothing more will be reported about this container, short of a stop request after a failure. */
    synchronized boolean finished() {
        return !launching && (stopReported || failed);
    }

    /** The container runs: reports it, then whatever Docker said about it in the meantime. */
    synchronized void started(Reporter reporter, String id, List<NetworkBinding> bindings) {
        if (started || failed || stopReported) {
            return;
        }
        started = true;
        reporter.started(taskArn, name, id, bindings);
        for (HealthStatus h : heldHealth) {
            reportHealth(reporter, h);
        }
        heldHealth.clear();
        flushHeldExit(reporter);
    }

    /** The launch is over (started or not); an exit held for it is reported now. */
    synchronized void launchEnded(Reporter reporter) {
        launching = false;
        flushHeldExit(reporter);
    }

    private void flushHeldExit(Reporter reporter) {
        if (exitHeld && !stopReported) {
            exitHeld = false;
            stopReported = true;
            reporter.stopped(taskArn, name, heldExitCode, heldReason);
        }
    }

    /**
     * Docker says the container exited: reports containerStopped once, after containerStarted. Ignored for a
     * container whose launch failed (Docker may report a container that could not start as died).
     */
    synchronized void exited(Reporter reporter, Integer exitCode, String reason) {
        if (stopReported || failed || exitHeld) {
            return;
        }
        if (launching && !started) {
            hold(exitCode, reason);
            return;
        }
        stopReported = true;
        reporter.stopped(taskArn, name, exitCode, reason);
    }

    /**
     * A stop was asked for a container that never ran (never created, still pulling, or failed): reports
     * containerStopped without an exit code, once, so that the task can finish.
     */
    synchronized void stoppedWithoutRunning(Reporter reporter) {
        if (stopReported || exitHeld) {
            return;
        }
        if (launching && !started) {
            hold(null, null);
            return;
        }
        stopReported = true;
        reporter.stopped(taskArn, name, null, null);
    }

    private void hold(Integer exitCode, String reason) {
        exitHeld = true;
        heldExitCode = exitCode;
        heldReason = reason;
    }

    /**
     * The launch failed: reports containerFailed (and containerStopped after it if a stop was already asked
     * for), unless the container was already reported started or stopped.
     */
    synchronized void failed(Reporter reporter, String reason) {
        if (stopReported || started || failed) {
            return;
        }
        failed = true;
        heldHealth.clear();
        reporter.failed(taskArn, name, reason);
        if (stopRequested) {
            exitHeld = false;
            stopReported = true;
            reporter.stopped(taskArn, name, null, null);
        } else {
            exitHeld = false;
        }
    }

    synchronized void health(Reporter reporter, HealthStatus health) {
        if (!hasHealthCheck || failed || stopReported || exitHeld) {
            return;
        }
        if (!started) {
            heldHealth.add(health);
            return;
        }
        reportHealth(reporter, health);
    }

    private void reportHealth(Reporter reporter, HealthStatus health) {
        if (health != lastHealth) {
            lastHealth = health;
            reporter.health(taskArn, name, health);
        }
    }
}
