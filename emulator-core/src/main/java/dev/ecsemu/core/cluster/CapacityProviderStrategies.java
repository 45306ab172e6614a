package dev.ecsemu.core.cluster;

import dev.ecsemu.core.capacity.CapacityProviders;
import dev.ecsemu.core.error.EcsErrors;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.LaunchType;

/** The rules every capacity provider strategy obeys, wherever it is given. */
public final class CapacityProviderStrategies {
    private static final int MAX_ITEMS = 20;
    private static final int MAX_BASE = 100_000;
    private static final int MAX_WEIGHT = 1_000;

    private CapacityProviderStrategies() {
    }

    /** FARGATE and FARGATE_SPOT, the providers that exist in every account. */
    public static boolean isFargate(String provider) {
        return provider != null && CapacityProviders.BUILT_IN.contains(provider);
    }

    /**
     * Where the tasks of a RunTask or CreateService call go: the launch type asked for, else the
     * strategy asked for, else the cluster's default strategy, else launch type EC2.
     *
     * @return the launch type and an empty strategy, or a null launch type and the strategy
     */
    public static Target resolve(Cluster cluster, LaunchType launchType, List<CapacityProviderStrategyItem> strategy) {
        boolean strategyGiven = strategy != null && !strategy.isEmpty();
        if (launchType != null && strategyGiven) {
            throw EcsErrors.invalidParameter("Specifying both a launch type and capacity provider strategy is not supported. Remove one and try"
                    + " again.");
        }
        if (launchType != null) {
            return new Target(launchType, List.of());
        }
        if (strategyGiven) {
            validate(strategy, cluster.capacityProviders());
            return new Target(null, List.copyOf(strategy));
        }
        List<CapacityProviderStrategyItem> fallback = cluster.defaultCapacityProviderStrategy();
        if (fallback != null && !fallback.isEmpty()) {
            return new Target(null, fallback);
        }
        return new Target(LaunchType.EC2, List.of());
    }

    /** A launch type, or (launch type null) a capacity provider strategy. */
    public record Target(LaunchType launchType, List<CapacityProviderStrategyItem> strategy) {
        public boolean byStrategy() {
            return launchType == null;
        }

        /** The launch type the tasks get: FARGATE for a strategy of FARGATE/FARGATE_SPOT, EC2 for Auto Scaling group providers. */
        public LaunchType effectiveLaunchType() {
            if (!byStrategy()) {
                return launchType;
            }
            return isFargate(strategy.get(0).capacityProvider()) ? LaunchType.FARGATE : LaunchType.EC2;
        }
    }

    /**
     * @param associated the capacity providers associated with the cluster the strategy is for
     */
    public static void validate(List<CapacityProviderStrategyItem> strategy, Collection<String> associated) {
        if (strategy == null || strategy.isEmpty()) {
            return;
        }
        if (strategy.size() > MAX_ITEMS) {
            throw EcsErrors.invalidParameter("A capacity provider strategy can contain at most " + MAX_ITEMS + " capacity providers.");
        }
        Set<String> seen = new HashSet<>();
        int withBase = 0;
        boolean anyWeight = false;
        for (CapacityProviderStrategyItem item : strategy) {
            String provider = item.capacityProvider();
            if (provider == null || provider.isEmpty()) {
                throw EcsErrors.invalidParameter("Every item of a capacity provider strategy must name its capacityProvider.");
            }
            if (!seen.add(provider)) {
                throw EcsErrors.invalidParameter("The capacity provider strategy contains capacity provider " + provider + " more than once.");
            }
            if (!associated.contains(provider)) {
                throw EcsErrors.invalidParameter("The specified capacity provider strategy cannot contain a capacity provider that is not"
                        + " associated with the cluster. Associate the capacity provider with the cluster or specify a valid"
                        + " capacity provider and try again.");
            }
            int base = item.base() == null ? 0 : item.base();
            int weight = item.weight() == null ? 0 : item.weight();
            if (base < 0 || base > MAX_BASE) {
                throw EcsErrors.invalidParameter("The base of capacity provider " + provider + " must be between 0 and " + MAX_BASE + ".");
            }
            if (weight < 0 || weight > MAX_WEIGHT) {
                throw EcsErrors.invalidParameter("The weight of capacity provider " + provider + " must be between 0 and " + MAX_WEIGHT + ".");
            }
            if (base > 0) {
                withBase++;
            }
            anyWeight |= weight > 0;
        }
        long fargate = strategy.stream().filter(i -> isFargate(i.capacityProvider())).count();
        if (fargate > 0 && fargate < strategy.size()) {
            throw EcsErrors.invalidParameter("The specified capacity provider strategy cannot contain a mix of capacity providers using Auto"
                    + " Scaling groups and Fargate providers. Specify one or the other and try again.");
        }
        if (withBase > 1) {
            throw EcsErrors.invalidParameter("Only one capacity provider in a capacity provider strategy can have a base defined.");
        }
        if (!anyWeight) {
            throw EcsErrors.invalidParameter("At least one capacity provider in a capacity provider strategy must have a weight greater than zero.");
        }
    }
}
