package dev.ecsemu.api.ecs;

import dev.ecsemu.core.service.Deployment;
import dev.ecsemu.core.service.Service;
import dev.ecsemu.core.service.ServiceEvents;
import dev.ecsemu.core.service.ServiceRevision;
import dev.ecsemu.core.fargate.Fargate;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.TaskStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.AvailabilityZoneRebalancing;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.ServiceCurrentRevisionSummary;

/** A domain service as the ECS API shows it; counts are derived from its tasks at the time of the read. */
final class ServiceView {
    private ServiceView() {
    }

    /** Running and pending tasks per deployment id. */
    static final class Counts {
        private final Map<String, int[]> byDeployment = new HashMap<>();

        static Counts of(RegionState state, Service service) {
            Counts c = new Counts();
            for (Task t : state.tasks().inCluster(service.clusterArn())) {
                if (!service.taskGroup().equals(t.group()) || !Task.DESIRED_RUNNING.equals(t.desiredStatus())) {
                    continue;
                }
                if (t.lastStatus() == TaskStatus.RUNNING) {
                    c.byDeployment.computeIfAbsent(t.startedBy(), k -> new int[2])[0]++;
                } else if (t.lastStatus().before(TaskStatus.RUNNING)) {
                    c.byDeployment.computeIfAbsent(t.startedBy(), k -> new int[2])[1]++;
                }
            }
            return c;
        }

        int running(Deployment d) {
            int[] n = byDeployment.get(d.id());
            return n == null ? 0 : n[0];
        }

        int pending(Deployment d) {
            int[] n = byDeployment.get(d.id());
            return n == null ? 0 : n[1];
        }
    }

    static software.amazon.awssdk.services.ecs.model.Service of(RegionState state, Service service, boolean withTags) {
        Counts counts = Counts.of(state, service);
        ServiceRevision revision = service.revision();
        Service.Settings settings = service.settings();
        int running = 0;
        int pending = 0;
        List<software.amazon.awssdk.services.ecs.model.Deployment> deployments = new ArrayList<>();
        List<ServiceCurrentRevisionSummary> current = new ArrayList<>();
        for (Deployment d : service.deployments()) {
            running += counts.running(d);
            pending += counts.pending(d);
            deployments.add(deployment(d, counts, service.desiredCount()));
            current.add(ServiceCurrentRevisionSummary.builder().arn(d.revision().arn())
                    .requestedTaskCount(d.desiredCount(service.desiredCount()))
                    .runningTaskCount(counts.running(d)).pendingTaskCount(counts.pending(d)).build());
        }
        List<ServiceEvent> events = new ArrayList<>();
        for (ServiceEvents.Event e : service.events().list()) {
            events.add(ServiceEvent.builder().id(e.id()).createdAt(e.createdAt()).message(e.message()).build());
        }
        software.amazon.awssdk.services.ecs.model.Service.Builder b = software.amazon.awssdk.services.ecs.model.Service.builder()
                .serviceArn(service.arn())
                .serviceName(service.name())
                .clusterArn(service.clusterArn())
                .loadBalancers(revision.loadBalancers())
                .serviceRegistries(revision.serviceRegistries())
                .status(service.status())
                .desiredCount(service.desiredCount())
                .runningCount(running)
                .pendingCount(pending)
                .taskDefinition(revision.taskDefinition().taskDefinitionArn())
                .deploymentConfiguration(settings.deploymentConfiguration())
                .taskSets(List.of())
                .deployments(deployments)
                .events(events)
                .createdAt(service.createdAt())
                .currentServiceRevisions(current)
                .placementConstraints(settings.placementConstraints())
                .placementStrategy(settings.placementStrategy())
                .networkConfiguration(revision.networkConfiguration())
                .healthCheckGracePeriodSeconds(settings.healthCheckGracePeriodSeconds())
                .schedulingStrategy(service.schedulingStrategy())
                .deploymentController(service.deploymentController())
                .roleArn(service.roleArn())
                .createdBy(service.createdBy())
                .enableECSManagedTags(settings.enableECSManagedTags())
                .propagateTags(settings.propagateTags())
                .enableExecuteCommand(settings.enableExecuteCommand())
                .availabilityZoneRebalancing(AvailabilityZoneRebalancing.ENABLED);
        if (revision.capacityProviderStrategy().isEmpty()) {
            b.launchType(revision.launchType());
        } else {
            b.capacityProviderStrategy(revision.capacityProviderStrategy());
        }
        if (revision.platformVersion() != null) {
            b.platformVersion(revision.platformVersion());
        }
        if (revision.launchType() == LaunchType.FARGATE) {
            b.platformFamily(Fargate.PLATFORM_FAMILY);
        }
        if (withTags) {
            b.tags(state.tags().of(service.arn()));
        }
        return b.build();
    }

    private static software.amazon.awssdk.services.ecs.model.Deployment deployment(Deployment d, Counts counts, int serviceDesired) {
        ServiceRevision r = d.revision();
        software.amazon.awssdk.services.ecs.model.Deployment.Builder b = software.amazon.awssdk.services.ecs.model.Deployment.builder()
                .id(d.id())
                .status(d.status())
                .taskDefinition(r.taskDefinition().taskDefinitionArn())
                .desiredCount(d.desiredCount(serviceDesired))
                .pendingCount(counts.pending(d))
                .runningCount(counts.running(d))
                .failedTasks(d.failedTasks())
                .createdAt(d.createdAt())
                .updatedAt(d.updatedAt())
                .networkConfiguration(r.networkConfiguration())
                .rolloutState(d.rolloutState())
                .rolloutStateReason(d.rolloutStateReason());
        if (r.capacityProviderStrategy().isEmpty()) {
            b.launchType(r.launchType());
        } else {
            b.capacityProviderStrategy(r.capacityProviderStrategy());
        }
        if (r.platformVersion() != null) {
            b.platformVersion(r.platformVersion());
        }
        if (r.launchType() == LaunchType.FARGATE) {
            b.platformFamily(Fargate.PLATFORM_FAMILY);
        }
        return b.build();
    }
}
