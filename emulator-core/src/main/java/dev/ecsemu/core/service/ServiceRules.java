package dev.ecsemu.core.service;

import dev.ecsemu.core.cluster.CapacityProviderStrategies;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.fargate.Fargate;
import dev.ecsemu.core.network.AwsvpcRules;
import dev.ecsemu.core.state.RegionState;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentController;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.SchedulingStrategy;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

/** What CreateService and UpdateService accept, with ECS's defaults and refusals. */
public final class ServiceRules {
    private ServiceRules() {
    }

    public static DeploymentController controller(DeploymentController requested) {
        if (requested == null || requested.type() == null || requested.type() == DeploymentControllerType.ECS) {
            return DeploymentController.builder().type(DeploymentControllerType.ECS).build();
        }
        throw ApiException.of(UnsupportedFeatureException.class, "ecs-emu runs services with the ECS deployment controller only; "
                + requested.typeAsString() + " is not supported. Leave deploymentController out or give type ECS.");
    }

    public static SchedulingStrategy schedulingStrategy(SchedulingStrategy requested) {
        if (requested == null) {
            return SchedulingStrategy.REPLICA;
        }
        if (requested == SchedulingStrategy.UNKNOWN_TO_SDK_VERSION) {
            throw EcsErrors.invalidParameter("schedulingStrategy must be REPLICA or DAEMON.");
        }
        return requested;
    }

    /** The desired count of a new service: required for REPLICA, refused for DAEMON (which counts instances). */
    public static int desiredCount(SchedulingStrategy strategy, Integer requested) {
        if (strategy == SchedulingStrategy.DAEMON) {
            if (requested != null) {
                throw daemonDesiredCount();
            }
            return 0;
        }
        if (requested == null) {
            throw EcsErrors.invalidParameter("DesiredCount is missing: a REPLICA service needs desiredCount (0 or more).");
        }
        return checkedCount(requested);
    }

    public static int checkedCount(int count) {
        if (count < 0) {
            throw EcsErrors.invalidParameter("desiredCount must be 0 or more; got " + count + ".");
        }
        return count;
    }

    public static ApiException daemonDesiredCount() {
        return EcsErrors.invalidParameter(
                "The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again");
    }

    public static List<PlacementStrategy> placementStrategy(SchedulingStrategy strategy, List<PlacementStrategy> requested) {
        if (strategy == SchedulingStrategy.DAEMON && requested != null && !requested.isEmpty()) {
            throw EcsErrors.invalidParameter(
                    "The daemon scheduling strategy does not support placement strategies. Remove the placement strategy and try again");
        }
        return requested == null ? List.of() : requested;
    }

    /**
     * The deployment configuration with ECS's defaults: REPLICA 100/200, DAEMON 0/100, circuit
     * breaker off. {@code base} is the current one on update.
     */
    public static DeploymentConfiguration deploymentConfiguration(SchedulingStrategy strategy, DeploymentConfiguration requested,
            DeploymentConfiguration base) {
        boolean daemon = strategy == SchedulingStrategy.DAEMON;
        if (requested != null && requested.strategy() != null && requested.strategy() != DeploymentStrategy.ROLLING) {
            throw ApiException.of(UnsupportedFeatureException.class, "ecs-emu rolls services out with the ROLLING strategy only; "
                    + requested.strategyAsString() + " is not supported. Leave deploymentConfiguration.strategy out or give ROLLING.");
        }
        if (requested != null && requested.hasLifecycleHooks() && !requested.lifecycleHooks().isEmpty()) {
            throw ApiException.of(UnsupportedFeatureException.class,
                    "ecs-emu does not run deployment lifecycle hooks (they belong to blue/green deployments); remove lifecycleHooks.");
        }
        Integer min = pick(requested == null ? null : requested.minimumHealthyPercent(),
                base == null ? null : base.minimumHealthyPercent(), daemon ? 0 : 100);
        Integer max = pick(requested == null ? null : requested.maximumPercent(), base == null ? null : base.maximumPercent(),
                daemon ? 100 : 200);
        if (min < 0 || min > 100) {
            throw EcsErrors.invalidParameter("minimumHealthyPercent must be between 0 and 100; got " + min + ".");
        }
        if (daemon && max > 100) {
            throw EcsErrors.invalidParameter("The daemon scheduling strategy does not support values above 100 for maximumPercent on a"
                    + " deployment configuration. Change the maximumPercent value to 100, and try again");
        }
        if (!daemon && max < 100) {
            throw EcsErrors.invalidParameter("maximumPercent must be at least 100 for a REPLICA service; got " + max + ".");
        }
        if (max < min) {
            throw EcsErrors.invalidParameter("maximumPercent (" + max + ") must not be below minimumHealthyPercent (" + min + ").");
        }
        DeploymentCircuitBreaker breaker = requested != null && requested.deploymentCircuitBreaker() != null
                ? requested.deploymentCircuitBreaker()
                : base != null && base.deploymentCircuitBreaker() != null ? base.deploymentCircuitBreaker()
                : DeploymentCircuitBreaker.builder().enable(false).rollback(false).build();
        if (breaker.enable() == null || breaker.rollback() == null) {
            throw EcsErrors.invalidParameter("deploymentCircuitBreaker needs both enable and rollback.");
        }
        DeploymentConfiguration.Builder b = (requested != null ? requested : base != null ? base : DeploymentConfiguration.builder().build())
                .toBuilder()
                .minimumHealthyPercent(min)
                .maximumPercent(max)
                .deploymentCircuitBreaker(breaker);
        return b.build();
    }

    private static Integer pick(Integer requested, Integer base, int fallback) {
        return requested != null ? requested : base != null ? base : fallback;
    }

    public static int gracePeriod(Integer requested, int base) {
        if (requested == null) {
            return base;
        }
        if (requested < 0) {
            throw EcsErrors.invalidParameter("healthCheckGracePeriodSeconds must be 0 or more; got " + requested + ".");
        }
        return requested;
    }

    /** The task definition a service runs: ACTIVE, by family (latest revision), family:revision or ARN. */
    public static TaskDefinition taskDefinition(RegionState state, String reference) {
        if (reference == null || reference.isEmpty()) {
            throw EcsErrors.invalidParameter("taskDefinition must be given.");
        }
        TaskDefinition td = state.taskDefinitions().find(reference)
                .filter(d -> d.status() != TaskDefinitionStatus.DELETE_IN_PROGRESS)
                .orElseThrow(() -> EcsErrors.client("TaskDefinition not found."));
        if (td.status() != TaskDefinitionStatus.ACTIVE) {
            throw EcsErrors.client("TaskDefinition is inactive");
        }
        return td;
    }

    /**
     * Where the service's tasks go: its launch type, or its capacity provider strategy (given, or the
     * cluster's default when neither is given), checked against the cluster's providers.
     */
    public static CapacityProviderStrategies.Target placementTarget(Cluster cluster, LaunchType requested,
            List<CapacityProviderStrategyItem> capacityProviders, SchedulingStrategy strategy) {
        boolean strategyGiven = capacityProviders != null && !capacityProviders.isEmpty();
        // A DAEMON service runs on the cluster's instances: the cluster's default strategy does not apply to it.
        CapacityProviderStrategies.Target target = strategy == SchedulingStrategy.DAEMON && requested == null && !strategyGiven
                ? new CapacityProviderStrategies.Target(LaunchType.EC2, List.of())
                : CapacityProviderStrategies.resolve(cluster, requested, capacityProviders);
        if (target.byStrategy()) {
            if (strategy == SchedulingStrategy.DAEMON) {
                throw EcsErrors.invalidParameter("The daemon scheduling strategy does not support capacity provider strategies. Specify"
                        + " launchType EC2 instead and try again.");
            }
            return target;
        }
        LaunchType lt = target.launchType();
        if (lt == LaunchType.FARGATE && strategy == SchedulingStrategy.DAEMON) {
            throw EcsErrors.invalidParameter(
                    "The daemon scheduling strategy does not support the FARGATE launch type. Change the launch type and try again");
        }
        if (lt != LaunchType.EC2 && lt != LaunchType.FARGATE) {
            throw ApiException.of(UnsupportedFeatureException.class, "ecs-emu does not run tasks of launch type " + lt
                    + "; use FARGATE, or EC2 with container instances (ecs-emu start --instances N).");
        }
        return target;
    }

    /** UpdateService changes a service's capacity provider strategy (or gives one a launch type service) only with forceNewDeployment. */
    public static ApiException strategyChangeNeedsNewDeployment() {
        return EcsErrors.invalidParameter("When switching from launch type to capacity provider strategy on an existing service, or making a"
                + " change to a capacity provider strategy on a service that is already using one, you must force a new deployment.");
    }

    /**
     * Checks that the service's tasks can run as configured: the network configuration fits the
     * definition's network mode, and a FARGATE service's definition, placement and platform version
     * suit Fargate.
     */
    public static void checkLaunch(TaskDefinition td, ServiceRevision.Config config, List<PlacementConstraint> constraints,
            List<PlacementStrategy> strategies) {
        if (config.launchType() == LaunchType.FARGATE) {
            Fargate.checkLaunch(td, constraints, strategies);
            Fargate.platformVersion(config.platformVersion());
        }
        AwsvpcRules.check(td.networkMode(), config.networkConfiguration(), config.launchType());
    }

    /** Compiles the placement rules once, so a bad expression is refused now rather than at every pass. */
    public static void checkPlacement(RegionState state, TaskDefinition td, List<PlacementConstraint> constraints,
            List<PlacementStrategy> strategies) {
        state.placement().serviceRules(td.placementConstraints(), constraints, strategies);
    }
}
