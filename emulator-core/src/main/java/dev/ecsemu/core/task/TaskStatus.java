package dev.ecsemu.core.task;

/** A task's {@code lastStatus}, in the order ECS moves through them. */
public enum TaskStatus {
    PROVISIONING, PENDING, ACTIVATING, RUNNING, DEACTIVATING, STOPPING, DEPROVISIONING, STOPPED;

    public boolean before(TaskStatus other) {
        return ordinal() < other.ordinal();
    }
}
