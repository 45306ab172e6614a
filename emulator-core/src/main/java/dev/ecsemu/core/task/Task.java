package dev.ecsemu.core.task;

import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.Reservation;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/** An ECS task. Mutated only by {@link TaskLifecycle}, under its store's lock. */
public final class Task {
    public static final String DESIRED_RUNNING = "RUNNING";
    public static final String DESIRED_STOPPED = "STOPPED";

    private final String arn;
    private final String id;
    private final String clusterArn;
    private final String clusterName;
    private final TaskDefinition taskDefinition;
    /** Null for a task that waits in PROVISIONING for its capacity provider to have room (and for Fargate tasks). */
    private ContainerInstance containerInstance;
    private final LaunchType launchType;
    private final String group;
    private final String startedBy;
    private final TaskOverride overrides;
    private final Reservation reservation;
    private final Instant createdAt;
    /** Null while a task waits for an instance of its capacity provider; then the instance's zone. */
    private String availabilityZone;
    private final NetworkAttachment attachment;
    private final TaskPlatform platform;
    private final String capacityProviderName;
    private final Map<String, TaskContainer> containers = new LinkedHashMap<>();

    private TaskStatus lastStatus = TaskStatus.PROVISIONING;
    private String desiredStatus = DESIRED_RUNNING;
    private long version = 1;
    private Instant pullStartedAt;
    private Instant pullStoppedAt;
    private Instant connectivityAt;
    private Instant startedAt;
    private Instant stoppingAt;
    private Instant executionStoppedAt;
    private Instant stoppedAt;
    private TaskStopCode stopCode;
    private String stoppedReason;
    private Instant protectedUntil;

    Task(String arn, String id, String clusterArn, String clusterName, TaskDefinition taskDefinition,
            ContainerInstance containerInstance, LaunchType launchType, String group, String startedBy, TaskOverride overrides,
            Reservation reservation, Instant createdAt, String availabilityZone, NetworkAttachment attachment, TaskPlatform platform,
            String capacityProviderName) {
        this.arn = arn;
        this.id = id;
        this.clusterArn = clusterArn;
        this.clusterName = clusterName;
        this.taskDefinition = taskDefinition;
        this.containerInstance = containerInstance;
        this.launchType = launchType;
        this.group = group;
        this.startedBy = startedBy;
        this.overrides = overrides;
        this.reservation = reservation;
        this.createdAt = createdAt;
        this.availabilityZone = availabilityZone;
        this.attachment = attachment;
        this.platform = platform;
        this.capacityProviderName = capacityProviderName;
    }

    void addContainer(TaskContainer container) {
        containers.put(container.name(), container);
    }

    public String arn() {
        return arn;
    }

    public String id() {
        return id;
    }

    public String clusterArn() {
        return clusterArn;
    }

    public String clusterName() {
        return clusterName;
    }

    public TaskDefinition taskDefinition() {
        return taskDefinition;
    }

    public ContainerInstance containerInstance() {
        return containerInstance;
    }

    /** Whether the task waits in PROVISIONING for an instance of its capacity provider. */
    public boolean awaitsCapacity() {
        return containerInstance == null && capacityProviderName != null && launchType == LaunchType.EC2 && !isStopped()
                && lastStatus == TaskStatus.PROVISIONING;
    }

    void placedOn(ContainerInstance instance) {
        this.containerInstance = instance;
        this.availabilityZone = instance.availabilityZone();
        version++;
    }

    public LaunchType launchType() {
        return launchType;
    }

    public String group() {
        return group;
    }

    public String startedBy() {
        return startedBy;
    }

    public TaskOverride overrides() {
        return overrides;
    }

    public Reservation reservation() {
        return reservation;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** The instance's zone for EC2 tasks; for Fargate tasks the zone of the subnet the task's interface is in. */
    public String availabilityZone() {
        return availabilityZone;
    }

    /** The elastic network interface of an awsvpc task, or null for other network modes. */
    public NetworkAttachment attachment() {
        return attachment;
    }

    /** What Fargate reports of the platform a task runs on, or null for tasks on container instances. */
    public TaskPlatform platform() {
        return platform;
    }

    /** The capacity provider that runs the task (e.g. FARGATE), or null when a launch type was asked for. */
    public String capacityProviderName() {
        return capacityProviderName;
    }

    public Collection<TaskContainer> containers() {
        return Collections.unmodifiableCollection(containers.values());
    }

    public TaskContainer container(String name) {
        return containers.get(name);
    }

    public TaskStatus lastStatus() {
        return lastStatus;
    }

    public String desiredStatus() {
        return desiredStatus;
    }

    public boolean isStopped() {
        return lastStatus == TaskStatus.STOPPED;
    }

    public long version() {
        return version;
    }

    public Instant pullStartedAt() {
        return pullStartedAt;
    }

    public Instant pullStoppedAt() {
        return pullStoppedAt;
    }

    public Instant connectivityAt() {
        return connectivityAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant stoppingAt() {
        return stoppingAt;
    }

    public Instant executionStoppedAt() {
        return executionStoppedAt;
    }

    public Instant stoppedAt() {
        return stoppedAt;
    }

    public TaskStopCode stopCode() {
        return stopCode;
    }

    public String stoppedReason() {
        return stoppedReason;
    }

    /** Until when scale-in protection holds, or null when the task is not protected. */
    public Instant protectedUntil() {
        return protectedUntil;
    }

    void protectedUntil(Instant until) {
        protectedUntil = until;
    }

    /**
     * The task's health from its essential containers: any UNHEALTHY makes it UNHEALTHY, else any
     * UNKNOWN makes it UNKNOWN, else HEALTHY.
     */
    public HealthStatus health() {
        boolean unknown = false;
        for (TaskContainer c : containers.values()) {
            if (!c.essential()) {
                continue;
            }
            if (c.health() == HealthStatus.UNHEALTHY) {
                return HealthStatus.UNHEALTHY;
            }
            unknown |= c.health() != HealthStatus.HEALTHY;
        }
        return unknown ? HealthStatus.UNKNOWN : HealthStatus.HEALTHY;
    }

    /** The container names in definition order. */
    public List<String> containerNames() {
        return List.copyOf(containers.keySet());
    }

    void lastStatus(TaskStatus status) {
        if (status != lastStatus) {
            lastStatus = status;
            version++;
        }
    }

    void desiredStopped(TaskStopCode code, String reason, Instant at) {
        desiredStatus = DESIRED_STOPPED;
        stopCode = code;
        stoppedReason = reason;
        stoppingAt = at;
        version++;
    }

    void pullStarted(Instant at) {
        if (pullStartedAt == null) {
            pullStartedAt = at;
        }
    }

    void pullStopped(Instant at) {
        pullStoppedAt = at;
    }

    void running(Instant at) {
        startedAt = at;
        connectivityAt = connectivityAt == null ? at : connectivityAt;
    }

    void connected(Instant at) {
        if (connectivityAt == null) {
            connectivityAt = at;
        }
    }

    void executionStopped(Instant at) {
        if (executionStoppedAt == null) {
            executionStoppedAt = at;
        }
    }

    void stoppedAt(Instant at) {
        stoppedAt = at;
    }

    void changed() {
        version++;
    }
}
