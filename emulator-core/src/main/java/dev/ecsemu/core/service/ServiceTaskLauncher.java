package dev.ecsemu.core.service;

import dev.ecsemu.core.capacity.CapacityProvider;
import dev.ecsemu.core.capacity.StrategySplitter;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.Reservation;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.network.AwsvpcRules;
import dev.ecsemu.core.placement.ContainerInstanceCandidate;
import dev.ecsemu.core.placement.Placement;
import dev.ecsemu.core.placement.PlacementRules;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.task.RuntimeCommand;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.Tasks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraint;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraintType;

/**
 * Starts a service's tasks of its PRIMARY deployment: on Fargate, or placed by the placement engine
 * with the service's rules (a DAEMON's on the instances that lack one), tagged as the service says, with
 * ECS's events for what started and for what could not be placed.
 */
final class ServiceTaskLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceTaskLauncher.class);
    private static final Reservation NOTHING = new Reservation(0, 0, Set.of(), Set.of());

    private final EventLog events;

    ServiceTaskLauncher(EventLog events) {
        this.events = events;
    }

    void start(RegionState state, Service service, Cluster cluster, Deployment primary, int count,
            List<ContainerInstance> instances, List<ContainerInstance> daemonInstances, Set<String> keptOn,
            List<RuntimeCommand> commands, Instant now) {
        ServiceRevision revision = primary.revision();
        Tasks.Spec spec = new Tasks.Spec(revision.taskDefinition(), null, revision.launchType(), service.taskGroup(), primary.id(),
                AwsvpcRules.check(revision.taskDefinition().networkMode(), revision.networkConfiguration(), revision.launchType()),
                revision.platformVersion(), null);
        List<Task> started = new ArrayList<>();
        if (!revision.capacityProviderStrategy().isEmpty()) {
            startByStrategy(state, service, cluster, primary, spec, count, started, now);
        } else if (spec.launchType() == LaunchType.FARGATE) {
            for (int i = 0; i < count; i++) {
                started.add(state.taskLauncher().startOnFargate(cluster, spec));
            }
        } else {
            placeOnInstances(state, service, cluster, spec, count, instances, daemonInstances, keptOn, started, now);
        }
        if (started.isEmpty()) {
            return;
        }
        StringBuilder ids = new StringBuilder();
        for (Task t : started) {
            tag(state, service, t);
            if (!t.awaitsCapacity()) {
                // A task waiting for its capacity provider's instances is launched when managed scaling places it.
                commands.addAll(state.lifecycle().launch(t));
            }
            ids.append(" (task ").append(t.id()).append(')');
        }
        String replaced = "";
        if (service.unhealthyReplacementsDue > 0) {
            int n = Math.min(service.unhealthyReplacementsDue, started.size());
            service.unhealthyReplacementsDue -= n;
            replaced = " Amazon ECS replaced " + n + " tasks due to an unhealthy status.";
        }
        events.write(service, "(service " + service.name() + ") has started " + started.size() + " tasks:" + ids + "." + replaced, now);
    }

    /** Service tasks on container instances: placed with the service's rules (a DAEMON's on the instances that lack one). */
    private void placeOnInstances(RegionState state, Service service, Cluster cluster, Tasks.Spec spec, int count,
            List<ContainerInstance> instances, List<ContainerInstance> daemonInstances, Set<String> keptOn, List<Task> started,
            Instant now) {
        if (instances.isEmpty()) {
            unableToPlace(service, "Reason: No Container Instances were found in your cluster.", now);
            return;
        }
        Reservation need = Tasks.reservation(spec.taskDefinition(), null);
        PlacementRules rules;
        try {
            rules = state.placement().serviceRules(spec.taskDefinition().placementConstraints(),
                    service.settings().placementConstraints(), service.settings().placementStrategy());
        } catch (ApiException e) {
            unableToPlace(service, "Reason: " + e.getMessage(), now);
            return;
        }
        if (service.isDaemon()) {
            for (ContainerInstance ci : daemonInstances) {
                if (started.size() == count) {
                    break;
                }
                if (keptOn.contains(ci.arn())) {
                    continue;
                }
                Placement<ContainerInstanceCandidate> p = state.placement().place(ContainerInstanceCandidate.of(List.of(ci)), need,
                        service.taskGroup(), rules);
                if (p.placed()) {
                    started.add(state.tasks().create(cluster, spec, ci));
                    keptOn.add(ci.arn());
                }
            }
        } else {
            List<ContainerInstanceCandidate> candidates = ContainerInstanceCandidate.of(instances);
            for (int i = 0; i < count; i++) {
                Placement<ContainerInstanceCandidate> p = state.placement().place(candidates, need, service.taskGroup(), rules);
                if (!p.placed()) {
                    unableToPlace(service, closest(p), now);
                    break;
                }
                started.add(state.tasks().create(cluster, spec, p.chosen().instance()));
            }
        }
    }

    /**
     * Splits the tasks over the strategy's providers as ECS does, counting what the deployment already
     * runs on each; a task finds room on its provider's instances or waits in PROVISIONING for managed
     * scaling to launch one.
     */
    private void startByStrategy(RegionState state, Service service, Cluster cluster, Deployment primary, Tasks.Spec spec,
            int count, List<Task> started, Instant now) {
        Reservation need = Tasks.reservation(spec.taskDefinition(), null);
        PlacementRules rules = null;
        if (spec.launchType() != LaunchType.FARGATE) {
            try {
                rules = state.placement().serviceRules(spec.taskDefinition().placementConstraints(),
                        service.settings().placementConstraints(), service.settings().placementStrategy());
            } catch (ApiException e) {
                unableToPlace(service, "Reason: " + e.getMessage(), now);
                return;
            }
        }
        Map<String, Integer> running = new HashMap<>();
        for (Task t : state.tasks().inCluster(cluster.arn())) {
            if (primary.id().equals(t.startedBy()) && service.taskGroup().equals(t.group()) && !t.isStopped()
                    && Task.DESIRED_RUNNING.equals(t.desiredStatus()) && t.capacityProviderName() != null) {
                running.merge(t.capacityProviderName(), 1, Integer::sum);
            }
        }
        for (String name : StrategySplitter.split(primary.revision().capacityProviderStrategy(), running, count)) {
            if (spec.launchType() == LaunchType.FARGATE) {
                started.add(state.taskLauncher().startOnFargate(cluster, spec.withCapacityProvider(name)));
                continue;
            }
            CapacityProvider provider = state.capacityProviders().active(name).orElse(null);
            if (provider == null) {
                unableToPlace(service, "Reason: capacity provider " + name + " does not exist.", now);
                return;
            }
            Optional<Task> task = state.taskLauncher().placeOnProvider(cluster, spec.withCapacityProvider(name), need, service.taskGroup(),
                    provider, rules);
            if (task.isEmpty()) {
                unableToPlace(service, "Reason: no " + provider.group().instanceType() + " instance of capacity provider " + name
                        + " has enough CPU and memory for the task.", now);
                return;
            }
            started.add(task.get());
        }
    }

    private static String closest(Placement<ContainerInstanceCandidate> p) {
        if (p.closest() == null || Placement.INACTIVE.equals(p.failureReason())) {
            // DRAINING instances take no new tasks: to placement, a cluster of them has none.
            return "Reason: No Container Instances were found in your cluster.";
        }
        String instance = "The closest matching (container-instance " + p.closest().instance().id() + ")";
        switch (p.failureReason()) {
            case Placement.RESOURCE_MEMORY:
                return instance + " has insufficient memory available.";
            case Placement.RESOURCE_CPU:
                return instance + " has insufficient CPU units available.";
            case Placement.RESOURCE_PORTS:
            case Placement.RESOURCE_PORTS_UDP:
                return instance + " is already using a port required by your task.";
            default:
                return instance + " encountered error \"" + p.failureReason() + "\".";
        }
    }

    private void unableToPlace(Service service, String detail, Instant now) {
        events.write(service, "(service " + service.name() + ") was unable to place a task because no container instance met all of its requirements. "
                + detail + " For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.", now);
    }

    private static void tag(RegionState state, Service service, Task t) {
        List<Tag> tags = new ArrayList<>();
        PropagateTags propagate = service.settings().propagateTags();
        if (propagate == PropagateTags.SERVICE) {
            tags.addAll(state.tags().of(service.arn()));
        } else if (propagate == PropagateTags.TASK_DEFINITION) {
            tags.addAll(state.tags().of(t.taskDefinition().taskDefinitionArn()));
        }
        try {
            state.tags().tag(t.arn(), tags);
        } catch (ApiException e) {
            LOG.warn("Service {}: tags not propagated to task {}: {}", service.name(), t.id(), e.getMessage());
        }
        if (service.settings().enableECSManagedTags()) {
            state.tags().tagManaged(t.arn(), "aws:ecs:clusterName", service.clusterName());
            state.tags().tagManaged(t.arn(), "aws:ecs:serviceName", service.name());
        }
    }

    /** A daemon service's instances: ACTIVE ones that satisfy its memberOf constraints. */
    static List<ContainerInstance> daemonInstances(RegionState state, Service service, List<ContainerInstance> instances) {
        List<TaskDefinitionPlacementConstraint> tdConstraints = new ArrayList<>();
        for (TaskDefinitionPlacementConstraint c : service.revision().taskDefinition().placementConstraints()) {
            if (c.type() == TaskDefinitionPlacementConstraintType.MEMBER_OF) {
                tdConstraints.add(c);
            }
        }
        List<PlacementConstraint> constraints = new ArrayList<>();
        for (PlacementConstraint c : service.settings().placementConstraints()) {
            if (c.type() == PlacementConstraintType.MEMBER_OF) {
                constraints.add(c);
            }
        }
        PlacementRules rules;
        try {
            rules = state.placement().serviceRules(tdConstraints, constraints, List.of());
        } catch (ApiException e) {
            return List.of();
        }
        List<ContainerInstance> out = new ArrayList<>();
        for (ContainerInstance ci : instances) {
            if (ci.isActive() && state.placement().place(ContainerInstanceCandidate.of(List.of(ci)), NOTHING, "", rules).placed()) {
                out.add(ci);
            }
        }
        return out;
    }
}
