package dev.ecsemu.core.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;

class StrategySplitterTest {
    private static CapacityProviderStrategyItem item(String provider, int base, int weight) {
        return CapacityProviderStrategyItem.builder().capacityProvider(provider).base(base).weight(weight).build();
    }

    private static Map<String, Integer> tally(List<String> providers) {
        Map<String, Integer> counts = new HashMap<>();
        providers.forEach(p -> counts.merge(p, 1, Integer::sum));
        return counts;
    }

    @Test
    void baseFirstThenTheRemainderByWeight() {
        // ECS: FARGATE base 1 weight 1, FARGATE_SPOT weight 3 over 9 tasks: 1 for the base, the other 8 split 1:3.
        List<String> split = StrategySplitter.split(List.of(item("FARGATE", 1, 1), item("FARGATE_SPOT", 0, 3)), Map.of(), 9);
        assertEquals("FARGATE", split.get(0));
        assertEquals(Map.of("FARGATE", 3, "FARGATE_SPOT", 6), tally(split));
    }

    @Test
    void weightsOneToFourGiveOneInEveryFive() {
        List<String> split = StrategySplitter.split(List.of(item("a", 0, 1), item("b", 0, 4)), Map.of(), 10);
        assertEquals(Map.of("a", 2, "b", 8), tally(split));
    }

    @Test
    void equalWeightsAlternateStartingWithTheFirstListed() {
        assertEquals(List.of("a", "b", "a", "b", "a"), StrategySplitter.split(List.of(item("a", 0, 1), item("b", 0, 1)), Map.of(), 5));
    }

    @Test
    void aWeightOfZeroGetsOnlyItsBase() {
        List<String> split = StrategySplitter.split(List.of(item("a", 2, 0), item("b", 0, 1)), Map.of(), 6);
        assertEquals(List.of("a", "a", "b", "b", "b", "b"), split);
    }

    @Test
    void theTasksAlreadyRunningCountTowardsBaseAndWeights() {
        List<CapacityProviderStrategyItem> strategy = List.of(item("FARGATE", 1, 1), item("FARGATE_SPOT", 0, 3));
        // A service running the 9-task split that scales to 13: the 12 beyond the base split 3:9.
        List<String> more = StrategySplitter.split(strategy, Map.of("FARGATE", 3, "FARGATE_SPOT", 6), 4);
        assertEquals(Map.of("FARGATE", 1, "FARGATE_SPOT", 3), tally(more));
    }

    @Test
    void oneAtATimeEndsWhereAllAtOnceDoes() {
        List<CapacityProviderStrategyItem> strategy = List.of(item("a", 0, 2), item("b", 3, 5), item("c", 0, 1));
        Map<String, Integer> running = new HashMap<>();
        List<String> incremental = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String next = StrategySplitter.split(strategy, running, 1).get(0);
            running.merge(next, 1, Integer::sum);
            incremental.add(next);
        }
        assertEquals(StrategySplitter.split(strategy, Map.of(), 23), incremental);
        // 3 for b's base, then 20 split 2:5:1 -> 5, 12.5, 2.5: within one task of the exact share.
        assertEquals(5, running.get("a"));
        assertEquals(3 + 12, running.get("b"), 1);
    }
}
