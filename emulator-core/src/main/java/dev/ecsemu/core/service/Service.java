package dev.ecsemu.core.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentController;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.SchedulingStrategy;
import software.amazon.awssdk.services.ecs.model.ServiceConnectConfiguration;

/**
 * An ECS service: what it should run ({@link Settings}, its deployments) and what the scheduler
 * remembers between passes. Mutated only under its store's lock, by {@link Services} and
 * {@link ServiceScheduler}.
 */
public final class Service {
    public static final String ACTIVE = "ACTIVE";
    public static final String DRAINING = "DRAINING";
    public static final String INACTIVE = "INACTIVE";

    /** What UpdateService may change besides the revision, all with ECS's defaults filled in. */
    public record Settings(int desiredCount, DeploymentConfiguration deploymentConfiguration,
            List<PlacementConstraint> placementConstraints, List<PlacementStrategy> placementStrategy,
            int healthCheckGracePeriodSeconds, PropagateTags propagateTags, boolean enableECSManagedTags,
            boolean enableExecuteCommand, ServiceConnectConfiguration serviceConnectConfiguration) {

        public Settings {
            placementConstraints = placementConstraints == null ? List.of() : List.copyOf(placementConstraints);
            placementStrategy = placementStrategy == null ? List.of() : List.copyOf(placementStrategy);
        }

        Settings withDesiredCount(int count) {
            return new Settings(count, deploymentConfiguration, placementConstraints, placementStrategy, healthCheckGracePeriodSeconds,
                    propagateTags, enableECSManagedTags, enableExecuteCommand, serviceConnectConfiguration);
        }
    }

    private final String arn;
    private final String name;
    private final String clusterArn;
    private final String clusterName;
    private final SchedulingStrategy schedulingStrategy;
    private final DeploymentController deploymentController;
    private final String roleArn;
    private final String createdBy;
    private final Instant createdAt;
    private final String clientToken;
    private final ServiceEvents events = new ServiceEvents();
    /** Newest first: the PRIMARY deployment, then ACTIVE ones that still own tasks. */
    private final List<Deployment> deployments = new ArrayList<>();
    /** Every deployment the service ever had, oldest first (ListServiceDeployments). */
    private final List<Deployment> history = new ArrayList<>();

    private Settings settings;
    private String status = ACTIVE;
    private Instant deletedAt;
    private long version = 1;

    // What the scheduler remembers between passes.
    final Map<String, LaunchOutcomes.Mark> marks = new HashMap<>();
    int consecutiveFailedLaunches;
    Instant launchesPausedUntil;
    int unhealthyReplacementsDue;

    Service(String arn, String name, String clusterArn, String clusterName, SchedulingStrategy schedulingStrategy,
            DeploymentController deploymentController, String roleArn, String createdBy, Instant createdAt, Settings settings,
            String clientToken) {
        this.clientToken = clientToken;
        this.arn = arn;
        this.name = name;
        this.clusterArn = clusterArn;
        this.clusterName = clusterName;
        this.schedulingStrategy = schedulingStrategy;
        this.deploymentController = deploymentController;
        this.roleArn = roleArn;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.settings = settings;
    }

    public String arn() {
        return arn;
    }

    public String name() {
        return name;
    }

    /** The group of the service's tasks. */
    public String taskGroup() {
        return "service:" + name;
    }

    public String clusterArn() {
        return clusterArn;
    }

    public String clusterName() {
        return clusterName;
    }

    public SchedulingStrategy schedulingStrategy() {
        return schedulingStrategy;
    }

    public boolean isDaemon() {
        return schedulingStrategy == SchedulingStrategy.DAEMON;
    }

    public DeploymentController deploymentController() {
        return deploymentController;
    }

    public String roleArn() {
        return roleArn;
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** The CreateService clientToken that made it, if any: repeating the call with it answers this service. */
    public String clientToken() {
        return clientToken;
    }

    public Settings settings() {
        return settings;
    }

    public int desiredCount() {
        return settings.desiredCount();
    }

    public String status() {
        return status;
    }

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    public Instant deletedAt() {
        return deletedAt;
    }

    public long version() {
        return version;
    }

    public ServiceEvents events() {
        return events;
    }

    public List<Deployment> deployments() {
        return Collections.unmodifiableList(deployments);
    }

    public Deployment primary() {
        return deployments.get(0);
    }

    public List<Deployment> history() {
        return Collections.unmodifiableList(history);
    }

    /** The revision the service runs now: its PRIMARY deployment's. */
    public ServiceRevision revision() {
        return primary().revision();
    }

    void settings(Settings settings) {
        this.settings = settings;
        version++;
    }

    void desiredCount(int count) {
        settings(settings.withDesiredCount(count));
    }

    /** The new deployment becomes PRIMARY; the previous ones stay, ACTIVE, until their tasks are gone. */
    void deploy(Deployment deployment, Instant at) {
        for (Deployment d : deployments) {
            if (d.isPrimary()) {
                d.status(Deployment.ACTIVE, at);
            }
            d.superseded(settings.desiredCount(), at);
        }
        deployments.add(0, deployment);
        history.add(deployment);
        version++;
    }

    void retire(Deployment deployment, Instant at) {
        deployment.status(Deployment.INACTIVE, at);
        deployments.remove(deployment);
        version++;
    }

    void status(String status, Instant at) {
        this.status = status;
        if (DRAINING.equals(status)) {
            deletedAt = at;
        }
        version++;
    }

    void changed() {
        version++;
    }
}
