package dev.ecsemu.api.ecs;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.service.Deployment;
import dev.ecsemu.core.service.Service;
import dev.ecsemu.core.service.ServiceController;
import dev.ecsemu.core.service.ServiceRevision;
import dev.ecsemu.core.state.Page;
import dev.ecsemu.core.state.RegionState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.CreatedAt;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentNotFoundException;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentRequest;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentResponse;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentStopType;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

/**
 * DescribeServiceDeployments, ListServiceDeployments, DescribeServiceRevisions and
 * StopServiceDeployment: a service's history of deployments (every {@link Deployment} it had, while
 * the service is known) and the revisions they rolled out.
 */
public final class ServiceDeploymentOperations {
    private static final int MAX_DESCRIBE = 20;
    /** ECS's pending and ongoing stages; the others are the completed stage. */
    private static final Set<ServiceDeploymentStatus> ONGOING = Set.of(ServiceDeploymentStatus.PENDING,
            ServiceDeploymentStatus.IN_PROGRESS, ServiceDeploymentStatus.STOP_REQUESTED, ServiceDeploymentStatus.ROLLBACK_REQUESTED,
            ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS);
    static final String ROLLBACK_REASON = "A user stopped the service deployment with StopServiceDeployment (ROLLBACK).";

    private final ServiceController scheduler;

    public ServiceDeploymentOperations(ServiceController scheduler) {
        this.scheduler = scheduler;
    }

    public DescribeServiceDeploymentsResponse describeServiceDeployments(DescribeServiceDeploymentsRequest r, RequestContext ctx) {
        checkArnCount("serviceDeploymentArns", r.serviceDeploymentArns());
        return ctx.store().read(state -> {
            List<ServiceDeployment> found = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String arn : r.serviceDeploymentArns()) {
                Optional<Service> service = state.services().owning(arn);
                Optional<Deployment> d = service.flatMap(s -> deployment(s, arn));
                if (d.isPresent()) {
                    found.add(ServiceDeploymentView.of(state, service.get(), d.get()));
                } else {
                    failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                }
            }
            return DescribeServiceDeploymentsResponse.builder().serviceDeployments(found).failures(failures).build();
        });
    }

    public DescribeServiceRevisionsResponse describeServiceRevisions(DescribeServiceRevisionsRequest r, RequestContext ctx) {
        checkArnCount("serviceRevisionArns", r.serviceRevisionArns());
        return ctx.store().read(state -> {
            List<software.amazon.awssdk.services.ecs.model.ServiceRevision> found = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String arn : r.serviceRevisionArns()) {
                Optional<ServiceRevision> revision = state.services().owning(arn).flatMap(s -> revision(s, arn));
                if (revision.isPresent()) {
                    found.add(ServiceDeploymentView.revision(revision.get()));
                } else {
                    failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                }
            }
            return DescribeServiceRevisionsResponse.builder().serviceRevisions(found).failures(failures).build();
        });
    }

    /** The service's deployments, newest first, filtered by status and creation time. */
    public ListServiceDeploymentsResponse listServiceDeployments(ListServiceDeploymentsRequest r, RequestContext ctx) {
        if (r.service() == null || r.service().isEmpty()) {
            throw EcsErrors.invalidParameter("service must be given: the name or ARN of the service whose deployments to list.");
        }
        CreatedAt created = r.createdAt();
        Instant before = created == null ? null : created.before();
        Instant after = created == null ? null : created.after();
        return ctx.store().read(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            Service service = state.services().find(cluster, r.service()).orElseThrow(EcsErrors::serviceNotFound);
            List<Deployment> history = service.history();
            List<Deployment> matching = new ArrayList<>();
            for (int i = history.size() - 1; i >= 0; i--) {
                Deployment d = history.get(i);
                // Compared as clients see the time: to the millisecond.
                Instant createdAt = d.createdAt().truncatedTo(ChronoUnit.MILLIS);
                if ((r.status().isEmpty() || r.status().contains(d.deploymentStatus()))
                        && (before == null || createdAt.isBefore(before))
                        && (after == null || createdAt.isAfter(after))) {
                    matching.add(d);
                }
            }
            // Newest first; the page key is the place in the history, which never changes.
            Page<Deployment> page = Page.of(matching, d -> String.format("%010d", history.indexOf(d)), Comparator.reverseOrder(),
                    r.maxResults(), r.nextToken(), 20, 100);
            List<ServiceDeploymentBrief> briefs = new ArrayList<>();
            page.items().forEach(d -> briefs.add(ServiceDeploymentView.brief(service, d)));
            return ListServiceDeploymentsResponse.builder().serviceDeployments(briefs).nextToken(page.nextToken()).build();
        });
    }

    /**
     * ROLLBACK: a PENDING or IN_PROGRESS deployment is stopped and the service deploys the revision of
     * the latest deployment before it that completed. A deployment already stopping or rolling back
     * goes on doing so; a finished one can no longer be stopped.
     */
    public StopServiceDeploymentResponse stopServiceDeployment(StopServiceDeploymentRequest r, RequestContext ctx) {
        String arn = r.serviceDeploymentArn();
        if (arn == null || arn.isEmpty()) {
            throw EcsErrors.invalidParameter("serviceDeploymentArn must be given.");
        }
        StopServiceDeploymentStopType type = r.stopType() == null ? StopServiceDeploymentStopType.ROLLBACK : r.stopType();
        if (type == StopServiceDeploymentStopType.ABORT) {
            throw ApiException.of(UnsupportedFeatureException.class, "ecs-emu stops service deployments with stopType ROLLBACK only;"
                    + " ABORT is not supported. Leave stopType out or give ROLLBACK.");
        }
        StopServiceDeploymentResponse response = ctx.store().write(state -> {
            Service service = state.services().owning(arn).orElseThrow(ServiceDeploymentOperations::notFound);
            Deployment d = deployment(service, arn).orElseThrow(ServiceDeploymentOperations::notFound);
            if (isStoppable(d)) {
                rollBack(state, service, d);
            } else if (!isStopping(d)) {
                throw ApiException.of(ConflictException.class, "The service deployment " + arn + " has finished ("
                        + d.deploymentStatus() + "); only a PENDING or IN_PROGRESS service deployment can be stopped. To go back to an"
                        + " earlier revision, update the service with that revision's task definition.");
            }
            return StopServiceDeploymentResponse.builder().serviceDeploymentArn(arn).build();
        });
        scheduler.kick(ctx.scope());
        return response;
    }

    private static void rollBack(RegionState state, Service service, Deployment d) {
        if (!service.isActive()) {
            throw ApiException.of(ConflictException.class, "The service " + service.arn() + " is " + service.status()
                    + "; the deployments of a deleted service cannot be rolled back.");
        }
        Deployment to = lastCompletedBefore(service, d).orElseThrow(() -> ApiException.of(ConflictException.class,
                "The service deployment " + d.arn() + " has no earlier deployment that completed, so there is no service revision to"
                        + " roll back to. Update the service with the task definition to run instead."));
        state.services().rollBack(service, d, to, ROLLBACK_REASON, true);
    }

    /** PENDING or IN_PROGRESS, and not itself carrying out a rollback. */
    private static boolean isStoppable(Deployment d) {
        return d.rollbackOf() == null && (d.deploymentStatus() == ServiceDeploymentStatus.PENDING
                || d.deploymentStatus() == ServiceDeploymentStatus.IN_PROGRESS);
    }

    /** Not finished: one that is already stopping or rolling back goes on doing so. */
    private static boolean isStopping(Deployment d) {
        return ONGOING.contains(d.deploymentStatus());
    }

    private static Optional<Deployment> lastCompletedBefore(Service service, Deployment d) {
        List<Deployment> history = service.history();
        for (int i = history.indexOf(d) - 1; i >= 0; i--) {
            if (history.get(i).rolloutState() == DeploymentRolloutState.COMPLETED) {
                return Optional.of(history.get(i));
            }
        }
        return Optional.empty();
    }

    private static Optional<Deployment> deployment(Service service, String arn) {
        return service.history().stream().filter(d -> d.arn().equals(arn)).findFirst();
    }

    private static Optional<ServiceRevision> revision(Service service, String arn) {
        return service.history().stream().map(Deployment::revision).filter(rev -> rev.arn().equals(arn)).findFirst();
    }

    private static ApiException notFound() {
        return ApiException.of(ServiceDeploymentNotFoundException.class, "The service deployment does not exist.");
    }

    private static void checkArnCount(String member, List<String> arns) {
        if (arns.isEmpty() || arns.size() > MAX_DESCRIBE) {
            throw EcsErrors.invalidParameter(member + " must name 1 to " + MAX_DESCRIBE + " ARNs; got " + arns.size() + ".");
        }
    }
}
