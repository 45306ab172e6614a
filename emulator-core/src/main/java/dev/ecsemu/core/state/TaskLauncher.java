package dev.ecsemu.core.state;

import dev.ecsemu.core.capacity.CapacityProvider;
import dev.ecsemu.core.capacity.ManagedScaling;
import dev.ecsemu.core.capacity.StrategySplitter;
import dev.ecsemu.core.cluster.CapacityProviderStrategies;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.Reservation;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.fargate.Fargate;
import dev.ecsemu.core.network.AwsvpcRules;
import dev.ecsemu.core.placement.ContainerInstanceCandidate;
import dev.ecsemu.core.placement.Placement;
import dev.ecsemu.core.placement.PlacementRules;
import dev.ecsemu.core.task.RuntimeCommand;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.Tasks;
import dev.ecsemu.core.taskdefinition.TaskSize;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

/**
 * RunTask and StartTask in one region: resolves where each task runs (an instance chosen by placement,
 * the instances StartTask names, Fargate, or a capacity provider's share of a strategy), creates the
 * tasks and answers the runtime work that starts them. Service tasks are placed by the service
 * scheduler, which shares {@link #startOnFargate}. Used under the store's lock, like all of
 * {@link RegionState}.
 */
public final class TaskLauncher {
    private final RegionState state;
    /** The tasks each RunTask client token started, by cluster ARN and token, so a retry starts none again. */
    private final Map<String, List<String>> tasksByClientToken = new HashMap<>();

    TaskLauncher(RegionState state) {
        this.state = state;
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
    public Launch launch(TaskRequest request) {
        state.purgeExpiredTasks();
        Cluster cluster = state.clusters().active(request.cluster());
        if (request.clientToken() != null) {
            List<String> earlier = tasksByClientToken.get(cluster.arn() + "|" + request.clientToken());
            if (earlier != null) {
                List<Task> same = new ArrayList<>();
                earlier.forEach(arn -> state.tasks().byArn(arn).ifPresent(same::add));
                return new Launch(same, List.of(), List.of());
            }
        }
        TaskDefinition td = state.taskDefinitions().find(request.taskDefinition())
                .filter(d -> d.status() != TaskDefinitionStatus.DELETE_IN_PROGRESS)
                .orElseThrow(() -> EcsErrors.client("TaskDefinition not found."));
        if (td.status() != TaskDefinitionStatus.ACTIVE) {
            throw EcsErrors.invalidParameter("TaskDefinition is inactive");
        }
        CapacityProviderStrategies.Target target = request.containerInstances() != null
                ? new CapacityProviderStrategies.Target(request.launchType() == null ? LaunchType.EC2 : request.launchType(), List.of())
                : CapacityProviderStrategies.resolve(cluster, request.launchType(), request.capacityProviderStrategy());
        // A strategy of FARGATE/FARGATE_SPOT runs Fargate tasks, one of Auto Scaling group providers EC2 state.tasks().
        LaunchType launchType = target.effectiveLaunchType();
        if (launchType != LaunchType.EC2 && launchType != LaunchType.FARGATE) {
            throw ApiException.of(UnsupportedFeatureException.class, "ecs-emu does not run tasks of launch type " + launchType
                    + "; use FARGATE, or EC2 with container instances (ecs-emu start --instances N).");
        }
        if (request.overrides() != null) {
            // Task-level overrides take ECS's forms ("512", "0.5 vCPU", "1 GB"); anything else is refused here.
            TaskSize.cpuUnits(request.overrides().cpu());
            TaskSize.memoryMiB(request.overrides().memory());
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
                    : state.placement().runTaskRules(td.placementConstraints(), request.placementConstraints(), request.placementStrategy());
            for (String provider : StrategySplitter.split(target.strategy(), Map.of(), request.count())) {
                if (launchType == LaunchType.FARGATE) {
                    started.add(startOnFargate(cluster, spec.withCapacityProvider(provider)));
                } else {
                    CapacityProvider cp = state.capacityProviders().active(provider).orElseThrow();
                    placeOnProvider(cluster, spec.withCapacityProvider(provider), need, group, cp, rules).ifPresentOrElse(started::add,
                            () -> failures.add(Failure.builder().arn(cp.arn()).reason(ManagedScaling.neverFits(cp, need))
                                    .detail("No " + cp.group().instanceType() + " instance of capacity provider " + cp.name()
                                            + " can hold the task.").build()));
                }
            }
        } else if (launchType == LaunchType.FARGATE) {
            for (int i = 0; i < request.count(); i++) {
                started.add(startOnFargate(cluster, spec));
            }
        } else if (request.containerInstances() != null) {
            // StartTask names the instances itself: only their resources are checked, no constraints or strategies.
            PlacementRules resourcesOnly = state.placement().runTaskRules(List.of(), List.of(), List.of());
            for (String ref : request.containerInstances()) {
                ContainerInstance ci = state.containerInstances().find(cluster.arn(), ref).filter(c -> !c.status().equals(ContainerInstance.INACTIVE))
                        .orElse(null);
                if (ci == null) {
                    failures.add(Failure.builder().arn(ref).reason("MISSING").build());
                    continue;
                }
                place(cluster, spec, need, group, ContainerInstanceCandidate.of(List.of(ci)), resourcesOnly, started, failures);
            }
        } else {
            PlacementRules rules = state.placement().runTaskRules(td.placementConstraints(), request.placementConstraints(),
                    request.placementStrategy());
            List<ContainerInstanceCandidate> candidates = ContainerInstanceCandidate.of(state.containerInstances().registered(cluster.arn()));
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
                commands.addAll(state.lifecycle().launch(t));
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
        return state.tasks().create(cluster, fargate, null);
    }

    private void place(Cluster cluster, Tasks.Spec spec, Reservation need, String group, List<ContainerInstanceCandidate> candidates,
            PlacementRules rules, List<Task> started, List<Failure> failures) {
        Placement<ContainerInstanceCandidate> p = state.placement().place(candidates, need, group, rules);
        if (p.placed()) {
            started.add(state.tasks().create(cluster, spec, p.chosen().instance()));
        } else {
            failures.add(Failure.builder().arn(p.closestArn()).reason(p.failureReason()).build());
        }
    }

    /**
     * A task of an Auto Scaling group capacity provider: on one of the provider's instances when one
     * has room, else waiting in PROVISIONING for managed scaling to add one (as ECS keeps it). A task
     * that no instance of the group's type could ever hold is not created (empty): it would wait forever.
     * RunTask and the service scheduler both place by provider here.
     */
    public Optional<Task> placeOnProvider(Cluster cluster, Tasks.Spec spec, Reservation need, String group, CapacityProvider provider,
            PlacementRules rules) {
        List<ContainerInstanceCandidate> candidates = ContainerInstanceCandidate.of(state.containerInstances().registered(cluster.arn(), provider.name()));
        Placement<ContainerInstanceCandidate> p = candidates.isEmpty() ? null : state.placement().place(candidates, need, group, rules);
        if (p != null && p.placed()) {
            return Optional.of(state.tasks().create(cluster, spec, p.chosen().instance()));
        }
        if (ManagedScaling.neverFits(provider, need) != null) {
            return Optional.empty();
        }
        return Optional.of(state.tasks().create(cluster, spec, null));
    }

    /** Forgets the client tokens whose tasks have all been purged. */
    void forgetPurgedTasks() {
        tasksByClientToken.values().removeIf(arns -> arns.stream().noneMatch(arn -> state.tasks().byArn(arn).isPresent()));
    }
}
