package dev.ecsemu.core.placement;

import dev.ecsemu.core.containerinstance.ContainerInstance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A live {@link ContainerInstance} as a placement candidate. Holds nothing but the instance: its
 * remaining resources, ports and per-group task counts are kept up to date by the task lifecycle
 * ({@code Tasks.create} and the stop of a task), so tasks placed earlier in the same RunTask are
 * seen by the next decision.
 */
public final class ContainerInstanceCandidate implements PlacementCandidate {
    private final ContainerInstance instance;

    public ContainerInstanceCandidate(ContainerInstance instance) {
        this.instance = instance;
    }

    /** Wraps the instances once (per RunTask call, for example), in their order. */
    public static List<ContainerInstanceCandidate> of(List<ContainerInstance> instances) {
        List<ContainerInstanceCandidate> out = new ArrayList<>(instances.size());
        for (ContainerInstance ci : instances) {
            out.add(new ContainerInstanceCandidate(ci));
        }
        return out;
    }

    public ContainerInstance instance() {
        return instance;
    }

    @Override
    public String arn() {
        return instance.arn();
    }

    @Override
    public String attribute(String name) {
        return instance.attribute(name);
    }

    @Override
    public String ec2InstanceId() {
        return instance.ec2InstanceId();
    }

    @Override
    public Instant registeredAt() {
        return instance.registeredAt();
    }

    @Override
    public int runningTasksCount() {
        return instance.runningTasks();
    }

    @Override
    public boolean agentConnected() {
        return !ContainerInstance.INACTIVE.equals(instance.status());
    }

    @Override
    public String agentVersion() {
        return ContainerInstance.AGENT_VERSION;
    }

    @Override
    public Collection<String> taskGroups() {
        return instance.taskGroups();
    }

    @Override
    public boolean isActive() {
        return instance.isActive();
    }

    @Override
    public int remainingCpu() {
        return instance.remainingCpu();
    }

    @Override
    public int remainingMemory() {
        return instance.remainingMemory();
    }

    @Override
    public boolean portFree(int port, boolean udp) {
        return instance.portFree(port, udp);
    }

    @Override
    public int groupTaskCount(String group) {
        return instance.groupTaskCount(group);
    }

    @Override
    public String toString() {
        return instance.arn();
    }
}
