package dev.ecsemu.core.runtime;

import java.util.List;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;

/**
 * What the runtime reports about the containers it runs, as it happens. Calls come from the
 * runtime's own threads; implementations take their store's lock and must not block for long.
 * Containers are named by task ARN and container name.
 */
public interface RuntimeListener {

    /** A listener that ignores everything, for checking an engine without running tasks. */
    RuntimeListener IGNORE = new RuntimeListener() {
        @Override
        public void pullStarted(String taskArn, String containerName) {
        }

        @Override
        public void pullStopped(String taskArn, String containerName, String imageDigest) {
        }

        @Override
        public void containerStarted(String taskArn, String containerName, String runtimeId, List<NetworkBinding> bindings) {
        }

        @Override
        public void containerHealth(String taskArn, String containerName, HealthStatus health) {
        }

        @Override
        public void containerStopped(String taskArn, String containerName, Integer exitCode, String reason) {
        }

        @Override
        public void containerFailed(String taskArn, String containerName, String reason) {
        }

        @Override
        public void taskNetworkAttached(String taskArn, TaskAddress address) {
        }

        @Override
        public void taskNetworkFailed(String taskArn, String reason) {
        }

        @Override
        public void taskNetworkLost(String taskArn) {
        }
    };

    /** An awsvpc task's network namespace exists and has this address; its containers may start. */
    void taskNetworkAttached(String taskArn, TaskAddress address);

    /** An awsvpc task's network could not be set up; {@code reason} is ECS's text ({@code ResourceInitializationError: ...}). */
    void taskNetworkFailed(String taskArn, String reason);

    /**
     * The container holding an attached awsvpc task's network namespace stopped (killed from outside): the
     * task's containers have lost their network.
     */
    void taskNetworkLost(String taskArn);

    /** The image pull for a container began (also called when the image is already present). */
    void pullStarted(String taskArn, String containerName);

    /** The image is present locally; {@code imageDigest} is its repo digest when known, else null. */
    void pullStopped(String taskArn, String containerName, String imageDigest);

    /** The container runs; {@code bindings} are the ports Docker really bound. */
    void containerStarted(String taskArn, String containerName, String runtimeId, List<NetworkBinding> bindings);

    /** The container's health check changed its verdict. */
    void containerHealth(String taskArn, String containerName, HealthStatus health);

    /**
     * The container exited (by itself, killed, OOM). {@code reason} is null for a plain exit, or ECS's
     * text, e.g. {@code OutOfMemoryError: Container killed due to memory usage}.
     */
    void containerStopped(String taskArn, String containerName, Integer exitCode, String reason);

    /**
     * The container could not be started. {@code reason} is ECS's text, beginning with the error's
     * name: {@code CannotPullContainerError: ...}, {@code CannotCreateContainerError: ...},
     * {@code CannotStartContainerError: ...}.
     */
    void containerFailed(String taskArn, String containerName, String reason);
}
