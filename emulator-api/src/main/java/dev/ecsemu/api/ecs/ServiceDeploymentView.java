package dev.ecsemu.api.ecs;

import dev.ecsemu.core.service.Deployment;
import dev.ecsemu.core.service.RolloutBounds;
import dev.ecsemu.core.service.Service;
import dev.ecsemu.core.service.ServiceRevision;
import dev.ecsemu.core.state.RegionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerImage;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.Rollback;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentRollbackMonitorsStatus;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionSummary;

/**
 * A domain deployment as a service deployment (DescribeServiceDeployments, ListServiceDeployments)
 * and its revision as a service revision (DescribeServiceRevisions); task counts are read from the
 * tasks at the time of the call.
 */
final class ServiceDeploymentView {
    /** The statuses in which the circuit breaker still watches a deployment. */
    private static final Set<ServiceDeploymentStatus> MONITORED = Set.of(ServiceDeploymentStatus.PENDING,
            ServiceDeploymentStatus.IN_PROGRESS, ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS);

    private ServiceDeploymentView() {
    }

    static ServiceDeployment of(RegionState state, Service service, Deployment d) {
        ServiceView.Counts counts = ServiceView.Counts.of(state, service);
        List<ServiceRevisionSummary> sources = new ArrayList<>();
        for (ServiceRevision source : d.sources()) {
            sources.add(summary(service, deploymentOf(service, source), counts));
        }
        ServiceDeployment.Builder b = ServiceDeployment.builder()
                .serviceDeploymentArn(d.arn())
                .serviceArn(service.arn())
                .clusterArn(service.clusterArn())
                .createdAt(d.createdAt())
                .startedAt(d.startedAt())
                .finishedAt(d.finishedAt())
                .stoppedAt(d.stoppedAt())
                .updatedAt(d.updatedAt())
                .sourceServiceRevisions(sources)
                .targetServiceRevision(summary(service, d, counts))
                .status(d.deploymentStatus())
                .statusReason(d.statusReason())
                .deploymentConfiguration(d.configuration())
                .deploymentCircuitBreaker(circuitBreaker(service, d));
        if (d.rollback() != null) {
            b.rollback(Rollback.builder().reason(d.rollback().reason()).startedAt(d.rollback().startedAt())
                    .serviceRevisionArn(d.rollback().serviceRevisionArn()).build());
        }
        return b.build();
    }

    static ServiceDeploymentBrief brief(Service service, Deployment d) {
        return ServiceDeploymentBrief.builder()
                .serviceDeploymentArn(d.arn())
                .serviceArn(service.arn())
                .clusterArn(service.clusterArn())
                .startedAt(d.startedAt())
                .createdAt(d.createdAt())
                .finishedAt(d.finishedAt())
                .targetServiceRevisionArn(d.revision().arn())
                .status(d.deploymentStatus())
                .statusReason(d.statusReason())
                .build();
    }

    static software.amazon.awssdk.services.ecs.model.ServiceRevision revision(ServiceRevision r) {
        List<ContainerImage> images = new ArrayList<>();
        for (ContainerDefinition c : r.taskDefinition().containerDefinitions()) {
            images.add(ContainerImage.builder().containerName(c.name()).image(c.image()).build());
        }
        software.amazon.awssdk.services.ecs.model.ServiceRevision.Builder b = software.amazon.awssdk.services.ecs.model.ServiceRevision
                .builder()
                .serviceRevisionArn(r.arn())
                .serviceArn(r.serviceArn())
                .clusterArn(r.clusterArn())
                .taskDefinition(r.taskDefinition().taskDefinitionArn())
                .loadBalancers(r.loadBalancers())
                .serviceRegistries(r.serviceRegistries())
                .networkConfiguration(r.networkConfiguration())
                .containerImages(images)
                .createdAt(r.createdAt());
        if (r.capacityProviderStrategy().isEmpty()) {
            b.launchType(r.launchType());
        } else {
            b.capacityProviderStrategy(r.capacityProviderStrategy());
        }
        if (r.platformVersion() != null) {
            b.platformVersion(r.platformVersion());
        }
        return b.build();
    }

    /** The deployment that rolled the revision out: every revision has its own. */
    private static Deployment deploymentOf(Service service, ServiceRevision revision) {
        for (Deployment d : service.history()) {
            if (d.revision().arn().equals(revision.arn())) {
                return d;
            }
        }
        throw new IllegalStateException("No deployment of " + revision.arn() + " in " + service.arn());
    }

    private static ServiceRevisionSummary summary(Service service, Deployment d, ServiceView.Counts counts) {
        return ServiceRevisionSummary.builder()
                .arn(d.revision().arn())
                .requestedTaskCount(d.desiredCount(service.desiredCount()))
                .runningTaskCount(counts.running(d))
                .pendingTaskCount(counts.pending(d))
                .build();
    }

    private static ServiceDeploymentCircuitBreaker circuitBreaker(Service service, Deployment d) {
        DeploymentCircuitBreaker configured = d.configuration().deploymentCircuitBreaker();
        int threshold = RolloutBounds.circuitBreakerThreshold(d.desiredCount(service.desiredCount()));
        ServiceDeploymentRollbackMonitorsStatus status;
        if (configured == null || !Boolean.TRUE.equals(configured.enable())) {
            status = ServiceDeploymentRollbackMonitorsStatus.DISABLED;
        } else if (d.isFailed() && d.failedTasks() >= threshold) {
            status = ServiceDeploymentRollbackMonitorsStatus.TRIGGERED;
        } else if (MONITORED.contains(d.deploymentStatus()) && !d.hadHealthyTask()) {
            status = ServiceDeploymentRollbackMonitorsStatus.MONITORING;
        } else {
            // A healthy task ends the watch, as does the end of the deployment.
            status = ServiceDeploymentRollbackMonitorsStatus.MONITORING_COMPLETE;
        }
        return ServiceDeploymentCircuitBreaker.builder().status(status).failureCount(d.failedTasks()).threshold(threshold).build();
    }
}
