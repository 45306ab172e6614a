package dev.ecsemu.core.task;

import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.Reservation;
import dev.ecsemu.core.fargate.Fargate;
import dev.ecsemu.core.state.Ids;
import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.taskdefinition.TaskSize;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

/**
 * The tasks of one store. STOPPED tasks stay describable for an hour after they stopped, as in
 * ECS, then are forgotten.
 */
public final class Tasks {
    public static final Duration STOPPED_RETENTION = Duration.ofHours(1);

    private final Scope scope;
    private final Clock clock;
    private final Map<String, Task> byArn = new HashMap<>();
    /** Spreads awsvpc tasks over the subnets they may use, in turn. */
    private int nextSubnet;

    public Tasks(Scope scope, Clock clock) {
        this.scope = scope;
        this.clock = clock;
    }

    /**
     * What a task is made from; the container definitions get the overrides applied.
     *
     * @param awsvpc               the checked awsvpc configuration of an awsvpc task ({@code AwsvpcRules.check}), else null
     * @param platformVersion      the platform version asked for (Fargate; null or LATEST: the latest)
     * @param capacityProviderName the capacity provider that runs the task, or null when a launch type was asked for
     */
    public record Spec(TaskDefinition taskDefinition, TaskOverride overrides, LaunchType launchType, String group,
            String startedBy, AwsVpcConfiguration awsvpc, String platformVersion, String capacityProviderName) {

        /** A task on container instances in bridge, host or none network mode. */
        public Spec(TaskDefinition taskDefinition, TaskOverride overrides, LaunchType launchType, String group, String startedBy) {
            this(taskDefinition, overrides, launchType, group, startedBy, null, null, null);
        }

        public Spec withCapacityProvider(String name) {
            return new Spec(taskDefinition, overrides, launchType, group, startedBy, awsvpc, platformVersion, name);
        }
    }

    /** What a task of this definition (with these overrides) takes of an instance. */
    public static Reservation reservation(TaskDefinition td, TaskOverride overrides) {
        List<ContainerDefinition> containers = Overrides.apply(td.containerDefinitions(), overrides);
        String taskCpu = overrides != null && overrides.cpu() != null ? overrides.cpu() : td.cpu();
        String taskMemory = overrides != null && overrides.memory() != null ? overrides.memory() : td.memory();
        int cpu = 0;
        int memory = 0;
        Set<Integer> tcp = new HashSet<>();
        Set<Integer> udp = new HashSet<>();
        for (ContainerDefinition c : containers) {
            cpu += c.cpu() == null ? 0 : c.cpu();
            memory += c.memoryReservation() != null ? c.memoryReservation() : c.memory() != null ? c.memory() : 0;
            // An awsvpc task has its own interface: its ports take nothing of the instance's.
            for (PortMapping p : td.networkMode() == NetworkMode.AWSVPC ? List.<PortMapping>of() : c.portMappings()) {
                Integer port = td.networkMode() == NetworkMode.HOST ? p.containerPort() : p.hostPort();
                if (port != null && port != 0) {
                    (p.protocol() == TransportProtocol.UDP ? udp : tcp).add(port);
                }
            }
        }
        return new Reservation(taskCpu != null ? parseOr(taskCpu, true, cpu) : cpu, taskMemory != null ? parseOr(taskMemory, false, memory) : memory,
                Set.copyOf(tcp), Set.copyOf(udp));
    }

    /** A task-level size ("512", "0.5 vCPU", "1 GB") in units or MiB; the launch checked it, so a bad one falls back. */
    private static int parseOr(String s, boolean cpu, int fallback) {
        try {
            return cpu ? TaskSize.cpuUnits(s) : TaskSize.memoryMiB(s);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    /** The group a task of this spec gets: the one asked for, else {@code family:<family>}. */
    public static String group(Spec spec) {
        return spec.group() != null ? spec.group() : "family:" + spec.taskDefinition().family();
    }

    /**
     * Creates a task in PROVISIONING, placed on {@code instance} (which it reserves), or on Fargate when
     * {@code instance} is null and the launch type is FARGATE. A task of an Auto Scaling group capacity
     * provider ({@code spec} names it) with a null {@code instance} waits until {@link #place} puts it
     * on one of the provider's instances.
     */
    public Task create(Cluster cluster, Spec spec, ContainerInstance instance) {
        String id = Ids.hex32();
        String arn = Arn.ecs(scope, "task/" + cluster.name() + "/" + id);
        TaskDefinition td = spec.taskDefinition();
        Reservation reservation = reservation(td, spec.overrides());
        NetworkAttachment attachment = null;
        if (spec.awsvpc() != null) {
            List<String> subnets = spec.awsvpc().subnets();
            String subnet = subnets.get(Math.floorMod(nextSubnet++, subnets.size()));
            attachment = new NetworkAttachment(Ids.uuid(), subnet, "eni-" + Ids.hex(17), scope.region());
        }
        boolean fargate = instance == null && spec.launchType() == LaunchType.FARGATE;
        TaskPlatform platform = fargate ? Fargate.platform(td, spec.overrides(), spec.platformVersion()) : null;
        String zone = instance != null ? instance.availabilityZone()
                : attachment != null ? Fargate.availabilityZone(scope.region(), attachment.subnetId()) : null;
        Task task = new Task(arn, id, cluster.arn(), cluster.name(), td, instance, spec.launchType(),
                group(spec), spec.startedBy(), spec.overrides(), reservation,
                clock.instant(), zone, attachment, platform, spec.capacityProviderName());
        for (ContainerDefinition c : Overrides.apply(td.containerDefinitions(), spec.overrides())) {
            task.addContainer(new TaskContainer(Arn.ecs(scope, "container/" + cluster.name() + "/" + id + "/" + Ids.uuid()), c));
        }
        if (instance != null) {
            instance.reserve(reservation, 1);
            instance.countTask(false, 1);
            instance.countGroupTask(task.group(), 1);
        }
        byArn.put(arn, task);
        return task;
    }

    /** Puts a task that waited for capacity on an instance, which it reserves from now on. */
    public void place(Task task, ContainerInstance instance) {
        task.placedOn(instance);
        instance.reserve(task.reservation(), 1);
        instance.countTask(false, 1);
        instance.countGroupTask(task.group(), 1);
    }

    /** A task by ARN, or by id within the cluster; forgotten STOPPED tasks are not found. */
    public Optional<Task> find(Cluster cluster, String arnOrId) {
        if (arnOrId == null || arnOrId.isEmpty()) {
            return Optional.empty();
        }
        Task task = arnOrId.startsWith("arn:") ? byArn.get(arnOrId)
                : byArn.get(Arn.ecs(scope, "task/" + cluster.name() + "/" + arnOrId));
        if (task == null && arnOrId.startsWith("arn:")) {
            // The legacy short ARN form task/<id> still names the task.
            String id = arnOrId.substring(arnOrId.lastIndexOf('/') + 1);
            task = byArn.get(Arn.ecs(scope, "task/" + cluster.name() + "/" + id));
        }
        return Optional.ofNullable(task).filter(t -> t.clusterArn().equals(cluster.arn())).filter(this::retained);
    }

    /** Protection against service scale-in applies to service tasks only, as in ECS. */
    public static boolean protectable(Task task) {
        return task.group() != null && task.group().startsWith("service:") && !task.isStopped();
    }

    /** Sets or clears scale-in protection; {@code until} is null to clear it. */
    public void protect(Task task, Instant until) {
        task.protectedUntil(until);
        task.changed();
    }

    /** Whether protection is in force now (it lapses at its expiry). */
    public boolean isProtected(Task task) {
        return task.protectedUntil() != null && clock.instant().isBefore(task.protectedUntil());
    }

    /** A task by ARN alone, for runtime events. */
    public Optional<Task> byArn(String arn) {
        return Optional.ofNullable(byArn.get(arn));
    }

    /** The retained tasks of a cluster, in ARN order. */
    public List<Task> inCluster(String clusterArn) {
        List<Task> out = new ArrayList<>();
        for (Task t : byArn.values()) {
            if (t.clusterArn().equals(clusterArn) && retained(t)) {
                out.add(t);
            }
        }
        out.sort(Comparator.comparing(Task::arn));
        return out;
    }

    public List<Task> all() {
        return new ArrayList<>(byArn.values());
    }

    /** Forgets STOPPED tasks past their retention; answers their ARNs. Called on writes. */
    public List<String> purgeExpired() {
        List<String> purged = new ArrayList<>();
        Iterator<Task> it = byArn.values().iterator();
        while (it.hasNext()) {
            Task t = it.next();
            if (!retained(t)) {
                purged.add(t.arn());
                it.remove();
            }
        }
        return purged;
    }

    private boolean retained(Task t) {
        Instant stoppedAt = t.stoppedAt();
        return stoppedAt == null || !clock.instant().isAfter(stoppedAt.plus(STOPPED_RETENTION));
    }
}
