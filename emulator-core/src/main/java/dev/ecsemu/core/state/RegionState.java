package dev.ecsemu.core.state;

import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.cluster.ClusterCounts;
import dev.ecsemu.core.cluster.Clusters;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.setting.AccountSettings;
import dev.ecsemu.core.tag.Tags;
import dev.ecsemu.core.taskdefinition.TaskDefinitions;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.ClusterContainsContainerInstancesException;
import software.amazon.awssdk.services.ecs.model.ClusterContainsServicesException;
import software.amazon.awssdk.services.ecs.model.ClusterContainsTasksException;
import software.amazon.awssdk.services.ecs.model.SettingName;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * Everything one (account, region) holds. Not thread-safe: reach it only through
 * {@link RegionStore#read} and {@link RegionStore#write}, which serialise mutations.
 */
public final class RegionState {
    /** Capacity providers that exist in every account. */
    public static final Set<String> BUILT_IN_CAPACITY_PROVIDERS = Set.of("FARGATE", "FARGATE_SPOT");

    private final Scope scope;
    private final AccountSettings accountSettings;
    private final Tags tags = new Tags();
    private final Clusters clusters;
    private final TaskDefinitions taskDefinitions;

    RegionState(Scope scope, Clock clock) {
        this.scope = scope;
        this.accountSettings = new AccountSettings(scope);
        this.clusters = new Clusters(scope, clock, BUILT_IN_CAPACITY_PROVIDERS::contains);
        this.taskDefinitions = new TaskDefinitions(scope, clock);
    }

    public Scope scope() {
        return scope;
    }

    public AccountSettings accountSettings() {
        return accountSettings;
    }

    public Tags tags() {
        return tags;
    }

    public Clusters clusters() {
        return clusters;
    }

    public TaskDefinitions taskDefinitions() {
        return taskDefinitions;
    }

    public Cluster createCluster(Clusters.Spec spec) {
        return clusters.create(spec, accountSettings.effective(SettingName.CONTAINER_INSIGHTS, null));
    }

    /**
     * Live counts of a cluster. Container instances, tasks and services do not exist in this version
     * of the emulator yet, so every count is zero; their registries add to this when they arrive.
     */
    public ClusterCounts counts(Cluster cluster) {
        return ClusterCounts.NONE;
    }

    /** Deletes a cluster unless services, tasks or container instances still live in it. */
    public Cluster deleteCluster(String nameOrArn) {
        Cluster cluster = clusters.active(nameOrArn);
        ClusterCounts counts = counts(cluster);
        if (counts.activeServices() + counts.drainingServices() > 0) {
            throw ApiException.of(ClusterContainsServicesException.class, "The Cluster cannot be deleted while Services are active.");
        }
        if (counts.runningTasks() + counts.pendingTasks() > 0) {
            throw ApiException.of(ClusterContainsTasksException.class, "The Cluster cannot be deleted while Tasks are active.");
        }
        if (counts.registeredContainerInstances() > 0) {
            throw ApiException.of(ClusterContainsContainerInstancesException.class,
                    "The Cluster cannot be deleted while Container Instances are active or draining.");
        }
        clusters.delete(cluster);
        tags.forget(cluster.arn());
        return cluster;
    }

    /**
     * Checks that an ARN names a taggable resource of this store, with the refusal ECS gives when it
     * does not.
     */
    public void requireTaggable(String resourceArn) {
        Optional<Arn> arn = Arn.parse(resourceArn).filter(a -> a.service().equals("ecs"));
        if (arn.isEmpty()) {
            throw EcsErrors.invalidParameter("The ARN provided is invalid.");
        }
        if (!arn.get().isIn(scope)) {
            throw EcsErrors.resourceNotFound("The specified resource could not be found: " + resourceArn
                    + " belongs to account " + arn.get().account() + " in " + arn.get().region() + ".");
        }
        switch (arn.get().resourceType()) {
            case "cluster":
                clusters.active(resourceArn);
                return;
            case "task-definition":
                boolean present = taskDefinitions.find(resourceArn)
                        .filter(td -> td.status() != TaskDefinitionStatus.DELETE_IN_PROGRESS)
                        .isPresent();
                if (!present) {
                    throw EcsErrors.client("Unable to describe task definition.");
                }
                return;
            default:
                throw EcsErrors.resourceNotFound("The specified resource could not be found: " + resourceArn);
        }
    }
}
