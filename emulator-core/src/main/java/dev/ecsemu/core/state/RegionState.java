package dev.ecsemu.core.state;

import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.capacity.CapacityProvider;
import dev.ecsemu.core.capacity.CapacityProviders;
import dev.ecsemu.core.capacity.ManagedScaling;
import dev.ecsemu.core.capacity.StrategySplitter;
import dev.ecsemu.core.cluster.CapacityProviderStrategies;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.cluster.ClusterCounts;
import dev.ecsemu.core.cluster.Clusters;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.fargate.Fargate;
import dev.ecsemu.core.network.AwsvpcRules;
import dev.ecsemu.core.setting.AccountSettings;
import dev.ecsemu.core.tag.Tags;
import dev.ecsemu.core.taskdefinition.TaskDefinitions;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.ContainerInstances;
import dev.ecsemu.core.containerinstance.InstanceAddresses;
import dev.ecsemu.core.containerinstance.Reservation;
import dev.ecsemu.core.placement.ContainerInstanceCandidate;
import dev.ecsemu.core.placement.Placement;
import dev.ecsemu.core.placement.PlacementEngine;
import dev.ecsemu.core.placement.PlacementRules;
import dev.ecsemu.core.placement.query.ClusterQuery;
import dev.ecsemu.core.ecr.Repositories;
import dev.ecsemu.core.service.Service;
import dev.ecsemu.core.service.Services;
import dev.ecsemu.core.task.RuntimeCommand;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.TaskLifecycle;
import dev.ecsemu.core.task.TaskStatus;
import dev.ecsemu.core.task.Tasks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.ResourceInUseException;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;
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
    private final Map<String, List<String>> tasksByClientToken = new HashMap<>();

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

    /**
     * What RunTask and StartTask ask for. {@code containerInstances} is set for StartTask only;
     * {@code networkConfiguration} is required for awsvpc task definitions, {@code platformVersion} is Fargate's.
     */
    public record TaskRequest(String cluster, String taskDefinition, int count, LaunchType launchType, String group,
            String startedBy, TaskOverride overrides, String clientToken, List<String> containerInstances,
            List<PlacementConstraint> placementConstraints, List<PlacementStrategy> placementStrategy,
            NetworkConfiguration networkConfiguration, String platformVersion,
            List<CapacityProviderStrategyItem> capacityProviderStrategy) {

        /** A request by launch type (or the cluster's default strategy). */
        public TaskRequest(String cluster, String taskDefinition, int count, LaunchType launchType, String group,
                String startedBy, TaskOverride overrides, String clientToken, List<String> containerInstances,
                List<PlacementConstraint> placementConstraints, List<PlacementStrategy> placementStrategy,
                NetworkConfiguration networkConfiguration, String platformVersion) {
            this(cluster, taskDefinition, count, launchType, group, startedBy, overrides, clientToken, containerInstances,
                    placementConstraints, placementStrategy, networkConfiguration, platformVersion, List.of());
        }

        /** A request by launch type (or the cluster's default strategy), without network configuration or platform version. */
        public TaskRequest(String cluster, String taskDefinition, int count, LaunchType launchType, String group,
                String startedBy, TaskOverride overrides, String clientToken, List<String> containerInstances,
                List<PlacementConstraint> placementConstraints, List<PlacementStrategy> placementStrategy) {
            this(cluster, taskDefinition, count, launchType, group, startedBy, overrides, clientToken, containerInstances,
                    placementConstraints, placementStrategy, null, null, List.of());
        }

        /** A request without placement constraints or strategies. */
        public TaskRequest(String cluster, String taskDefinition, int count, LaunchType launchType, String group,
                String startedBy, TaskOverride overrides, String clientToken, List<String> containerInstances) {
            this(cluster, taskDefinition, count, launchType, group, startedBy, overrides, clientToken, containerInstances,
                    List.of(), List.of());
        }
    }

    /** The tasks started, the ECS failures of those that could not be placed, and the runtime work to do. */
    public record Launch(List<Task> tasks, List<Failure> failures, List<RuntimeCommand> commands) {
    }

    /** RunTask (first-fit placement over the cluster's instances) and StartTask (on the instances named). */
    public Launch launchTasks(TaskRequest request) {
        purgeExpiredTasks();
        Cluster cluster = clusters.active(request.cluster());
        if (request.clientToken() != null) {
            List<String> earlier = tasksByClientToken.get(cluster.arn() + "|" + request.clientToken());
            if (earlier != null) {
                List<Task> same = new ArrayList<>();
                earlier.forEach(arn -> tasks.byArn(arn).ifPresent(same::add));
                return new Launch(same, List.of(), List.of());
            }
        }
        TaskDefinition td = taskDefinitions.find(request.taskDefinition())
                .filter(d -> d.status() != TaskDefinitionStatus.DELETE_IN_PROGRESS)
                .orElseThrow(() -> EcsErrors.client("TaskDefinition not found."));
        if (td.status() != TaskDefinitionStatus.ACTIVE) {
            throw EcsErrors.invalidParameter("TaskDefinition is inactive");
        }
        CapacityProviderStrategies.Target target = request.containerInstances() != null
                ? new CapacityProviderStrategies.Target(request.launchType() == null ? LaunchType.EC2 : request.launchType(), List.of())
                : CapacityProviderStrategies.resolve(cluster, request.launchType(), request.capacityProviderStrategy());
        // A strategy of FARGATE/FARGATE_SPOT runs Fargate tasks, one of Auto Scaling group providers EC2 tasks.
        LaunchType launchType = target.effectiveLaunchType();
        if (launchType != LaunchType.EC2 && launchType != LaunchType.FARGATE) {
            throw ApiException.of(UnsupportedFeatureException.class, "ecs-emu does not run tasks of launch type " + launchType
                    + "; use FARGATE, or EC2 with container instances (ecs-emu start --instances N).");
        }
        if (launchType == LaunchType.FARGATE) {
            Fargate.checkLaunch(td, request.placementConstraints(), request.placementStrategy());
            Fargate.checkSize(td, request.overrides());
            Fargate.platform(td, request.overrides(), request.platformVersion());
        }
        AwsVpcConfiguration awsvpc = AwsvpcRules.check(td.networkMode(), request.networkConfiguration(), launchType);
        if (request.group() != null && request.group().length() > 255) {
            throw EcsErrors.invalidParameter("group can be at most 255 characters long.");
        }
        Tasks.Spec spec = new Tasks.Spec(td, request.overrides(), launchType, request.group(), request.startedBy(), awsvpc,
                request.platformVersion(), null);
        Reservation need = Tasks.reservation(td, request.overrides());
        String group = Tasks.group(spec);
        List<Task> started = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        if (target.byStrategy()) {
            PlacementRules rules = launchType == LaunchType.FARGATE ? null
                    : placement.runTaskRules(td.placementConstraints(), request.placementConstraints(), request.placementStrategy());
            for (String provider : StrategySplitter.split(target.strategy(), Map.of(), request.count())) {
                if (launchType == LaunchType.FARGATE) {
                    started.add(startOnFargate(cluster, spec.withCapacityProvider(provider)));
                } else {
                    placeByProvider(cluster, spec.withCapacityProvider(provider), need, group,
                            capacityProviders.active(provider).orElseThrow(), rules, started, failures);
                }
            }
        } else if (launchType == LaunchType.FARGATE) {
            for (int i = 0; i < request.count(); i++) {
                started.add(startOnFargate(cluster, spec));
            }
        } else if (request.containerInstances() != null) {
            // StartTask names the instances itself: only their resources are checked, no constraints or strategies.
            PlacementRules resourcesOnly = placement.runTaskRules(List.of(), List.of(), List.of());
            for (String ref : request.containerInstances()) {
                ContainerInstance ci = containerInstances.find(cluster.arn(), ref).filter(c -> !c.status().equals(ContainerInstance.INACTIVE))
                        .orElse(null);
                if (ci == null) {
                    failures.add(Failure.builder().arn(ref).reason("MISSING").build());
                    continue;
                }
                place(cluster, spec, need, group, ContainerInstanceCandidate.of(List.of(ci)), resourcesOnly, started, failures);
            }
        } else {
            PlacementRules rules = placement.runTaskRules(td.placementConstraints(), request.placementConstraints(),
                    request.placementStrategy());
            List<ContainerInstanceCandidate> candidates = ContainerInstanceCandidate.of(containerInstances.registered(cluster.arn()));
            if (candidates.isEmpty()) {
                throw EcsErrors.invalidParameter("No Container Instances were found in your cluster.");
            }
            for (int i = 0; i < request.count(); i++) {
                place(cluster, spec, need, group, candidates, rules, started, failures);
            }
        }
        List<RuntimeCommand> commands = new ArrayList<>();
        for (Task t : started) {
            if (!t.awaitsCapacity()) {
                commands.addAll(lifecycle.launch(t));
            }
        }
        if (request.clientToken() != null && !started.isEmpty()) {
            List<String> arns = new ArrayList<>();
            started.forEach(t -> arns.add(t.arn()));
            tasksByClientToken.put(cluster.arn() + "|" + request.clientToken(), arns);
        }
        return new Launch(started, failures, commands);
    }

    /**
     * Where a task runs when it runs on Fargate: no container instance and no placement, Fargate's own
     * platform. RunTask with launch type FARGATE and service tasks of a FARGATE service come here; so
     * should tasks that a FARGATE or FARGATE_SPOT capacity provider takes (give the spec
     * {@link Tasks.Spec#withCapacityProvider}). The caller has run {@link Fargate#checkLaunch}.
     */
    public Task startOnFargate(Cluster cluster, Tasks.Spec spec) {
        Tasks.Spec fargate = spec.launchType() == LaunchType.FARGATE ? spec
                : new Tasks.Spec(spec.taskDefinition(), spec.overrides(), LaunchType.FARGATE, spec.group(), spec.startedBy(), spec.awsvpc(),
                        spec.platformVersion(), spec.capacityProviderName());
        return tasks.create(cluster, fargate, null);
    }

    private void place(Cluster cluster, Tasks.Spec spec, Reservation need, String group, List<ContainerInstanceCandidate> candidates,
            PlacementRules rules, List<Task> started, List<Failure> failures) {
        Placement<ContainerInstanceCandidate> p = placement.place(candidates, need, group, rules);
        if (p.placed()) {
            started.add(tasks.create(cluster, spec, p.chosen().instance()));
        } else {
            failures.add(Failure.builder().arn(p.closestArn()).reason(p.failureReason()).build());
        }
    }

    /**
     * A task of an Auto Scaling group capacity provider: on one of the provider's instances when one
     * has room, else waiting in PROVISIONING for managed scaling to add one (as ECS keeps it). A task
     * that no instance of the group's type could ever hold fails at once instead of waiting forever.
     */
    private void placeByProvider(Cluster cluster, Tasks.Spec spec, Reservation need, String group, CapacityProvider provider,
            PlacementRules rules, List<Task> started, List<Failure> failures) {
        List<ContainerInstanceCandidate> candidates = ContainerInstanceCandidate.of(containerInstances.registered(cluster.arn(), provider.name()));
        Placement<ContainerInstanceCandidate> p = candidates.isEmpty() ? null : placement.place(candidates, need, group, rules);
        if (p != null && p.placed()) {
            started.add(tasks.create(cluster, spec, p.chosen().instance()));
            return;
        }
        String tooBig = ManagedScaling.neverFits(provider, need);
        if (tooBig != null) {
            failures.add(Failure.builder().arn(provider.arn()).reason(tooBig).detail("No " + provider.group().instanceType()
                    + " instance of capacity provider " + provider.name() + " can hold the task.").build());
            return;
        }
        started.add(tasks.create(cluster, spec, null));
    }

    /** Forgets STOPPED tasks past their retention, with their tags and the client tokens that named them. */
    public void purgeExpiredTasks() {
        List<String> purged = tasks.purgeExpired();
        if (!purged.isEmpty()) {
            purged.forEach(tags::forget);
            tasksByClientToken.values().removeIf(arns -> arns.stream().noneMatch(arn -> tasks.byArn(arn).isPresent()));
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
