package dev.ecsemu.core.capacity;

import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.InstanceType;
import dev.ecsemu.core.containerinstance.Reservation;
import dev.ecsemu.core.placement.Placement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ECS managed scaling of one Auto Scaling group capacity provider, as ECS computes it: M is the
 * number of instances the provider's tasks need (the busy instances, plus, while tasks wait in
 * PROVISIONING, enough new ones to bin-pack them, at least minimumScalingStepSize and at most
 * maximumScalingStepSize more), N the number it has, CapacityProviderReservation = M / N × 100, and
 * target tracking moves N to ceil(M × 100 / targetCapacity) within the group's min and max size.
 * Scale-out happens at once but not again before the last new instances warmed up
 * (instanceWarmupPeriod); scale-in only after the reservation stayed below target for 15 minutes (the
 * CloudWatch low alarm's 15 data points), and only of instances that run no task. Both waits are
 * multiplied by the time scale. Decides only: the controller applies the decision.
 */
public final class ManagedScaling {
    /** The low alarm of ECS's target tracking policy fires after 15 one-minute data points. */
    public static final Duration SCALE_IN_AFTER = Duration.ofMinutes(15);

    private final TimeScale scale;

    public ManagedScaling(TimeScale scale) {
        this.scale = scale;
    }

    /** How many instances to launch, which idle ones to terminate, and CapacityProviderReservation (M / N × 100) it came from. */
    public record Decision(int launch, List<ContainerInstance> terminate, int reservationPercent) {
        static Decision none(int reservation) {
            return new Decision(0, List.of(), reservation);
        }
    }

    /**
     * What a task waiting for capacity needs of a new instance; {@code distinctGroup} is its group when a
     * distinctInstance constraint keeps it off any instance with another task of that group, else null.
     */
    public record Demand(Reservation need, String distinctGroup) {
    }

    /**
     * @param instances the provider's ACTIVE instances in its cluster
     * @param waiting   what each task waiting for this provider's capacity reserves, oldest first
     */
    public Decision decide(CapacityProvider provider, List<ContainerInstance> instances, List<Reservation> waiting, Instant now) {
        List<Demand> demand = new ArrayList<>();
        waiting.forEach(r -> demand.add(new Demand(r, null)));
        return decideFor(provider, instances, demand, now);
    }

    /** {@link #decide}, for waiting tasks some of which may have to be alone of their group on an instance. */
    public Decision decideFor(CapacityProvider provider, List<ContainerInstance> instances, List<Demand> waiting, Instant now) {
        CapacityProvider.AsgShape group = provider.group();
        int n = instances.size();
        if (!provider.managedScaling()) {
            // Without managed scaling the group keeps its minimum size and nothing more.
            return new Decision(Math.max(0, group.minSize() - n), List.of(), 100);
        }
        var settings = provider.autoScalingGroupProvider().managedScaling();
        int busy = 0;
        for (ContainerInstance ci : instances) {
            if (ci.runningTasks() + ci.pendingTasks() > 0) {
                busy++;
            }
        }
        int m = busy;
        if (!waiting.isEmpty()) {
            int more = binsForDemand(group.instanceType(), waiting);
            m = n + Math.min(settings.maximumScalingStepSize(), Math.max(settings.minimumScalingStepSize(), more));
        }
        int reservation = n == 0 ? (m == 0 ? 100 : 200) : (int) Math.round(m * 100.0 / n);
        int desired = (int) Math.ceil(m * 100.0 / settings.targetCapacity());
        desired = Math.max(group.minSize(), Math.min(group.maxSize(), desired));
        CapacityProvider.ScalingMemory memory = provider.scaling;
        if (desired > n) {
            memory.surplusSince = null;
            boolean warming = memory.lastScaleOut != null
                    && now.isBefore(memory.lastScaleOut.plus(scale.of(Duration.ofSeconds(settings.instanceWarmupPeriod()))));
            if (warming && n >= group.minSize()) {
                return Decision.none(reservation);
            }
            memory.lastScaleOut = now;
            return new Decision(Math.min(desired - n, Math.max(settings.maximumScalingStepSize(), group.minSize() - n)), List.of(),
                    reservation);
        }
        if (desired == n) {
            memory.surplusSince = null;
            return Decision.none(reservation);
        }
        if (memory.surplusSince == null) {
            memory.surplusSince = now;
        }
        if (now.isBefore(memory.surplusSince.plus(scale.of(SCALE_IN_AFTER)))) {
            return Decision.none(reservation);
        }
        memory.surplusSince = null;
        List<ContainerInstance> idle = new ArrayList<>();
        for (ContainerInstance ci : instances) {
            if (ci.runningTasks() + ci.pendingTasks() == 0 && idle.size() < n - desired) {
                idle.add(ci);
            }
        }
        return new Decision(0, idle, reservation);
    }

    /** How many new instances of the type it takes to hold these tasks (first fit, largest first). */
    static int binsFor(String instanceType, List<Reservation> tasks) {
        List<Demand> demand = new ArrayList<>();
        tasks.forEach(r -> demand.add(new Demand(r, null)));
        return binsForDemand(instanceType, demand);
    }

    /** {@link #binsFor}, where a task with a distinct group shares no instance with another task of that group. */
    static int binsForDemand(String instanceType, List<Demand> tasks) {
        InstanceType type = InstanceType.of(instanceType);
        List<Demand> sorted = new ArrayList<>(tasks);
        sorted.sort(Comparator.comparingInt((Demand d) -> d.need().cpu()).thenComparingInt(d -> d.need().memory()).reversed());
        List<int[]> bins = new ArrayList<>();
        List<Set<Integer>> binPorts = new ArrayList<>();
        List<Set<String>> binGroups = new ArrayList<>();
        for (Demand d : sorted) {
            Reservation r = d.need();
            boolean placed = false;
            for (int i = 0; i < bins.size() && !placed; i++) {
                int[] used = bins.get(i);
                if (used[0] + r.cpu() <= type.cpuUnits() && used[1] + r.memory() <= type.registeredMemoryMiB()
                        && r.tcpPorts().stream().noneMatch(binPorts.get(i)::contains)
                        && (d.distinctGroup() == null || !binGroups.get(i).contains(d.distinctGroup()))) {
                    used[0] += r.cpu();
                    used[1] += r.memory();
                    binPorts.get(i).addAll(r.tcpPorts());
                    if (d.distinctGroup() != null) {
                        binGroups.get(i).add(d.distinctGroup());
                    }
                    placed = true;
                }
            }
            if (!placed) {
                bins.add(new int[] {r.cpu(), r.memory()});
                binPorts.add(new HashSet<>(r.tcpPorts()));
                binGroups.add(d.distinctGroup() == null ? new HashSet<>() : new HashSet<>(Set.of(d.distinctGroup())));
            }
        }
        return bins.size();
    }

    /** Why no instance of the provider's group could ever hold a task that reserves this, or null when one could. */
    public static String neverFits(CapacityProvider provider, Reservation need) {
        InstanceType type = InstanceType.of(provider.group().instanceType());
        if (need.cpu() > type.cpuUnits()) {
            return Placement.RESOURCE_CPU;
        }
        if (need.memory() > type.registeredMemoryMiB()) {
            return Placement.RESOURCE_MEMORY;
        }
        return null;
    }
}
