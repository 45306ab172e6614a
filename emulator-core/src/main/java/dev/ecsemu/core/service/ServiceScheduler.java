package dev.ecsemu.core.service;

import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.Reservation;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.placement.ContainerInstanceCandidate;
import dev.ecsemu.core.placement.Placement;
import dev.ecsemu.core.placement.PlacementRules;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.task.RuntimeCommand;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.TaskContainer;
import dev.ecsemu.core.task.TaskStatus;
import dev.ecsemu.core.task.Tasks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraint;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * The service scheduler: one level-triggered pass over one service compares what should run with
 * what runs and acts (starts, stops, deployment and service state, events), under the store's lock.
 * The runtime work it decides on is returned, to be carried out after the lock is released.
 */
public final class ServiceScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceScheduler.class);

    /** Without a health check, a new task counts as healthy this long after it reached RUNNING. */
    public static final Duration SETTLE_PERIOD = Duration.ofSeconds(40);
    /** A repeated event message is suppressed this long. */
    public static final Duration EVENT_SUPPRESSION = Duration.ofHours(6);
    /** Failed launches in a row before launches are throttled, and how the delay grows. */
    static final int THROTTLE_AFTER = 3;
    static final Duration THROTTLE_FIRST_DELAY = Duration.ofSeconds(10);
    static final Duration THROTTLE_MAX_DELAY = Duration.ofMinutes(15);

    private static final Reservation NOTHING = new Reservation(0, 0, Set.of(), Set.of());

    private final Clock clock;
    private final TimeScale scale;

    public ServiceScheduler(Clock clock, TimeScale scale) {
        this.clock = clock;
        this.scale = scale;
    }

    /** The runtime work a pass decided on, and when time alone will next change something (or null). */
    public record Pass(List<RuntimeCommand> commands, Instant wakeAt) {
    }

    /** What the scheduler remembers of each task of a service between passes. */
    enum Mark { SEEN, HEALTHY, DONE }

    public Pass reconcile(RegionState state, Service service) {
        Instant now = clock.instant();
        List<RuntimeCommand> commands = new ArrayList<>();
        Wake wake = new Wake();
        if (Service.INACTIVE.equals(service.status())) {
            return new Pass(commands, null);
        }
        Cluster cluster = state.clusters().find(service.clusterArn()).orElse(null);
        List<Task> tasks = tasksOf(state, service);

        service.primary().started(now);
        account(service, tasks, now);
        evaluateCircuitBreaker(state, service, now);

        List<ContainerInstance> instances = cluster == null ? List.of() : state.containerInstances().registered(cluster.arn());
        Deployment primary = service.primary();
        List<ContainerInstance> daemonInstances = service.isDaemon() ? daemonInstances(state, service, instances) : List.of();
        int desired = service.isDaemon() && service.isActive() ? daemonInstances.size() : service.desiredCount();
        if (service.isDaemon() && service.isActive() && desired != service.desiredCount()) {
            service.desiredCount(desired);
        }

        List<Rollout.Member<Task>> members = new ArrayList<>();
        Set<String> keptOn = new HashSet<>();
        for (Task t : tasks) {
            if (t.isStopped()) {
                continue;
            }
            members.add(member(state, service, primary, t, daemonInstances, keptOn, now, wake));
        }
        int minPercent = percent(service.settings().deploymentConfiguration().minimumHealthyPercent(), 100);
        int maxPercent = percent(service.settings().deploymentConfiguration().maximumPercent(), 200);
        RolloutBounds bounds = RolloutBounds.of(desired, minPercent, maxPercent);
        boolean paused = service.launchesPausedUntil != null && now.isBefore(service.launchesPausedUntil);
        if (paused) {
            wake.at(service.launchesPausedUntil);
        }
        boolean launchesAllowed = cluster != null && !paused && !primary.isFailed();
        Rollout.Decision<Task> decision = Rollout.decide(desired, bounds, launchesAllowed, members);

        stop(state, service, primary, decision.stop(), members, commands, now);
        if (decision.start() > 0) {
            start(state, service, cluster, primary, decision.start(), instances, daemonInstances, keptOn, commands, now);
        }
        if (decision.stalled()) {
            event(service, "(service " + service.name() + ") was unable to stop or start tasks during a deployment because of the service"
                    + " deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.", now);
        }
        settleDeployments(service, tasksOf(state, service), desired, now);
        return new Pass(commands, wake.at);
    }

    private static int percent(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static List<Task> tasksOf(RegionState state, Service service) {
        Set<String> deploymentIds = new HashSet<>();
        service.history().forEach(d -> deploymentIds.add(d.id()));
        List<Task> out = new ArrayList<>();
        for (Task t : state.tasks().inCluster(service.clusterArn())) {
            if (service.taskGroup().equals(t.group()) && deploymentIds.contains(t.startedBy())) {
                out.add(t);
            }
        }
        return out;
    }

    // ---- health ----------------------------------------------------------------------------------

    private static boolean hasHealthChecks(Task t) {
        for (TaskContainer c : t.containers()) {
            if (c.essential() && c.definition().healthCheck() != null) {
                return true;
            }
        }
        return false;
    }

    /** The health of the essential containers that have a health check. */
    private static HealthStatus checkedHealth(Task t) {
        boolean unknown = false;
        for (TaskContainer c : t.containers()) {
            if (!c.essential() || c.definition().healthCheck() == null) {
                continue;
            }
            if (c.health() == HealthStatus.UNHEALTHY) {
                return HealthStatus.UNHEALTHY;
            }
            unknown |= c.health() != HealthStatus.HEALTHY;
        }
        return unknown ? HealthStatus.UNKNOWN : HealthStatus.HEALTHY;
    }

    private boolean isRunning(Task t) {
        return t.lastStatus() == TaskStatus.RUNNING && Task.DESIRED_RUNNING.equals(t.desiredStatus());
    }

    /** RUNNING and healthy as ECS counts it: health checks HEALTHY where defined, else RUNNING for the settle period. */
    private boolean isHealthy(Task t, Instant now, Wake wake) {
        if (!isRunning(t)) {
            return false;
        }
        if (hasHealthChecks(t)) {
            return checkedHealth(t) == HealthStatus.HEALTHY;
        }
        Instant settled = t.startedAt().plus(scale.of(SETTLE_PERIOD));
        if (now.isBefore(settled)) {
            wake.at(settled);
            return false;
        }
        return true;
    }

    /** Failed its health checks after the grace period: the scheduler replaces it. */
    private boolean isFailing(Service service, Task t, Instant now, Wake wake) {
        if (!isRunning(t) || !hasHealthChecks(t) || checkedHealth(t) != HealthStatus.UNHEALTHY) {
            return false;
        }
        Instant graceEnds = t.startedAt().plus(scale.of(Duration.ofSeconds(service.settings().healthCheckGracePeriodSeconds())));
        if (now.isBefore(graceEnds)) {
            wake.at(graceEnds);
            return false;
        }
        return true;
    }

    // ---- what happened since the last pass ---------------------------------------------------------

    /** Notes tasks that became healthy, and counts those that stopped before they ever were. */
    private void account(Service service, List<Task> tasks, Instant now) {
        Set<String> present = new HashSet<>();
        for (Task t : tasks) {
            present.add(t.arn());
            Mark mark = marks(service).getOrDefault(t.arn(), Mark.SEEN);
            if (mark == Mark.DONE) {
                continue;
            }
            Deployment d = deploymentOf(service, t);
            if (mark == Mark.SEEN && isHealthy(t, now, new Wake())) {
                marks(service).put(t.arn(), Mark.HEALTHY);
                service.consecutiveFailedLaunches = 0;
                if (d != null) {
                    d.taskHealthy(now);
                }
                continue;
            }
            if (t.isStopped()) {
                marks(service).put(t.arn(), Mark.DONE);
                boolean stoppedOnPurpose = t.stopCode() == TaskStopCode.SERVICE_SCHEDULER_INITIATED
                        || t.stopCode() == TaskStopCode.USER_INITIATED;
                if (mark == Mark.SEEN && !stoppedOnPurpose) {
                    taskFailed(service, d, t.startedAt() == null, now);
                }
            } else {
                marks(service).putIfAbsent(t.arn(), Mark.SEEN);
            }
        }
        marks(service).keySet().retainAll(present);
    }

    private static Map<String, Mark> marks(Service service) {
        return service.marks;
    }

    private static Deployment deploymentOf(Service service, Task t) {
        for (Deployment d : service.history()) {
            if (d.id().equals(t.startedBy())) {
                return d;
            }
        }
        return null;
    }

    /**
     * A task stopped before it was ever healthy: the circuit breaker counts it; if it never even
     * reached RUNNING, launches back off as ECS throttles them.
     */
    private void taskFailed(Service service, Deployment d, boolean neverRan, Instant now) {
        if (d != null && d.rolloutState() == DeploymentRolloutState.IN_PROGRESS && !d.hadHealthyTask() && breaker(d).enable()) {
            d.taskFailed(now);
        }
        if (!neverRan) {
            return;
        }
        service.consecutiveFailedLaunches++;
        if (service.consecutiveFailedLaunches >= THROTTLE_AFTER) {
            int doublings = Math.min(service.consecutiveFailedLaunches - THROTTLE_AFTER, 10);
            Duration delay = THROTTLE_FIRST_DELAY.multipliedBy(1L << doublings);
            if (delay.compareTo(THROTTLE_MAX_DELAY) > 0) {
                delay = THROTTLE_MAX_DELAY;
            }
            service.launchesPausedUntil = now.plus(scale.of(delay));
            event(service, "(service " + service.name() + ") is unable to consistently start tasks successfully.", now);
        }
    }

    private static DeploymentCircuitBreaker breaker(Deployment d) {
        DeploymentCircuitBreaker b = d.configuration().deploymentCircuitBreaker();
        return b == null ? DeploymentCircuitBreaker.builder().enable(false).rollback(false).build() : b;
    }

    private void evaluateCircuitBreaker(RegionState state, Service service, Instant now) {
        Deployment primary = service.primary();
        DeploymentCircuitBreaker b = breaker(primary);
        if (!b.enable() || primary.rolloutState() != DeploymentRolloutState.IN_PROGRESS
                || primary.failedTasks() < RolloutBounds.circuitBreakerThreshold(service.desiredCount())) {
            return;
        }
        String reason = "ECS deployment circuit breaker: tasks failed to start.";
        Optional<Deployment> target = Boolean.TRUE.equals(b.rollback()) ? lastCompleted(service) : Optional.empty();
        event(service, "(service " + service.name() + ") (deployment " + primary.id() + ") deployment failed: tasks failed to start.", now);
        if (target.isPresent()) {
            event(service, "(service " + service.name() + ") rolling back to deployment " + target.get().id() + ".", now);
            state.services().rollBack(service, primary, target.get(), reason, false);
        } else {
            primary.failed(reason, now);
        }
    }

    private static Optional<Deployment> lastCompleted(Service service) {
        List<Deployment> history = service.history();
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).rolloutState() == DeploymentRolloutState.COMPLETED) {
                return Optional.of(history.get(i));
            }
        }
        return Optional.empty();
    }

    // ---- the pass's decision -----------------------------------------------------------------------

    private Rollout.Member<Task> member(RegionState state, Service service, Deployment primary, Task t,
            List<ContainerInstance> daemonInstances, Set<String> keptOn, Instant now, Wake wake) {
        boolean stopping = Task.DESIRED_STOPPED.equals(t.desiredStatus());
        boolean failing = !stopping && isFailing(service, t, now, wake);
        boolean running = !failing && isRunning(t);
        boolean healthy = running && isHealthy(t, now, wake);
        ContainerInstance ci = t.containerInstance();
        boolean keep = t.startedBy().equals(primary.id()) && (ci == null || ci.isActive());
        if (keep && service.isDaemon() && !stopping) {
            // One task per eligible instance: a task on an instance that no longer qualifies, or a second one, goes.
            keep = ci != null && daemonInstances.contains(ci) && keptOn.add(ci.arn());
        }
        return new Rollout.Member<>(t, keep ? Rollout.Role.KEEP : Rollout.Role.RETIRE, running, healthy, stopping, failing,
                state.tasks().isProtected(t));
    }

    private void stop(RegionState state, Service service, Deployment primary, List<Task> stop, List<Rollout.Member<Task>> members,
            List<RuntimeCommand> commands, Instant now) {
        if (stop.isEmpty()) {
            return;
        }
        StringBuilder ids = new StringBuilder();
        for (Task t : stop) {
            boolean failing = members.stream().anyMatch(m -> m.task() == t && m.failing());
            String reason;
            if (failing) {
                reason = "Task failed container health checks";
                event(service, "(service " + service.name() + ") (task " + t.id() + ") failed container health checks.", now);
                marks(service).put(t.arn(), Mark.DONE);
                taskFailed(service, deploymentOf(service, t), false, now);
                service.unhealthyReplacementsDue++;
            } else if (t.containerInstance() != null && !t.containerInstance().isActive()) {
                reason = "Container instance " + t.containerInstance().id() + " is being drained";
            } else {
                reason = "Scaling activity initiated by (deployment " + primary.id() + ")";
            }
            commands.addAll(state.lifecycle().requestStop(t, TaskStopCode.SERVICE_SCHEDULER_INITIATED, reason));
            state.lifecycle().beginStopping(t);
            ids.append(" (task ").append(t.id()).append(')');
        }
        event(service, "(service " + service.name() + ") has stopped " + stop.size() + " running tasks:" + ids + ".", now);
    }

    private void start(RegionState state, Service service, Cluster cluster, Deployment primary, int count,
            List<ContainerInstance> instances, List<ContainerInstance> daemonInstances, Set<String> keptOn,
            List<RuntimeCommand> commands, Instant now) {
        if (instances.isEmpty()) {
            unableToPlace(service, "Reason: No Container Instances were found in your cluster.", now);
            return;
        }
        Tasks.Spec spec = new Tasks.Spec(primary.revision().taskDefinition(), null, primary.revision().launchType(),
                service.taskGroup(), primary.id());
        Reservation need = Tasks.reservation(spec.taskDefinition(), null);
        PlacementRules rules;
        try {
            rules = state.placement().serviceRules(spec.taskDefinition().placementConstraints(),
                    service.settings().placementConstraints(), service.settings().placementStrategy());
        } catch (ApiException e) {
            unableToPlace(service, "Reason: " + e.getMessage(), now);
            return;
        }
        List<Task> started = new ArrayList<>();
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
        if (started.isEmpty()) {
            return;
        }
        StringBuilder ids = new StringBuilder();
        for (Task t : started) {
            tag(state, service, t);
            commands.addAll(state.lifecycle().launch(t));
            marks(service).put(t.arn(), Mark.SEEN);
            ids.append(" (task ").append(t.id()).append(')');
        }
        String replaced = "";
        if (service.unhealthyReplacementsDue > 0) {
            int n = Math.min(service.unhealthyReplacementsDue, started.size());
            service.unhealthyReplacementsDue -= n;
            replaced = " Amazon ECS replaced " + n + " tasks due to an unhealthy status.";
        }
        event(service, "(service " + service.name() + ") has started " + started.size() + " tasks:" + ids + "." + replaced, now);
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
        event(service, "(service " + service.name() + ") was unable to place a task because no container instance met all of its requirements. "
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
    private static List<ContainerInstance> daemonInstances(RegionState state, Service service, List<ContainerInstance> instances) {
        List<TaskDefinitionPlacementConstraint> tdConstraints = new ArrayList<>();
        for (TaskDefinitionPlacementConstraint c : service.revision().taskDefinition().placementConstraints()) {
            if (c.type() != null && c.type().toString().equals("memberOf")) {
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

    // ---- deployments and the service's own state -----------------------------------------------------

    /**
     * Older deployments leave once all their tasks are STOPPED (a task still stopping keeps its
     * deployment listed, as ECS keeps it through a load balancer's deregistration delay); the PRIMARY
     * completes when it alone is left with its desired count healthy; a deleted service goes INACTIVE
     * once none of its tasks runs or waits to.
     */
    private void settleDeployments(Service service, List<Task> tasks, int desired, Instant now) {
        Map<String, Integer> live = new HashMap<>();
        Set<String> owning = new HashSet<>();
        int healthyKept = 0;
        for (Task t : tasks) {
            if (!t.isStopped()) {
                owning.add(t.startedBy());
            }
            if (t.lastStatus().before(TaskStatus.DEACTIVATING) && Task.DESIRED_RUNNING.equals(t.desiredStatus())) {
                live.merge(t.startedBy(), 1, Integer::sum);
                if (t.startedBy().equals(service.primary().id()) && isHealthy(t, now, new Wake())) {
                    healthyKept++;
                }
            }
        }
        for (Deployment d : new ArrayList<>(service.deployments())) {
            if (!d.isPrimary() && !owning.contains(d.id())) {
                service.retire(d, now);
            }
        }
        Deployment primary = service.primary();
        boolean alone = service.deployments().size() == 1;
        int liveTotal = live.values().stream().mapToInt(Integer::intValue).sum();
        if (Service.DRAINING.equals(service.status())) {
            if (liveTotal == 0) {
                service.status(Service.INACTIVE, now);
            }
            return;
        }
        if (alone && primary.rolloutState() == DeploymentRolloutState.IN_PROGRESS && healthyKept == desired && liveTotal == desired) {
            primary.completed(now);
            service.changed();
            event(service, "(service " + service.name() + ") (deployment " + primary.id() + ") deployment completed.", now);
        }
        if (alone && primary.rolloutState() == DeploymentRolloutState.COMPLETED && healthyKept == desired && liveTotal == desired) {
            event(service, "(service " + service.name() + ") has reached a steady state.", now);
        }
    }

    private void event(Service service, String message, Instant now) {
        if (service.events().add(message, now, scale.of(EVENT_SUPPRESSION))) {
            service.changed();
            LOG.info("{}", message);
        }
    }

    /** The earliest moment a pass must look again because time alone changes something. */
    private static final class Wake {
        Instant at;

        void at(Instant when) {
            if (at == null || when.isBefore(at)) {
                at = when;
            }
        }
    }
}
