package dev.ecsemu.core.task;

import java.util.List;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;

/** One container of a task, as the runtime has reported it so far. Mutated under the store lock only. */
public final class TaskContainer {
    public static final String PENDING = "PENDING";
    public static final String RUNNING = "RUNNING";
    public static final String STOPPED = "STOPPED";

    private final String arn;
    private final ContainerDefinition definition;
    private String lastStatus = PENDING;
    private boolean startRequested;
    private boolean everStarted;
    private boolean startTimeoutArmed;
    private boolean stopSent;
    private Integer exitCode;
    private String reason;
    private String runtimeId;
    private String imageDigest;
    private List<NetworkBinding> networkBindings = List.of();
    private HealthStatus health = HealthStatus.UNKNOWN;

    TaskContainer(String arn, ContainerDefinition definition) {
        this.arn = arn;
        this.definition = definition;
    }

    public String name() {
        return definition.name();
    }

    public String arn() {
        return arn;
    }

    /** The definition with the task's overrides applied. */
    public ContainerDefinition definition() {
        return definition;
    }

    public boolean essential() {
        return definition.essential() == null || definition.essential();
    }

    public String lastStatus() {
        return lastStatus;
    }

    public boolean isStopped() {
        return STOPPED.equals(lastStatus);
    }

    public boolean isRunning() {
        return RUNNING.equals(lastStatus);
    }

    public boolean startRequested() {
        return startRequested;
    }

    public boolean everStarted() {
        return everStarted;
    }

    public Integer exitCode() {
        return exitCode;
    }

    public String reason() {
        return reason;
    }

    public String runtimeId() {
        return runtimeId;
    }

    public String imageDigest() {
        return imageDigest;
    }

    public List<NetworkBinding> networkBindings() {
        return networkBindings;
    }

    public HealthStatus health() {
        return health;
    }

    boolean stopSent() {
        return stopSent;
    }

    void markStopSent() {
        stopSent = true;
    }

    boolean startTimeoutArmed() {
        return startTimeoutArmed;
    }

    void armStartTimeout() {
        startTimeoutArmed = true;
    }

    void requestStart() {
        startRequested = true;
    }

    void started(String runtimeId, List<NetworkBinding> bindings) {
        this.lastStatus = RUNNING;
        this.everStarted = true;
        this.runtimeId = runtimeId;
        this.networkBindings = List.copyOf(bindings);
    }

    void imageDigest(String digest) {
        this.imageDigest = digest;
    }

    void health(HealthStatus health) {
        this.health = health;
    }

    void stopped(Integer exitCode, String reason) {
        this.lastStatus = STOPPED;
        this.exitCode = exitCode;
        if (reason != null) {
            this.reason = reason.length() > 1024 ? reason.substring(0, 1024) : reason;
        }
    }
}
