package dev.ecsemu.core.service;

import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;

/**
 * One rollout of a {@link ServiceRevision}: an entry of the service's {@code deployments} while it
 * owns tasks, and a service deployment (DescribeServiceDeployments) for good. Mutated only under its
 * store's lock.
 */
public final class Deployment {
    public static final String PRIMARY = "PRIMARY";
    public static final String ACTIVE = "ACTIVE";
    public static final String INACTIVE = "INACTIVE";

    private final String id;
    private final String arn;
    private final ServiceRevision revision;
    private final List<ServiceRevision> sources;
    private final DeploymentConfiguration configuration;
    private final Instant createdAt;

    private String status = PRIMARY;
    private DeploymentRolloutState rolloutState = DeploymentRolloutState.IN_PROGRESS;
    private String rolloutStateReason;
    private int failedTasks;
    private boolean hadHealthyTask;
    private Instant updatedAt;
    private ServiceDeploymentStatus deploymentStatus = ServiceDeploymentStatus.PENDING;
    private Instant startedAt;
    /** The desired count it had when a newer deployment replaced it; null while PRIMARY. */
    private Integer frozenDesiredCount;
    private String statusReason;
    private Instant finishedAt;
    private Instant stoppedAt;
    private Rollback rollback;
    private Deployment rollbackOf;

    /** Why and when this deployment was rolled back, and to which revision. */
    public record Rollback(String reason, Instant startedAt, String serviceRevisionArn) {
    }

    Deployment(String id, String arn, ServiceRevision revision, List<ServiceRevision> sources, DeploymentConfiguration configuration,
            Instant createdAt) {
        this.id = id;
        this.arn = arn;
        this.revision = revision;
        this.sources = List.copyOf(sources);
        this.configuration = configuration;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        this.rolloutStateReason = "ECS deployment " + id + " in progress.";
    }

    public String id() {
        return id;
    }

    /** The service deployment's ARN. */
    public String arn() {
        return arn;
    }

    public ServiceRevision revision() {
        return revision;
    }

    /** The revisions that ran when this deployment began, which it replaces. */
    public List<ServiceRevision> sources() {
        return sources;
    }

    public DeploymentConfiguration configuration() {
        return configuration;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public String status() {
        return status;
    }

    public boolean isPrimary() {
        return PRIMARY.equals(status);
    }

    public DeploymentRolloutState rolloutState() {
        return rolloutState;
    }

    public String rolloutStateReason() {
        return rolloutStateReason;
    }

    public int failedTasks() {
        return failedTasks;
    }

    /** Once a task of the deployment has been healthy, the circuit breaker no longer counts failures. */
    public boolean hadHealthyTask() {
        return hadHealthyTask;
    }

    /** The desired count it shows: the service's while PRIMARY, then the one it had when it was replaced. */
    public int desiredCount(int serviceDesiredCount) {
        return frozenDesiredCount != null ? frozenDesiredCount : serviceDesiredCount;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public ServiceDeploymentStatus deploymentStatus() {
        return deploymentStatus;
    }

    public String statusReason() {
        return statusReason;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public Instant stoppedAt() {
        return stoppedAt;
    }

    public Rollback rollback() {
        return rollback;
    }

    public boolean isFailed() {
        return rolloutState == DeploymentRolloutState.FAILED;
    }

    void status(String status, Instant at) {
        this.status = status;
        this.updatedAt = at;
        // A deployment asked to stop has stopped once its tasks are gone.
        if (INACTIVE.equals(status) && deploymentStatus == ServiceDeploymentStatus.STOP_REQUESTED) {
            deploymentStatus = ServiceDeploymentStatus.STOPPED;
            stoppedAt = at;
            finishedAt = at;
        }
    }

    /** The scheduler took it up. */
    void started(Instant at) {
        if (deploymentStatus == ServiceDeploymentStatus.PENDING) {
            deploymentStatus = ServiceDeploymentStatus.IN_PROGRESS;
            startedAt = at;
        }
        if (rollbackOf != null && rollbackOf.deploymentStatus == ServiceDeploymentStatus.ROLLBACK_REQUESTED) {
            rollbackOf.deploymentStatus = ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS;
            rollbackOf.updatedAt = at;
        }
    }

    void completed(Instant at) {
        rolloutState = DeploymentRolloutState.COMPLETED;
        rolloutStateReason = "ECS deployment " + id + " completed.";
        deploymentStatus = ServiceDeploymentStatus.SUCCESSFUL;
        finishedAt = at;
        updatedAt = at;
        if (rollbackOf != null) {
            rollbackOf.rollbackFinished(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL, at);
        }
    }

    /** The circuit breaker tripped and there is nothing to roll back to (or rollback is off): no more launches. */
    void failed(String reason, Instant at) {
        rolloutState = DeploymentRolloutState.FAILED;
        rolloutStateReason = reason;
        deploymentStatus = ServiceDeploymentStatus.STOPPED;
        statusReason = reason;
        stoppedAt = at;
        finishedAt = at;
        updatedAt = at;
        if (rollbackOf != null) {
            rollbackOf.rollbackFinished(ServiceDeploymentStatus.ROLLBACK_FAILED, at);
        }
    }

    /** A newer deployment replaces this one; if it had not finished, it is stopped once its tasks are gone. */
    void superseded(int serviceDesiredCount, Instant at) {
        if (frozenDesiredCount == null) {
            frozenDesiredCount = serviceDesiredCount;
        }
        if (deploymentStatus == ServiceDeploymentStatus.IN_PROGRESS || deploymentStatus == ServiceDeploymentStatus.PENDING) {
            deploymentStatus = ServiceDeploymentStatus.STOP_REQUESTED;
            statusReason = "A newer service deployment replaced this one.";
            if (rollbackOf != null) {
                rollbackOf.rollbackFinished(ServiceDeploymentStatus.ROLLBACK_FAILED, at);
            }
        }
        updatedAt = at;
    }

    /**
     * This deployment is rolled back (by the circuit breaker, or StopServiceDeployment when
     * {@code requested}): it fails, and another deployment takes the service back to {@code rollback}'s revision.
     */
    void rolledBack(Rollback rollback, boolean requested, Instant at) {
        this.rollback = rollback;
        if (rolloutState == DeploymentRolloutState.IN_PROGRESS) {
            rolloutState = DeploymentRolloutState.FAILED;
            rolloutStateReason = rollback.reason();
        }
        deploymentStatus = requested ? ServiceDeploymentStatus.ROLLBACK_REQUESTED : ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS;
        statusReason = rollback.reason();
        stoppedAt = requested ? at : null;
        updatedAt = at;
    }

    private void rollbackFinished(ServiceDeploymentStatus outcome, Instant at) {
        if (deploymentStatus == ServiceDeploymentStatus.ROLLBACK_REQUESTED || deploymentStatus == ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS) {
            deploymentStatus = outcome;
            finishedAt = at;
            updatedAt = at;
        }
    }

    /** This deployment carries out the rollback of {@code from}, back to the deployment {@code toDeploymentId}. */
    void carriesOutRollbackOf(Deployment from, String toDeploymentId, boolean byCircuitBreaker) {
        this.rollbackOf = from;
        this.rolloutStateReason = byCircuitBreaker
                ? "ECS deployment circuit breaker: rolling back to deploymentId " + toDeploymentId + "."
                : "ECS deployment " + from.id() + " was stopped: rolling back to deploymentId " + toDeploymentId + ".";
    }

    /** The deployment whose rollback this one carries out, or null. */
    public Deployment rollbackOf() {
        return rollbackOf;
    }

    void taskFailed(Instant at) {
        failedTasks++;
        updatedAt = at;
    }

    void taskHealthy(Instant at) {
        if (!hadHealthyTask) {
            hadHealthyTask = true;
            failedTasks = 0;
            updatedAt = at;
        }
    }
}
