package dev.ecsemu.core.service;

import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.task.RuntimeCommand;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * The service scheduler: one level-triggered pass over one service compares what should run with
 * what runs and acts (starts, stops, deployment and service state, events), under the store's lock.
 * The runtime work it decides on is returned, to be carried out after the lock is released.
 */
public final class ServiceScheduler {
    /** Without a health check, a new task counts as healthy this long after it reached RUNNING. */
    public static final Duration SETTLE_PERIOD = TaskHealth.SETTLE_PERIOD;

    private final Clock clock;
    private final TaskHealth health;
    private final EventLog events;
    private final LaunchOutcomes outcomes;
    private final ServiceTaskLauncher launcher;

    public ServiceScheduler(Clock clock, TimeScale scale) {
        this.clock = clock;
        this.health = new TaskHealth(scale);
        this.events = new EventLog(scale);
        this.outcomes = new LaunchOutcomes(scale, health, events);
        this.launcher = new ServiceTaskLauncher(events);
    }

    /** The runtime work a pass decided on, and when time alone will next change something (or null). */
    public record Pass(List<RuntimeCommand> commands, Instant wakeAt) {
    }

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
        outcomes.account(service, tasks, now);
        outcomes.evaluateCircuitBreaker(state, service, now);

        List<ContainerInstance> instances = cluster == null ? List.of() : state.containerInstances().registered(cluster.arn());
        Deployment primary = service.primary();
        List<ContainerInstance> daemonInstances = service.isDaemon() ? ServiceTaskLauncher.daemonInstances(state, service, instances) : List.of();
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
        // ServiceRules filled both in (REPLICA 100/200, DAEMON 0/100) when the service was made or updated.
        int minPercent = service.settings().deploymentConfiguration().minimumHealthyPercent();
        int maxPercent = service.settings().deploymentConfiguration().maximumPercent();
        RolloutBounds bounds = RolloutBounds.of(desired, minPercent, maxPercent);
        boolean paused = service.launchesPausedUntil != null && now.isBefore(service.launchesPausedUntil);
        if (paused) {
            wake.at(service.launchesPausedUntil);
        }
        boolean launchesAllowed = cluster != null && !paused && !primary.isFailed();
        Rollout.Decision<Task> decision = Rollout.decide(desired, bounds, launchesAllowed, members);

        stop(state, service, primary, decision.stop(), members, commands, now);
        if (decision.start() > 0) {
            launcher.start(state, service, cluster, primary, decision.start(), instances, daemonInstances, keptOn, commands, now);
        }
        if (decision.stalled()) {
            events.write(service, "(service " + service.name() + ") was unable to stop or start tasks during a deployment because of the service"
                    + " deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.", now);
        }
        settleDeployments(service, tasksOf(state, service), desired, now);
        return new Pass(commands, wake.at);
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

    // ---- the pass's decision -----------------------------------------------------------------------

    private Rollout.Member<Task> member(RegionState state, Service service, Deployment primary, Task t,
            List<ContainerInstance> daemonInstances, Set<String> keptOn, Instant now, Wake wake) {
        boolean stopping = Task.DESIRED_STOPPED.equals(t.desiredStatus());
        boolean failing = !stopping && health.isFailing(service, t, now, wake);
        boolean running = !failing && TaskHealth.isRunning(t);
        boolean healthy = running && health.isHealthy(t, now, wake);
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
                events.write(service, "(service " + service.name() + ") (task " + t.id() + ") failed container health checks.", now);
                outcomes.failedHealthChecks(service, t, now);
            } else if (t.containerInstance() != null && !t.containerInstance().isActive()) {
                reason = "Container instance " + t.containerInstance().id() + " is being drained";
            } else {
                reason = "Scaling activity initiated by (deployment " + primary.id() + ")";
            }
            commands.addAll(state.lifecycle().requestStop(t, TaskStopCode.SERVICE_SCHEDULER_INITIATED, reason));
            state.lifecycle().beginStopping(t);
            ids.append(" (task ").append(t.id()).append(')');
        }
        events.write(service, "(service " + service.name() + ") has stopped " + stop.size() + " running tasks:" + ids + ".", now);
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
                if (t.startedBy().equals(service.primary().id()) && health.isHealthy(t, now, new Wake())) {
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
            events.write(service, "(service " + service.name() + ") (deployment " + primary.id() + ") deployment completed.", now);
        }
        if (alone && primary.rolloutState() == DeploymentRolloutState.COMPLETED && healthyKept == desired && liveTotal == desired) {
            events.write(service, "(service " + service.name() + ") has reached a steady state.", now);
        }
    }
}
