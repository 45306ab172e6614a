package dev.ecsemu.core.service;

import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.TaskContainer;
import dev.ecsemu.core.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.ecs.model.HealthStatus;

/**
 * When a service counts a task as healthy (its essential health checks pass, or, without any, it has
 * been RUNNING for the settle period) and when it replaces one (its checks fail after the grace
 * period). Times that are still to come are noted on the {@link Wake}.
 */
final class TaskHealth {
    /** Without a health check, a new task counts as healthy this long after it reached RUNNING. */
    static final Duration SETTLE_PERIOD = Duration.ofSeconds(40);

    private final TimeScale scale;

    TaskHealth(TimeScale scale) {
        this.scale = scale;
    }

    static boolean hasHealthChecks(Task t) {
        for (TaskContainer c : t.containers()) {
            if (c.essential() && c.definition().healthCheck() != null) {
                return true;
            }
        }
        return false;
    }

    /** The health of the essential containers that have a health check. */
    static HealthStatus checkedHealth(Task t) {
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

    static boolean isRunning(Task t) {
        return t.lastStatus() == TaskStatus.RUNNING && Task.DESIRED_RUNNING.equals(t.desiredStatus());
    }

    /** RUNNING and healthy as ECS counts it: health checks HEALTHY where defined, else RUNNING for the settle period. */
    boolean isHealthy(Task t, Instant now, Wake wake) {
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
    boolean isFailing(Service service, Task t, Instant now, Wake wake) {
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
}
