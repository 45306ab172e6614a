package dev.ecsemu.core.state;

import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.capacity.CapacityProvider;
import dev.ecsemu.core.capacity.CapacityProviders;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.cluster.ClusterCounts;
import dev.ecsemu.core.cluster.Clusters;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.setting.AccountSettings;
import dev.ecsemu.core.tag.Tags;
import dev.ecsemu.core.taskdefinition.TaskDefinitions;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.ContainerInstances;
import dev.ecsemu.core.containerinstance.InstanceAddresses;
import dev.ecsemu.core.placement.PlacementEngine;
import dev.ecsemu.core.placement.query.ClusterQuery;
import dev.ecsemu.core.ecr.Repositories;
import dev.ecsemu.core.service.Service;
import dev.ecsemu.core.service.Services;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.TaskLifecycle;
import dev.ecsemu.core.task.TaskStatus;
import dev.ecsemu.core.task.Tasks;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ResourceInUseException;
import software.amazon.awssdk.services.ecs.model.LaunchType;
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
    public static final Set<String> BUILT_IN_CAPACITY_PROVIDERS = CapacityProviders.BUILT_IN;

    private final Scope scope;
    private final AccountSettings accountSettings;
    private final Tags tags = new Tags();
    private final Clusters clusters;
    private final CapacityProviders capacityProviders;
    private final TaskDefinitions taskDefinitions;
    private final ContainerInstances containerInstances;
    private final Tasks tasks;
    private final Services services;
    private final Repositories repositories;
    private final TaskLifecycle lifecycle;
    private final PlacementEngine placement;
    private final TaskLauncher launcher;

    RegionState(Scope scope, Clock clock, InstanceAddresses addresses) {
        this.scope = scope;
        this.accountSettings = new AccountSettings(scope);
        this.capacityProviders = new CapacityProviders(scope);
        this.clusters = new Clusters(scope, clock,
                name -> BUILT_IN_CAPACITY_PROVIDERS.contains(name) || capacityProviders.active(name).isPresent());
        this.taskDefinitions = new TaskDefinitions(scope, clock);
        this.containerInstances = new ContainerInstances(scope, clock, addresses);
        this.tasks = new Tasks(scope, clock);
        this.services = new Services(scope, clock);
        this.repositories = new Repositories(scope, clock);
        this.lifecycle = new TaskLifecycle(clock);
        this.placement = new PlacementEngine(ClusterQuery::parse, new Random());
        this.launcher = new TaskLauncher(this);
    }

    public ContainerInstances containerInstances() {
        return containerInstances;
    }

    public Tasks tasks() {
        return tasks;
    }

    public Services services() {
        return services;
    }

    /** The ECR repositories of this account and region. */
    public Repositories repositories() {
        return repositories;
    }

    public PlacementEngine placement() {
        return placement;
    }

    public TaskLifecycle lifecycle() {
        return lifecycle;
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

    /** The Auto Scaling group capacity providers of this account and region. */
    public CapacityProviders capacityProviders() {
        return capacityProviders;
    }

    public TaskDefinitions taskDefinitions() {
        return taskDefinitions;
    }

    public Cluster createCluster(Clusters.Spec spec) {
        if (spec.capacityProviders() != null) {
            checkAssociable(spec.name() == null ? Clusters.DEFAULT : spec.name(), spec.capacityProviders());
        }
        return clusters.create(spec, accountSettings.effective(SettingName.CONTAINER_INSIGHTS, null));
    }

    /**
     * PutClusterCapacityProviders: replaces the cluster's providers and default strategy. A provider
     * that tasks or services of the cluster still use cannot be removed, as in ECS.
     */
    public void putClusterCapacityProviders(Cluster cluster, List<String> providers, List<CapacityProviderStrategyItem> strategy) {
        checkAssociable(cluster.name(), providers);
        for (String removed : cluster.capacityProviders()) {
            if (!providers.contains(removed) && inUse(cluster, removed)) {
                throw ApiException.of(ResourceInUseException.class, "The specified capacity provider is in use and cannot be removed."
                        + " (" + removed + " still has tasks or services in cluster " + cluster.name() + ".)");
            }
        }
        clusters.putCapacityProviders(cluster, providers, strategy);
    }

    /** An Auto Scaling group capacity provider belongs to one cluster at most. */
    private void checkAssociable(String clusterName, List<String> providers) {
        for (String name : providers) {
            Optional<CapacityProvider> provider = capacityProviders.active(name);
            if (provider.isEmpty()) {
                continue;
            }
            Optional<Cluster> owner = clusterOf(provider.get());
            if (owner.isPresent() && !owner.get().name().equals(clusterName)) {
                throw EcsErrors.invalidParameter("The capacity provider " + name + " is already associated with cluster "
                        + owner.get().name() + ". An Auto Scaling group capacity provider can be associated with one cluster only.");
            }
        }
    }

    private boolean inUse(Cluster cluster, String provider) {
        for (Task t : tasks.inCluster(cluster.arn())) {
            if (provider.equals(t.capacityProviderName()) && !t.isStopped()) {
                return true;
            }
        }
        for (Service s : services.inCluster(cluster.arn())) {
            if (!Service.INACTIVE.equals(s.status())
                    && s.revision().capacityProviderStrategy().stream().anyMatch(i -> provider.equals(i.capacityProvider()))) {
                return true;
            }
        }
        return false;
    }

    /** The ACTIVE cluster an Auto Scaling group capacity provider is associated with, if any. */
    public Optional<Cluster> clusterOf(CapacityProvider provider) {
        for (Cluster c : clusters.listActive()) {
            if (c.capacityProviders().contains(provider.name())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * DeleteCapacityProvider. FARGATE and FARGATE_SPOT are reserved; a provider still associated with a
     * cluster is not deleted and says why in its updateStatusReason, as ECS answers.
     */
    public CapacityProvider deleteCapacityProvider(String nameOrArn) {
        if (nameOrArn != null && BUILT_IN_CAPACITY_PROVIDERS.contains(nameOrArn)) {
            throw EcsErrors.invalidParameter("The FARGATE and FARGATE_SPOT capacity providers are reserved and cannot be deleted. Remove them"
                    + " from a cluster with PutClusterCapacityProviders instead.");
        }
        CapacityProvider provider = capacityProviders.active(nameOrArn)
                .orElseThrow(() -> EcsErrors.invalidParameter("The specified capacity provider does not exist. Specify a valid name or ARN and"
                        + " try again."));
        Optional<Cluster> owner = clusterOf(provider);
        if (owner.isPresent()) {
            capacityProviders.deleteFailed(provider, "The capacity provider cannot be deleted because it is associated with cluster: "
                    + owner.get().name() + ". Remove the capacity provider from the cluster and try again.");
        } else {
            capacityProviders.delete(provider);
        }
        return provider;
    }

    /** Live counts of a cluster, from its container instances, tasks and services. */
    public ClusterCounts counts(Cluster cluster) {
        int[] running = new int[3];
        int[] pending = new int[3];
        int[] active = new int[3];
        int[] draining = new int[3];
        for (Service s : services.inCluster(cluster.arn())) {
            LaunchType lt = s.revision().launchType();
            int kind = lt == LaunchType.FARGATE ? 1 : lt == LaunchType.EXTERNAL ? 2 : 0;
            if (s.isActive()) {
                active[kind]++;
            } else if (Service.DRAINING.equals(s.status())) {
                draining[kind]++;
            }
        }
        for (Task t : tasks.inCluster(cluster.arn())) {
            int kind = t.launchType() == LaunchType.FARGATE ? 1 : t.launchType() == LaunchType.EXTERNAL ? 2 : 0;
            if (t.lastStatus() == TaskStatus.RUNNING) {
                running[kind]++;
            } else if (t.lastStatus().before(TaskStatus.RUNNING) && Task.DESIRED_RUNNING.equals(t.desiredStatus())) {
                pending[kind]++;
            }
        }
        return new ClusterCounts(containerInstances.registered(cluster.arn()).size(),
                new ClusterCounts.PerLaunchType(running[0], pending[0], active[0], draining[0]),
                new ClusterCounts.PerLaunchType(running[1], pending[1], active[1], draining[1]),
                new ClusterCounts.PerLaunchType(running[2], pending[2], active[2], draining[2]));
    }

    /** RunTask and StartTask. */
    public TaskLauncher taskLauncher() {
        return launcher;
    }

    /** Forgets STOPPED tasks past their retention, with their tags and the client tokens that named them. */
    public void purgeExpiredTasks() {
        List<String> purged = tasks.purgeExpired();
        if (!purged.isEmpty()) {
            purged.forEach(tags::forget);
            launcher.forgetPurgedTasks();
        }
    }

    /** Registers a container instance; the cluster {@code default} is created when named and missing, as the agent does. */
    public ContainerInstance registerContainerInstance(String clusterRef, ContainerInstances.Spec spec) {
        Cluster cluster = clusters.find(clusterRef).filter(Cluster::isActive).orElse(null);
        if (cluster == null) {
            if (clusterRef == null || clusterRef.isEmpty() || clusterRef.equals(Clusters.DEFAULT)) {
                cluster = createCluster(new Clusters.Spec(Clusters.DEFAULT, null, null, null, null, null));
            } else {
                throw EcsErrors.clusterNotFound();
            }
        }
        return containerInstances.register(cluster.name(), cluster.arn(), spec);
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
            case "task":
                if (clusters.listActive().stream().noneMatch(c -> tasks.find(c, resourceArn).isPresent())) {
                    throw EcsErrors.invalidParameter("The specified task is stopped or could not be found.");
                }
                return;
            case "service":
                if (clusters.listActive().stream().noneMatch(c -> services.find(c, resourceArn).filter(x -> !Service.INACTIVE.equals(x.status()))
                        .isPresent())) {
                    throw EcsErrors.resourceNotFound("The specified resource could not be found: " + resourceArn);
                }
                return;
            case "container-instance":
                if (clusters.listActive().stream().noneMatch(c -> containerInstances.find(c.arn(), resourceArn).isPresent())) {
                    throw EcsErrors.invalidParameter("The referenced container instance was not found.");
                }
                return;
            case "capacity-provider":
                if (capacityProviders.active(resourceArn).isEmpty()) {
                    throw EcsErrors.resourceNotFound("The specified resource could not be found: " + resourceArn);
                }
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
