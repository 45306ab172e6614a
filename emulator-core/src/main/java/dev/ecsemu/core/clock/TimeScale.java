package dev.ecsemu.core.clock;

import java.time.Duration;

/**
 * Shortens (or stretches) the waits ECS itself imposes: the settle period before a new task counts
 * as healthy, grace periods, launch back-off, event suppression, draining delays. Timestamps are
 * not touched: the clock stays the real one, only these waits are multiplied.
 *
 * @param factor 1 keeps AWS's numbers; 0.05 turns 40 seconds into 2
 */
public record TimeScale(double factor) {
    public static final TimeScale REAL = new TimeScale(1.0);

    public TimeScale {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("The time scale must be a positive number (1 keeps AWS's waits, 0.05 makes them 20 times shorter); got "
                    + factor);
        }
    }

    /** The wait to use for a wait that lasts {@code aws} in ECS. */
    public Duration of(Duration aws) {
        if (factor == 1.0) {
            return aws;
        }
        return Duration.ofNanos(Math.round(aws.toNanos() * factor));
    }
}
