package dev.ecsemu.core.placement;

/**
 * A container instance as the placement engine sees it: what constraints ask about it
 * ({@link InstanceFacts}), plus what is left of it and how many tasks of a group it holds. Reads
 * are live: after a task is placed (its resources reserved, its group counted) the next decision
 * sees it. {@link ContainerInstanceCandidate} implements it over a real instance; tests fake it.
 */
public interface PlacementCandidate extends InstanceFacts {

    /** Only ACTIVE instances take new tasks (DRAINING and INACTIVE ones do not). */
    boolean isActive();

    /** CPU units not reserved by tasks. */
    int remainingCpu();

    /** MiB not reserved by tasks. */
    int remainingMemory();

    /** Whether a fixed host port is free: not reserved by the agent and not bound by another task. */
    boolean portFree(int port, boolean udp);

    /** How many live (not stopped) tasks of {@code group} this instance holds. Must not scan tasks. */
    int groupTaskCount(String group);
}
