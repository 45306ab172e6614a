package dev.ecsemu.core.cluster;

import static dev.ecsemu.core.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;

class CapacityProviderStrategiesTest {
    private static final List<String> ASSOCIATED = List.of("FARGATE", "FARGATE_SPOT", "asg");
    private static final String NOT_ASSOCIATED = "The specified capacity provider strategy cannot contain a capacity provider that"
            + " is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity"
            + " provider and try again.";

    static CapacityProviderStrategyItem item(String provider, Integer base, Integer weight) {
        return CapacityProviderStrategyItem.builder().capacityProvider(provider).base(base).weight(weight).build();
    }

    private static void valid(List<CapacityProviderStrategyItem> strategy, List<String> associated) {
        assertThatCode(() -> CapacityProviderStrategies.validate(strategy, associated)).doesNotThrowAnyException();
    }

    private static void refused(List<CapacityProviderStrategyItem> strategy, List<String> associated, String message) {
        assertRefused(() -> CapacityProviderStrategies.validate(strategy, associated), "InvalidParameterException", message);
    }

    @Test
    void absentOrEmptyStrategyIsValid() {
        valid(null, List.of());
        valid(List.of(), List.of());
    }

    @Test
    void typicalStrategiesAreValid() {
        valid(List.of(item("FARGATE", null, 1)), ASSOCIATED);
        valid(List.of(item("FARGATE", 1, 1), item("FARGATE_SPOT", 0, 4)), ASSOCIATED);
        valid(List.of(item("FARGATE", 100_000, 1_000)), ASSOCIATED);
        valid(List.of(item("FARGATE", 2, 0), item("FARGATE_SPOT", null, 1)), ASSOCIATED);
        valid(List.of(item("FARGATE", 0, 1), item("FARGATE_SPOT", 0, 0)), ASSOCIATED);
        valid(List.of(item("asg", 1, 0), item("asg2", 0, 1)), List.of("asg", "asg2"));
    }

    @Test
    void fargateAndAutoScalingGroupProvidersDoNotMix() {
        refused(List.of(item("FARGATE", 0, 1), item("FARGATE_SPOT", 0, 0), item("asg", 0, 0)), ASSOCIATED,
                "The specified capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate"
                        + " providers. Specify one or the other and try again.");
    }

    @Test
    void providerNotAssociatedWithTheCluster() {
        refused(List.of(item("FARGATE", 0, 1)), List.of(), NOT_ASSOCIATED);
        refused(List.of(item("FARGATE", 0, 1), item("other", 0, 1)), ASSOCIATED, NOT_ASSOCIATED);
        refused(List.of(item("fargate", 0, 1)), ASSOCIATED, NOT_ASSOCIATED);
    }

    @Test
    void everyItemNamesItsProvider() {
        String message = "Every item of a capacity provider strategy must name its capacityProvider.";
        refused(List.of(item(null, 0, 1)), ASSOCIATED, message);
        refused(List.of(item("FARGATE", 0, 1), item("", 0, 1)), ASSOCIATED, message);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 100_001, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void baseOutOfRange(int base) {
        refused(List.of(item("FARGATE", base, 1)), ASSOCIATED, "The base of capacity provider FARGATE must be between 0 and 100000.");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 1_001, Integer.MAX_VALUE})
    void weightOutOfRange(int weight) {
        refused(List.of(item("FARGATE_SPOT", 0, weight)), ASSOCIATED,
                "The weight of capacity provider FARGATE_SPOT must be between 0 and 1000.");
    }

    @Test
    void onlyOneProviderMayHaveABase() {
        refused(List.of(item("FARGATE", 1, 1), item("FARGATE_SPOT", 1, 1)), ASSOCIATED,
                "Only one capacity provider in a capacity provider strategy can have a base defined.");
    }

    @Test
    void atLeastOneWeightAboveZero() {
        String message = "At least one capacity provider in a capacity provider strategy must have a weight greater than zero.";
        refused(List.of(item("FARGATE", 1, 0)), ASSOCIATED, message);
        refused(List.of(item("FARGATE", 0, null), item("FARGATE_SPOT", null, 0)), ASSOCIATED, message);
    }

    @Test
    void atMostTwentyItems() {
        List<String> associated = new ArrayList<>();
        List<CapacityProviderStrategyItem> strategy = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            associated.add("cp" + i);
            strategy.add(item("cp" + i, 0, 1));
        }
        refused(strategy, associated, "A capacity provider strategy can contain at most 20 capacity providers.");
        valid(strategy.subList(0, 20), associated);
    }

    @Test
    void eachProviderAtMostOnce() {
        refused(List.of(item("FARGATE", 0, 1), item("FARGATE_SPOT", 0, 1), item("FARGATE", 0, 2)), ASSOCIATED,
                "The capacity provider strategy contains capacity provider FARGATE more than once.");
    }
}
