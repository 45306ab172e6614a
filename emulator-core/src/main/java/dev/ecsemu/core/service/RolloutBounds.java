package dev.ecsemu.core.service;

/**
 * The two bounds a rolling update keeps at every instant: at most {@code maxTasks} tasks that are not
 * STOPPED (running, pending or stopping), and at least {@code minHealthy} healthy running tasks.
 *
 * @param maxTasks   {@code floor(desired × maximumPercent / 100)}
 * @param minHealthy {@code ceil(desired × minimumHealthyPercent / 100)}
 */
public record RolloutBounds(int maxTasks, int minHealthy) {

    public static RolloutBounds of(int desired, int minimumHealthyPercent, int maximumPercent) {
        long max = (long) desired * maximumPercent / 100;
        long minTimes100 = (long) desired * minimumHealthyPercent;
        long min = (minTimes100 + 99) / 100;
        return new RolloutBounds((int) Math.min(max, Integer.MAX_VALUE), (int) Math.min(min, Integer.MAX_VALUE));
    }

    /** ECS's circuit breaker threshold: half the desired count, at least 3 and at most 200. */
    public static int circuitBreakerThreshold(int desired) {
        int half = (int) Math.min(((long) desired + 1) / 2, Integer.MAX_VALUE);
        return Math.max(3, Math.min(200, half));
    }
}
