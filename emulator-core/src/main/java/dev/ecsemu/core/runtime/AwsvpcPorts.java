package dev.ecsemu.core.runtime;

/**
 * How the container ports of awsvpc tasks are reached from the host. A task's own IP is reachable from a
 * Linux host; Docker Desktop (macOS, Windows) does not route to container IPs, so there the ports can also
 * be published on the host's loopback.
 */
public enum AwsvpcPorts {
    /** At the task's IP only, as in a VPC (DescribeTasks: {@code networkBindings} is empty, as in ECS). */
    TASK_IP,
    /**
     * Also on 127.0.0.1, each container port on a dynamic host port of its own, reported in the
     * container's {@code networkBindings} (ECS reports none for awsvpc).
     */
    LOOPBACK
}
