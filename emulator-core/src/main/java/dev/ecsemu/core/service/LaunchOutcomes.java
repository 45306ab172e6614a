package dev.ecsemu.core.service;

import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * What became of the tasks a service launched: a task that becomes healthy settles its deployment's
 * circuit breaker and lifts the launch throttle; one that stops before it ever was healthy counts
 * towards the circuit breaker, and one that never even reached RUNNING throttles launches.
 */
final class LaunchOutcomes {
    /** Failed launches in a row before launches are throttled, and how the delay grows. */
    static final int THROTTLE_AFTER = 3;
    static final Duration THROTTLE_FIRST_DELAY = Duration.ofSeconds(10);
    static final Duration THROTTLE_MAX_DELAY = Duration.ofMinutes(15);

    /** What the scheduler remembers of each task of a service between passes. */
    enum Mark { SEEN, HEALTHY, DONE }

    private final TimeScale scale;
    private final TaskHealth health;
    private final EventLog events;

    LaunchOutcomes(TimeScale scale, TaskHealth health, EventLog events) {
        this.scale = scale;
        this.health = health;
        this.events = events;
    }

    /** Notes tasks that became healthy, and counts those that stopped before they ever were. */
    void account(Service service, List<Task> tasks, Instant now) {
        Set<String> present = new HashSet<>();
        for (Task t : tasks) {
            present.add(t.arn());
            Mark mark = marks(service).getOrDefault(t.arn(), Mark.SEEN);
            if (mark == Mark.DONE) {
                continue;
            }
            Deployment d = deploymentOf(service, t);
            if (mark == Mark.SEEN && health.isHealthy(t, now, new Wake())) {
                marks(service).put(t.arn(), Mark.HEALTHY);
                service.consecutiveFailedLaunches = 0;
                if (d != null) {
                    d.taskHealthy(now);
                }
                continue;
            }
            if (t.isStopped()) {
                marks(service).put(t.arn(), Mark.DONE);
                // A Spot interruption takes the capacity away: not the task's failure.
                boolean stoppedOnPurpose = t.stopCode() == TaskStopCode.SERVICE_SCHEDULER_INITIATED
                        || t.stopCode() == TaskStopCode.USER_INITIATED || t.stopCode() == TaskStopCode.SPOT_INTERRUPTION;
                if (mark == Mark.SEEN && !stoppedOnPurpose) {
                    taskFailed(service, d, t.startedAt() == null, now);
                }
            } else {
                marks(service).putIfAbsent(t.arn(), Mark.SEEN);
            }
        }
        marks(service).keySet().retainAll(present);
    }

    /** The scheduler stops a task that failed its health checks: a failure for the circuit breaker, replaced as unhealthy. */
    void failedHealthChecks(Service service, Task task, Instant now) {
        marks(service).put(task.arn(), Mark.DONE);
        taskFailed(service, deploymentOf(service, task), false, now);
        service.unhealthyReplacementsDue++;
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
            events.write(service, "(service " + service.name() + ") is unable to consistently start tasks successfully.", now);
        }
    }

    private static DeploymentCircuitBreaker breaker(Deployment d) {
        DeploymentCircuitBreaker b = d.configuration().deploymentCircuitBreaker();
        return b == null ? DeploymentCircuitBreaker.builder().enable(false).rollback(false).build() : b;
    }

    void evaluateCircuitBreaker(RegionState state, Service service, Instant now) {
        Deployment primary = service.primary();
        DeploymentCircuitBreaker b = breaker(primary);
        if (!b.enable() || primary.rolloutState() != DeploymentRolloutState.IN_PROGRESS
                || primary.failedTasks() < RolloutBounds.circuitBreakerThreshold(service.desiredCount())) {
            return;
        }
        String reason = "ECS deployment circuit breaker: tasks failed to start.";
        Optional<Deployment> target = Boolean.TRUE.equals(b.rollback()) ? lastCompleted(service) : Optional.empty();
        events.write(service, "(service " + service.name() + ") (deployment " + primary.id() + ") deployment failed: tasks failed to start.", now);
        if (target.isPresent()) {
            events.write(service, "(service " + service.name() + ") rolling back to deployment " + target.get().id() + ".", now);
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
}
