package dev.ecsemu.core.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rolling-update arithmetic of one scheduler pass, over plain facts about a service's tasks:
 * how many new tasks may start and which tasks may stop without breaking {@link RolloutBounds}.
 * Pure: no clock, no store.
 *
 * <p>Starting: the tasks the service should keep fall short of the desired count, and the tasks not
 * yet STOPPED stay within {@code maxTasks}. Stopping: tasks to retire (of an older deployment, on a
 * draining instance) and tasks beyond the desired count go, cheapest first (not yet running, then
 * running but not yet healthy, then healthy). A running task goes only while the healthy ones stay at
 * {@code minHealthy} or above: while too few are healthy, young tasks stay to become healthy rather
 * than be replaced. Tasks under scale-in protection stay. Tasks that fail their health checks always go.
 */
public final class Rollout {
    private Rollout() {
    }

    /** Whether the task belongs to what the service should run, or is to be replaced. */
    public enum Role { KEEP, RETIRE }

    /**
     * One task that is not STOPPED.
     *
     * @param running   RUNNING and not failing its health checks
     * @param healthy   counts towards the minimum healthy tasks
     * @param stopping  already asked to stop
     * @param failing   failed its health checks past the grace period: replaced at once
     * @param protectedFromStop scale-in protection is on
     */
    public record Member<T>(T task, Role role, boolean running, boolean healthy, boolean stopping, boolean failing,
            boolean protectedFromStop) {

        boolean inFlight() {
            return stopping || !running || !healthy;
        }

        int cost() {
            return healthy ? 2 : running ? 1 : 0;
        }
    }

    /** What the pass does: start {@code start} tasks, stop {@code stop}; {@code stalled} when the bounds allow no move. */
    public record Decision<T>(int start, List<T> stop, boolean stalled) {
    }

    /**
     * @param desired          the tasks the service should keep
     * @param launchesAllowed  false while launches are paused (failed deployment, back-off)
     * @param members          in the order the caller prefers to stop them among equals
     */
    public static <T> Decision<T> decide(int desired, RolloutBounds bounds, boolean launchesAllowed, List<Member<T>> members) {
        int healthy = 0;
        int keeping = 0;
        boolean inFlight = false;
        List<T> stop = new ArrayList<>();
        List<Member<T>> candidates = new ArrayList<>();
        List<Member<T>> keep = new ArrayList<>();
        for (Member<T> m : members) {
            inFlight |= m.inFlight();
            if (m.stopping()) {
                continue;
            }
            if (m.failing()) {
                stop.add(m.task());
                continue;
            }
            healthy += m.healthy() ? 1 : 0;
            if (m.role() == Role.KEEP) {
                keeping++;
                if (!m.protectedFromStop()) {
                    keep.add(m);
                }
            } else if (!m.protectedFromStop()) {
                candidates.add(m);
            }
        }
        int excess = keeping - desired;
        if (excess > 0) {
            keep.sort(Comparator.comparingInt(Member::cost));
            candidates.addAll(keep.subList(0, Math.min(excess, keep.size())));
        }
        candidates.sort(Comparator.comparingInt(Member::cost));
        int stoppedKeeping = 0;
        for (Member<T> m : candidates) {
            int healthyAfter = healthy - (m.healthy() ? 1 : 0);
            if (m.running() && healthyAfter < bounds.minHealthy()) {
                continue;
            }
            stop.add(m.task());
            healthy = healthyAfter;
            stoppedKeeping += m.role() == Role.KEEP ? 1 : 0;
        }
        int notStopped = members.size();
        int start = launchesAllowed ? Math.max(0, Math.min(desired - (keeping - stoppedKeeping), bounds.maxTasks() - notStopped)) : 0;
        // Protected tasks are no candidates: waiting for their protection to lapse is no stall.
        boolean wantsMove = !candidates.isEmpty() || keeping < desired;
        boolean stalled = launchesAllowed && wantsMove && start == 0 && stop.isEmpty() && !inFlight;
        return new Decision<>(start, stop, stalled);
    }
}
