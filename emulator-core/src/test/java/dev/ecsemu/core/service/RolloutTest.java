package dev.ecsemu.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.core.service.Rollout.Decision;
import dev.ecsemu.core.service.Rollout.Member;
import dev.ecsemu.core.service.Rollout.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One scheduler pass's decision, over plain facts. Tasks are named by what they are: {@code old} tasks
 * belong to the deployment being replaced, {@code new} ones to the PRIMARY; each is healthy (RUNNING
 * and settled), running (RUNNING, not yet settled) or pending (not yet RUNNING).
 */
class RolloutTest {

    // ---- members ----

    private static Member<String> healthy(String name, Role role) {
        return new Member<>(name, role, true, true, false, false, false);
    }

    private static Member<String> running(String name, Role role) {
        return new Member<>(name, role, true, false, false, false, false);
    }

    private static Member<String> pending(String name, Role role) {
        return new Member<>(name, role, false, false, false, false, false);
    }

    private static Member<String> stopping(String name, Role role) {
        return new Member<>(name, role, false, false, true, false, false);
    }

    private static Member<String> failing(String name, Role role) {
        return new Member<>(name, role, false, false, false, true, false);
    }

    private static Member<String> protectedHealthy(String name, Role role) {
        return new Member<>(name, role, true, true, false, false, true);
    }

    /** {@code count} healthy tasks named prefix1, prefix2, ... */
    private static List<Member<String>> healthyTasks(String prefix, int count, Role role) {
        List<Member<String>> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(healthy(prefix + i, role));
        }
        return out;
    }

    @SafeVarargs
    private static List<Member<String>> tasks(List<Member<String>>... groups) {
        List<Member<String>> out = new ArrayList<>();
        for (List<Member<String>> g : groups) {
            out.addAll(g);
        }
        return out;
    }

    private static Decision<String> decide(int desired, int minPercent, int maxPercent, List<Member<String>> members) {
        return Rollout.decide(desired, RolloutBounds.of(desired, minPercent, maxPercent), true, members);
    }

    // ---- the first step of a rollout: every task is an old, healthy one ----

    @ParameterizedTest(name = "desired {0} at {1}/{2}: the first pass stops {3} and starts {4}, stalled {5}")
    @CsvSource(delimiter = '|', value = {
            // desired | min% | max% | stop | start | stalled
            // The reference's example: 4 at 50/200 stops 2 and starts 4 at once.
            "4|50|200|2|4|false",
            // ECS's default: all new tasks start beside the old ones, which stay until those are healthy.
            "4|100|200|0|4|false",
            // No room above the desired count, but nothing to keep healthy: every old task goes, none starts yet.
            "4|0|100|4|0|false",
            // Neither room above nor room below: the deployment stalls.
            "4|100|100|0|0|true",
            // The reference's example: 2 with min 75% keeps both (ceil(1.5) = 2); at max 100% it stalls.
            "2|75|100|0|0|true",
            // With max 200% it is only slow: it starts 2 beside them.
            "2|75|200|0|2|false",
            // The reference's example: 3 with max 125% starts nothing beside the 3 (floor(3.75) = 3)...
            "3|100|125|0|0|true",
            // ... but may stop one at min 50% (ceil(1.5) = 2 stay).
            "3|50|125|1|0|false",
            "1|100|200|0|1|false",
            "1|0|100|1|0|false",
            "1|50|150|0|0|true",
            "6|50|150|3|3|false",
    })
    void firstStepOfARollout(int desired, int minPercent, int maxPercent, int stop, int start, boolean stalled) {
        Decision<String> d = decide(desired, minPercent, maxPercent, healthyTasks("old", desired, Role.RETIRE));

        assertThat(d.stop()).hasSize(stop);
        assertThat(d.start()).isEqualTo(start);
        assertThat(d.stalled()).isEqualTo(stalled);
    }

    @Test
    void oldTasksGoOnceTheNewOnesAreHealthy() {
        // 4 at 100/200, after the first step: 4 old healthy, 4 new healthy.
        Decision<String> d = decide(4, 100, 200, tasks(healthyTasks("old", 4, Role.RETIRE), healthyTasks("new", 4, Role.KEEP)));

        assertThat(d.stop()).containsExactly("old1", "old2", "old3", "old4");
        assertThat(d.start()).isZero();
        assertThat(d.stalled()).isFalse();
    }

    @Test
    void oldTasksStayWhileTheNewOnesAreNotYetHealthy() {
        // 4 at 100/200: the 4 new ones run but have not settled, so none of the old may go.
        List<Member<String>> members = tasks(healthyTasks("old", 4, Role.RETIRE));
        for (int i = 1; i <= 4; i++) {
            members.add(running("new" + i, Role.KEEP));
        }
        Decision<String> d = decide(4, 100, 200, members);

        assertThat(d.stop()).isEmpty();
        assertThat(d.start()).isZero();
        assertThat(d.stalled()).as("tasks are on their way: waiting is not a stall").isFalse();
    }

    @Test
    void unsettledRunningOldTasksAreNotStoppedBelowTheMinimum() {
        // 4 at 50/200 (minHealthy 2), rolled again before any task settled: 4 old tasks run, none is healthy yet.
        // Stopping them would leave fewer than 2 healthy tasks for longer, so they stay to become healthy.
        List<Member<String>> members = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            members.add(running("old" + i, Role.RETIRE));
        }
        Decision<String> d = decide(4, 50, 200, members);

        assertThat(d.stop()).isEmpty();
        assertThat(d.start()).isEqualTo(4);
    }

    @Test
    void unsettledRunningOldTasksGoOnceEnoughAreHealthy() {
        // 4 at 50/200: 2 new tasks are healthy, which is the minimum; the young old ones may go now.
        List<Member<String>> members = tasks(healthyTasks("new", 2, Role.KEEP));
        members.add(pending("new3", Role.KEEP));
        members.add(pending("new4", Role.KEEP));
        members.add(running("old1", Role.RETIRE));
        members.add(healthy("old2", Role.RETIRE));
        Decision<String> d = decide(4, 50, 200, members);

        assertThat(d.stop()).containsExactly("old1", "old2");
        assertThat(d.start()).isZero();
    }

    @Test
    void pendingOldTasksAlwaysGo() {
        // 2 at 100/200: the old deployment's tasks never got to RUNNING; they go whatever the minimum.
        List<Member<String>> members = List.of(pending("old1", Role.RETIRE), pending("old2", Role.RETIRE));
        Decision<String> d = decide(2, 100, 200, members);

        assertThat(d.stop()).containsExactly("old1", "old2");
        assertThat(d.start()).isEqualTo(2);
    }

    @Test
    void failingTasksAreAlwaysStoppedAndReplaced() {
        // 2 at 100/100: no room at all, yet a task failing its health checks goes, and is replaced.
        List<Member<String>> members = List.of(healthy("new1", Role.KEEP), failing("new2", Role.KEEP));
        Decision<String> d = decide(2, 100, 100, members);

        assertThat(d.stop()).containsExactly("new2");
        assertThat(d.start()).as("the failing task still counts until STOPPED").isZero();
        assertThat(d.stalled()).isFalse();

        Decision<String> even = decide(1, 100, 200, List.of(failing("new1", Role.KEEP)));
        assertThat(even.stop()).containsExactly("new1");
        assertThat(even.start()).isEqualTo(1);
    }

    @Test
    void failingTasksGoEvenBelowTheMinimum() {
        List<Member<String>> members = List.of(failing("old1", Role.RETIRE), failing("new1", Role.KEEP), running("new2", Role.KEEP));
        Decision<String> d = decide(2, 100, 200, members);

        assertThat(d.stop()).containsExactly("old1", "new1");
        assertThat(d.start()).isEqualTo(1);
    }

    @Test
    void stoppingTasksStillTakeRoomButNeitherCountNorGoAgain() {
        // 2 at 100/200: 2 tasks still stopping fill the room above the desired count.
        List<Member<String>> members = List.of(stopping("old1", Role.RETIRE), stopping("old2", Role.RETIRE),
                healthy("new1", Role.KEEP), healthy("new2", Role.KEEP));
        Decision<String> d = decide(2, 100, 200, members);

        assertThat(d.stop()).isEmpty();
        assertThat(d.start()).isZero();
        assertThat(d.stalled()).isFalse();

        Decision<String> shortOfOne = decide(3, 100, 200, members);
        assertThat(shortOfOne.start()).as("6 allowed, 4 not yet STOPPED").isEqualTo(1);
    }

    @Test
    void scaleInStopsPendingBeforeRunningBeforeHealthy() {
        // 6 tasks of the PRIMARY, desired lowered to 3 at 100/200 (minHealthy 3).
        List<Member<String>> members = List.of(healthy("h1", Role.KEEP), running("r1", Role.KEEP), pending("p1", Role.KEEP),
                healthy("h2", Role.KEEP), pending("p2", Role.KEEP), healthy("h3", Role.KEEP));
        assertThat(decide(3, 100, 200, members).stop()).containsExactly("p1", "p2", "r1");

        // To 2: the cheapest 4 go (pending, then running, then a healthy one), leaving 2 healthy.
        assertThat(decide(2, 100, 200, members).stop()).containsExactly("p1", "p2", "r1", "h1");

        // To 1 at min 100%: every task beyond the desired one goes.
        assertThat(decide(1, 100, 200, members).stop()).containsExactly("p1", "p2", "r1", "h1", "h2");

        // To 0: everything goes.
        assertThat(decide(0, 100, 200, members).stop()).hasSize(6);
        assertThat(decide(0, 100, 200, members).start()).isZero();
    }

    @Test
    void scaleInStopsOnlyTheExcess() {
        List<Member<String>> members = healthyTasks("t", 5, Role.KEEP);
        Decision<String> d = decide(3, 100, 200, members);

        assertThat(d.stop()).containsExactly("t1", "t2");
        assertThat(d.start()).isZero();
        assertThat(d.stalled()).isFalse();
    }

    @Test
    void protectedTasksAreSkipped() {
        // A rollout at 0/100: every old task would go, but protected ones stay.
        List<Member<String>> members = List.of(healthy("old1", Role.RETIRE), protectedHealthy("old2", Role.RETIRE),
                healthy("old3", Role.RETIRE));
        Decision<String> d = decide(3, 0, 100, members);

        assertThat(d.stop()).containsExactly("old1", "old3");
        assertThat(d.start()).isZero();
    }

    @Test
    void scaleInSkipsProtectedTasksAndStopsOthersInstead() {
        // Desired 4 → 2: the two cheapest are protected, so two other tasks go instead.
        List<Member<String>> members = List.of(new Member<>("p1", Role.KEEP, false, false, false, false, true),
                new Member<>("r1", Role.KEEP, true, false, false, false, true), healthy("h1", Role.KEEP), healthy("h2", Role.KEEP));
        Decision<String> d = decide(2, 0, 200, members);

        assertThat(d.stop()).containsExactly("h1", "h2");
        assertThat(d.stalled()).isFalse();
    }

    @Test
    void onlyProtectedTasksLeftToReplaceIsNotAStall() {
        // 2 at 100/100 would stall, but here the only thing in the way is protection, not the configuration.
        List<Member<String>> members = List.of(protectedHealthy("old1", Role.RETIRE), healthy("new1", Role.KEEP));
        Decision<String> d = decide(1, 0, 100, members);

        assertThat(d.stop()).isEmpty();
        assertThat(d.start()).isZero();
        assertThat(d.stalled()).as("scale-in protection holds the task, not the deployment configuration").isFalse();
    }

    @Test
    void pausedLaunchesStartNothingAndDoNotStall() {
        // 4 at 100/100 would stall; with launches paused (back-off or a failed deployment) it only waits.
        Decision<String> paused = Rollout.decide(4, RolloutBounds.of(4, 100, 100), false, healthyTasks("old", 4, Role.RETIRE));
        assertThat(paused.start()).isZero();
        assertThat(paused.stalled()).isFalse();

        // At 100/200 it would start 4; paused, it starts none, but still stops what may go.
        List<Member<String>> members = tasks(healthyTasks("old", 2, Role.RETIRE), healthyTasks("new", 2, Role.KEEP));
        Decision<String> stillStops = Rollout.decide(4, RolloutBounds.of(4, 50, 200), false, members);
        assertThat(stillStops.start()).isZero();
        assertThat(stillStops.stop()).containsExactly("old1", "old2");
        assertThat(stillStops.stalled()).isFalse();
    }

    @Test
    void aServiceShortOfTasksStartsUpToTheDesiredCountWithinTheRoom() {
        assertThat(decide(3, 100, 200, List.of()).start()).isEqualTo(3);
        assertThat(decide(3, 100, 200, List.of(healthy("t1", Role.KEEP))).start()).isEqualTo(2);
        // Room for 4 at 100/150 with 3 old still there: 1 new one.
        assertThat(decide(3, 100, 150, healthyTasks("old", 3, Role.RETIRE)).start()).isEqualTo(1);
        assertThat(decide(0, 100, 200, List.of()).start()).isZero();
        assertThat(decide(0, 100, 200, List.of()).stalled()).isFalse();
    }
}
