package dev.ecsemu.core.task;

import dev.ecsemu.core.runtime.ContainerSpec;
import dev.ecsemu.core.runtime.TaskNetworkSpec;
import java.time.Duration;

/**
 * Work for the container runtime that a lifecycle step decided on. Steps run under the store's
 * lock; their commands are carried out after it is released.
 */
public interface RuntimeCommand {

    /** Give an awsvpc task its network namespace; its containers start once it is attached. */
    record AttachTaskNetwork(TaskNetworkSpec spec) implements RuntimeCommand {
    }

    /** Create and start a container. */
    record StartContainer(ContainerSpec spec) implements RuntimeCommand {
    }

    /** SIGTERM a container, SIGKILL after the timeout. */
    record StopContainer(String taskArn, String containerName, Duration timeout) implements RuntimeCommand {
    }

    /** When {@code after} has passed, check whether the container's dependencies were met in time. */
    record CheckStartTimeout(String taskArn, String containerName, Duration after) implements RuntimeCommand {
    }

    /** The awsvpc task has stopped: release its address now (its stopped containers stay for their logs). */
    record ReleaseTaskNetwork(String taskArn) implements RuntimeCommand {
    }

    /** The task has stopped: remove its containers once the removal delay has passed. */
    record RemoveTaskLater(String taskArn) implements RuntimeCommand {
    }
}
