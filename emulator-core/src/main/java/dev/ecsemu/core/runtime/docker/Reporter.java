package dev.ecsemu.core.runtime.docker;

import dev.ecsemu.core.runtime.RuntimeListener;
import dev.ecsemu.core.runtime.TaskAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;

/**
 * Delivers reports to the {@link RuntimeListener} on one thread of its own, in the order they were
 * handed in. Nothing that calls Docker waits for the listener, and the listener is never called while
 * a lock of the runtime is held.
 */
final class Reporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reporter.class);

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "docker-runtime-reporter");
        t.setDaemon(true);
        return t;
    });
    private volatile RuntimeListener listener = RuntimeListener.IGNORE;

    void listener(RuntimeListener listener) {
        this.listener = listener == null ? RuntimeListener.IGNORE : listener;
    }

    void pullStarted(String taskArn, String name) {
        deliver("pullStarted", l -> l.pullStarted(taskArn, name));
    }

    void pullStopped(String taskArn, String name, String digest) {
        deliver("pullStopped", l -> l.pullStopped(taskArn, name, digest));
    }

    void started(String taskArn, String name, String id, List<NetworkBinding> bindings) {
        deliver("containerStarted", l -> l.containerStarted(taskArn, name, id, bindings));
    }

    void health(String taskArn, String name, HealthStatus health) {
        deliver("containerHealth", l -> l.containerHealth(taskArn, name, health));
    }

    void stopped(String taskArn, String name, Integer exitCode, String reason) {
        deliver("containerStopped", l -> l.containerStopped(taskArn, name, exitCode, reason));
    }

    void failed(String taskArn, String name, String reason) {
        deliver("containerFailed", l -> l.containerFailed(taskArn, name, reason));
    }

    void networkAttached(String taskArn, TaskAddress address) {
        deliver("taskNetworkAttached", l -> l.taskNetworkAttached(taskArn, address));
    }

    void networkFailed(String taskArn, String reason) {
        deliver("taskNetworkFailed", l -> l.taskNetworkFailed(taskArn, reason));
    }

    void networkLost(String taskArn) {
        deliver("taskNetworkLost", l -> l.taskNetworkLost(taskArn));
    }

    private interface Call {
        void on(RuntimeListener listener);
    }

    private void deliver(String what, Call call) {
        try {
            thread.execute(() -> {
                try {
                    call.on(listener);
                } catch (RuntimeException e) {
                    LOG.warn("the runtime listener failed on {}", what, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("runtime closed; {} not reported", what);
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
