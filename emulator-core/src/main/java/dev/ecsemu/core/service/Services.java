package dev.ecsemu.core.service;

import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.state.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.DeploymentController;
import software.amazon.awssdk.services.ecs.model.SchedulingStrategy;

/**
 * The services of one store. A deleted service stays describable (DRAINING, then INACTIVE) and its
 * name can be used again once it is INACTIVE; INACTIVE services are forgotten after a while.
 */
public final class Services {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
    public static final Duration INACTIVE_RETENTION = Duration.ofHours(1);

    private final Scope scope;
    private final Clock clock;
    /** By service ARN; an INACTIVE service is replaced when its name is used again. */
    private final Map<String, Service> byArn = new HashMap<>();

    public Services(Scope scope, Clock clock) {
        this.scope = scope;
        this.clock = clock;
    }

    /** What CreateService asks for, with ECS's defaults filled in. */
    public record Spec(String name, ServiceRevision.Config revision, Service.Settings settings, SchedulingStrategy schedulingStrategy,
            DeploymentController deploymentController, String roleArn, String clientToken) {
    }

    public Service create(Cluster cluster, Spec spec) {
        if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
            throw EcsErrors.invalidParameter("Service name must be 1 to 255 letters, numbers, hyphens and underscores"
                    + (spec.name() == null ? "." : "; got '" + spec.name() + "'."));
        }
        String arn = Arn.ecs(scope, "service/" + cluster.name() + "/" + spec.name());
        Service existing = byArn.get(arn);
        if (existing != null && Service.ACTIVE.equals(existing.status())) {
            throw EcsErrors.invalidParameter("Creation of service was not idempotent.");
        }
        if (existing != null && Service.DRAINING.equals(existing.status())) {
            throw EcsErrors.invalidParameter("Unable to Start a service that is still Draining.");
        }
        Instant now = clock.instant();
        Service service = new Service(arn, spec.name(), cluster.arn(), cluster.name(), spec.schedulingStrategy(),
                spec.deploymentController(), spec.roleArn(), null, now, spec.settings(), spec.clientToken());
        byArn.put(arn, service);
        deploy(service, spec.revision());
        return service;
    }

    /** Starts a new PRIMARY deployment of {@code config}; the previous deployments are rolled away. */
    public Deployment deploy(Service service, ServiceRevision.Config config) {
        Instant now = clock.instant();
        String digits = nineteenDigits();
        ServiceRevision revision = ServiceRevision.of(
                Arn.ecs(scope, "service-revision/" + service.clusterName() + "/" + service.name() + "/" + digits),
                service.arn(), service.clusterArn(), config, now);
        List<ServiceRevision> sources = new ArrayList<>();
        service.deployments().forEach(d -> sources.add(d.revision()));
        Deployment deployment = new Deployment("ecs-svc/" + digits,
                Arn.ecs(scope, "service-deployment/" + service.clusterName() + "/" + service.name() + "/" + deploymentKey()),
                revision, sources, service.settings().deploymentConfiguration(), now);
        service.deploy(deployment, now);
        service.consecutiveFailedLaunches = 0;
        service.launchesPausedUntil = null;
        return deployment;
    }

    /**
     * Rolls {@code from} back (the circuit breaker, or StopServiceDeployment when {@code requested}):
     * it fails, and a new deployment takes the service back to {@code to}'s revision.
     */
    public Deployment rollBack(Service service, Deployment from, Deployment to, String reason, boolean requested) {
        Instant now = clock.instant();
        from.rolledBack(new Deployment.Rollback(reason, now, to.revision().arn()), requested, now);
        Deployment rollback = deploy(service, to.revision().config());
        rollback.carriesOutRollbackOf(from, to.id(), !requested);
        return rollback;
    }

    public void update(Service service, Service.Settings settings) {
        service.settings(settings);
    }

    /** DeleteService: the service drains (desired count 0) and becomes INACTIVE once its tasks are gone. */
    public void delete(Service service) {
        service.desiredCount(0);
        service.status(Service.DRAINING, clock.instant());
    }

    /** A service of the cluster by name or ARN, whatever its status. */
    public Optional<Service> find(Cluster cluster, String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) {
            return Optional.empty();
        }
        String arn = nameOrArn.startsWith("arn:") ? nameOrArn : Arn.ecs(scope, "service/" + cluster.name() + "/" + nameOrArn);
        Service s = byArn.get(arn);
        if (s == null && nameOrArn.startsWith("arn:")) {
            // The old short form service/<name> names the service of that name in the cluster; a long ARN
            // of another cluster, account or region names another service, even with the same name.
            s = Arn.parse(nameOrArn)
                    .filter(a -> a.isIn(scope) && a.resourceType().equals("service") && !a.resourceId().contains("/"))
                    .map(a -> byArn.get(Arn.ecs(scope, "service/" + cluster.name() + "/" + a.resourceId())))
                    .orElse(null);
        }
        return Optional.ofNullable(s).filter(x -> x.clusterArn().equals(cluster.arn()));
    }

    /**
     * The service a service-deployment or service-revision ARN of this store names
     * ({@code <type>/<cluster>/<service>/<id>}), whatever its status.
     */
    public Optional<Service> owning(String deploymentOrRevisionArn) {
        Optional<Arn> arn = Arn.parse(deploymentOrRevisionArn).filter(a -> a.service().equals("ecs") && a.isIn(scope));
        if (arn.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = arn.get().resourceId().split("/", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        return Optional.ofNullable(byArn.get(Arn.ecs(scope, "service/" + parts[0] + "/" + parts[1])));
    }

    /** Every service of the cluster (any status), by ARN. */
    public List<Service> inCluster(String clusterArn) {
        List<Service> out = new ArrayList<>();
        for (Service s : byArn.values()) {
            if (s.clusterArn().equals(clusterArn)) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparing(Service::arn));
        return out;
    }

    /** Services the scheduler still has work for: ACTIVE and DRAINING ones. */
    public List<Service> scheduled() {
        List<Service> out = new ArrayList<>();
        for (Service s : byArn.values()) {
            if (!Service.INACTIVE.equals(s.status())) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparing(Service::arn));
        return out;
    }

    public boolean isEmpty() {
        return byArn.isEmpty();
    }

    /** Forgets INACTIVE services some time after they became so. */
    public void purgeExpired() {
        Instant now = clock.instant();
        Iterator<Service> it = byArn.values().iterator();
        while (it.hasNext()) {
            Service s = it.next();
            if (Service.INACTIVE.equals(s.status()) && s.deletedAt() != null && now.isAfter(s.deletedAt().plus(INACTIVE_RETENTION))) {
                it.remove();
            }
        }
    }

    /** 19 digits without a leading zero, as ECS deployment ids have. */
    private static String nineteenDigits() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE));
    }

    private static final char[] KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    /** The random part of a service deployment ARN. */
    private static String deploymentKey() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] out = new char[21];
        for (int i = 0; i < out.length; i++) {
            out[i] = KEY[r.nextInt(KEY.length)];
        }
        return new String(out);
    }
}
