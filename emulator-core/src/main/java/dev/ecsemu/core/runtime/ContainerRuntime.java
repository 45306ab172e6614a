package dev.ecsemu.core.runtime;

import java.time.Duration;

/**
 * The port through which the emulator runs containers. {@code DockerRuntime} drives a Docker
 * engine; {@link NoContainerRuntime} keeps the control-plane model only. Every call returns at once;
 * outcomes arrive through the {@link RuntimeListener} given to {@link #start}.
 */
public interface ContainerRuntime extends AutoCloseable {

    EngineStatus status();

    /** Begins watching the engine (connection, events) and reporting to the listener. */
    void start(RuntimeListener listener);

    /** How images of registries that need a login are pulled; without it, every image is pulled as the engine would. */
    default void pullWith(RegistryCredentials credentials) {
    }

    /**
     * Gives an awsvpc task its own network namespace with an address of its own (reported through
     * {@link RuntimeListener#taskNetworkAttached} or {@link RuntimeListener#taskNetworkFailed}); the
     * task's containers, started afterwards, join it. {@link #removeTask} releases it.
     */
    void attachTaskNetwork(TaskNetworkSpec spec);

    /**
     * The awsvpc task has stopped: its network namespace and address go now, as ECS deletes a task's
     * network interface while it deprovisions, rather than with its containers after the removal delay.
     */
    default void releaseTaskNetwork(String taskArn) {
    }

    /** How awsvpc tasks' ports are reached from the host; {@link AwsvpcPorts#TASK_IP} unless told otherwise. */
    default void publishAwsvpcPorts(AwsvpcPorts mode) {
    }

    /** Pulls the image if needed, then creates and starts the container. */
    void startContainer(ContainerSpec spec);

    /** Stops a running container: SIGTERM, then SIGKILL after {@code timeout}. */
    void stopContainer(String taskArn, String containerName, Duration timeout);

    /** Removes every container (and task-scoped volume, and the network namespace of an awsvpc task) of a task that has stopped. */
    void removeTask(String taskArn);

    @Override
    void close();
}
