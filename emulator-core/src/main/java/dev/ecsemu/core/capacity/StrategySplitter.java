package dev.ecsemu.core.capacity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;

/**
 * Decides which capacity provider of a strategy each new task goes to, as ECS splits them: the
 * provider with a {@code base} gets tasks until it runs that many, then every further task goes
 * where it keeps the split closest to the weights (weight 0 gets nothing). The tasks already
 * running count, so a service that scales out by one task at a time ends up where one that starts
 * all its tasks at once would. Ties go to the provider listed first. Pure: no state, no clock.
 */
public final class StrategySplitter {
    private StrategySplitter() {
    }

    /**
     * @param strategy a validated strategy (one base at most, one weight above 0 at least)
     * @param running  how many tasks each provider already runs for the same caller (absent = 0)
     * @param count    how many tasks to start
     * @return the provider of each new task, in the order they are started
     */
    public static List<String> split(List<CapacityProviderStrategyItem> strategy, Map<String, Integer> running, int count) {
        Map<String, Integer> counts = new HashMap<>();
        for (CapacityProviderStrategyItem item : strategy) {
            counts.put(item.capacityProvider(), running.getOrDefault(item.capacityProvider(), 0));
        }
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String next = next(strategy, counts);
            counts.merge(next, 1, Integer::sum);
            out.add(next);
        }
        return out;
    }

    private static String next(List<CapacityProviderStrategyItem> strategy, Map<String, Integer> counts) {
        for (CapacityProviderStrategyItem item : strategy) {
            if (base(item) > counts.get(item.capacityProvider())) {
                return item.capacityProvider();
            }
        }
        // Past the base, the task goes where (tasks beyond the base + 1) / weight is smallest: the
        // provider furthest behind its share.
        String best = null;
        long bestNumerator = 0;
        long bestWeight = 1;
        for (CapacityProviderStrategyItem item : strategy) {
            int weight = weight(item);
            if (weight == 0) {
                continue;
            }
            long beyondBase = Math.max(0, counts.get(item.capacityProvider()) - base(item)) + 1L;
            if (best == null || beyondBase * bestWeight < bestNumerator * weight) {
                best = item.capacityProvider();
                bestNumerator = beyondBase;
                bestWeight = weight;
            }
        }
        return best;
    }

    private static int base(CapacityProviderStrategyItem item) {
        return item.base() == null ? 0 : item.base();
    }

    private static int weight(CapacityProviderStrategyItem item) {
        return item.weight() == null ? 0 : item.weight();
    }
}
