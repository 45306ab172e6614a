package dev.ecsemu.core.cluster;

import static dev.ecsemu.core.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ClusterConfiguration;
import software.amazon.awssdk.services.ecs.model.ClusterServiceConnectDefaultsRequest;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.ExecuteCommandConfiguration;
import software.amazon.awssdk.services.ecs.model.ExecuteCommandLogging;

class ClustersTest {
    private static final Scope SCOPE = new Scope("123456789012", "eu-west-1");
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final String ARN_PREFIX = "arn:aws:ecs:eu-west-1:123456789012:cluster/";
    private static final Set<String> PROVIDERS = Set.of("FARGATE", "FARGATE_SPOT", "my-asg");

    private MutableClock clock;
    private Clusters clusters;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(T0);
        clusters = new Clusters(SCOPE, clock, PROVIDERS::contains);
    }

    static Clusters.Spec named(String name) {
        return new Clusters.Spec(name, null, null, null, null, null);
    }

    static Clusters.Spec withSettings(String name, ClusterSetting... settings) {
        return new Clusters.Spec(name, List.of(settings), null, null, null, null);
    }

    static Clusters.Spec withProviders(String name, List<String> providers, List<CapacityProviderStrategyItem> strategy) {
        return new Clusters.Spec(name, null, null, providers, strategy, null);
    }

    static ClusterSetting insights(String value) {
        return ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value(value).build();
    }

    static CapacityProviderStrategyItem item(String provider, Integer base, Integer weight) {
        return CapacityProviderStrategyItem.builder().capacityProvider(provider).base(base).weight(weight).build();
    }

    private Cluster create(String name) {
        return clusters.create(named(name), "disabled");
    }

    @Nested
    class Create {
        @Test
        void createsAnActiveClusterWithArnAndCreationTime() {
            Cluster c = create("prod");

            assertThat(c.name()).isEqualTo("prod");
            assertThat(c.arn()).isEqualTo("arn:aws:ecs:eu-west-1:123456789012:cluster/prod");
            assertThat(c.status()).isEqualTo("ACTIVE");
            assertThat(c.isActive()).isTrue();
            assertThat(c.createdAt()).isEqualTo(T0);
            assertThat(c.capacityProviders()).isEmpty();
            assertThat(c.defaultCapacityProviderStrategy()).isEmpty();
            assertThat(c.configuration()).isNull();
            assertThat(c.serviceConnectDefaults()).isNull();
        }

        @Test
        void withoutANameCreatesTheDefaultCluster() {
            Cluster c = create(null);
            assertThat(c.name()).isEqualTo("default");
            assertThat(c.arn()).isEqualTo(ARN_PREFIX + "default");
            assertThat(clusters.active(null)).isSameAs(c);
            assertThat(clusters.active("")).isSameAs(c);
            assertThat(clusters.active("default")).isSameAs(c);
        }

        @Test
        void isIdempotentForAnActiveClusterAndChangesNothing() {
            Cluster first = clusters.create(withSettings("prod", insights("enabled")), "disabled");
            clock.advance(Duration.ofMinutes(1));
            Cluster again = clusters.create(new Clusters.Spec("prod", List.of(insights("disabled")), null, List.of("FARGATE"),
                    null, null), "disabled");

            assertThat(again).isSameAs(first);
            assertThat(again.createdAt()).isEqualTo(T0);
            assertThat(again.settings()).containsExactly(insights("enabled"));
            assertThat(again.capacityProviders()).isEmpty();
        }

        @Test
        void aDeletedNameIsCreatedAfresh() {
            Cluster first = create("prod");
            clusters.delete(first);
            assertThat(first.status()).isEqualTo("INACTIVE");
            clock.advance(Duration.ofMinutes(1));

            Cluster second = clusters.create(withSettings("prod", insights("enhanced")), "disabled");
            assertThat(second).isNotSameAs(first);
            assertThat(second.isActive()).isTrue();
            assertThat(second.arn()).isEqualTo(first.arn());
            assertThat(second.createdAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(second.settings()).containsExactly(insights("enhanced"));
            assertThat(clusters.active("prod")).isSameAs(second);
            assertThat(first.status()).isEqualTo("INACTIVE");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "my cluster", "prod/1", "prod:1", "prod.eu", "clüster"})
        void invalidNamesRefused(String name) {
            assertRefused(() -> create(name), "InvalidParameterException",
                    "Cluster must match ^[a-zA-Z0-9\\-_]{1,255}$, but was " + name);
            assertThat(clusters.listActive()).isEmpty();
        }

        @Test
        void nameLength() {
            String longest = "a".repeat(255);
            assertThat(create(longest).name()).isEqualTo(longest);
            assertRefused(() -> create("a".repeat(256)), "InvalidParameterException",
                    "Cluster must match ^[a-zA-Z0-9\\-_]{1,255}$, but was " + "a".repeat(256));
            assertThat(create("Az09_-").name()).isEqualTo("Az09_-");
        }

        @Test
        void keepsConfigurationAndServiceConnectDefaults() {
            ClusterConfiguration configuration = ClusterConfiguration.builder()
                    .executeCommandConfiguration(ExecuteCommandConfiguration.builder().logging(ExecuteCommandLogging.NONE).build())
                    .build();
            Cluster c = clusters.create(new Clusters.Spec("prod", null, configuration, null, null,
                    ClusterServiceConnectDefaultsRequest.builder().namespace("internal").build()), "disabled");
            assertThat(c.configuration()).isEqualTo(configuration);
            assertThat(c.serviceConnectDefaults().namespace())
                    .isEqualTo("arn:aws:servicediscovery:eu-west-1:123456789012:namespace/internal");

            String nsArn = "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-abc";
            clusters.updateServiceConnectDefaults(c, ClusterServiceConnectDefaultsRequest.builder().namespace(nsArn).build());
            assertThat(c.serviceConnectDefaults().namespace()).isEqualTo(nsArn);
            clusters.updateServiceConnectDefaults(c, null);
            assertThat(c.serviceConnectDefaults()).isNull();
        }
    }

    @Nested
    class Resolution {
        private Cluster prod;

        @BeforeEach
        void createSome() {
            prod = create("prod");
            create("staging");
        }

        @Test
        void byNameAndByArn() {
            assertThat(clusters.active("prod")).isSameAs(prod);
            assertThat(clusters.active(ARN_PREFIX + "prod")).isSameAs(prod);
            assertThat(clusters.find("prod")).containsSame(prod);
            assertThat(clusters.find(ARN_PREFIX + "prod")).containsSame(prod);
        }

        @Test
        void arnsOfOtherAccountsRegionsServicesOrTypesAreNotFound() {
            for (String arn : List.of(
                    "arn:aws:ecs:eu-west-1:210987654321:cluster/prod",
                    "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
                    "arn:aws:ecr:eu-west-1:123456789012:cluster/prod",
                    "arn:aws:ecs:eu-west-1:123456789012:service/prod",
                    "arn:aws:ecs:eu-west-1:123456789012:cluster/",
                    "arn:aws:ecs:eu-west-1:123456789012:cluster",
                    "arn:aws")) {
                assertThat(clusters.find(arn)).as(arn).isEmpty();
                assertRefused(() -> clusters.active(arn), "ClusterNotFoundException", "Cluster not found.");
            }
        }

        @Test
        void unknownClusterNotFound() {
            assertThat(clusters.find("nope")).isEmpty();
            assertRefused(() -> clusters.active("nope"), "ClusterNotFoundException", "Cluster not found.");
            assertRefused(() -> clusters.active(null), "ClusterNotFoundException", "Cluster not found.");
        }

        @Test
        void aDeletedClusterIsFoundButNotActive() {
            clusters.delete(prod);
            assertThat(clusters.find("prod")).containsSame(prod);
            assertThat(clusters.find(ARN_PREFIX + "prod").orElseThrow().status()).isEqualTo("INACTIVE");
            assertRefused(() -> clusters.active("prod"), "ClusterNotFoundException", "Cluster not found.");
        }

        @Test
        void arnForNamesWhatWasAskedFor() {
            assertThat(clusters.arnFor("prod")).isEqualTo(ARN_PREFIX + "prod");
            assertThat(clusters.arnFor("nope")).isEqualTo(ARN_PREFIX + "nope");
            assertThat(clusters.arnFor(null)).isEqualTo(ARN_PREFIX + "default");
            assertThat(clusters.arnFor("")).isEqualTo(ARN_PREFIX + "default");
            String foreign = "arn:aws:ecs:us-east-1:210987654321:cluster/x";
            assertThat(clusters.arnFor(foreign)).isEqualTo(foreign);
        }

        @Test
        void listActiveInArnOrderWithoutDeletedOnes() {
            create("alpha");
            create("Zulu");
            assertThat(clusters.listActive()).extracting(Cluster::name).containsExactly("Zulu", "alpha", "prod", "staging");
            clusters.delete(prod);
            assertThat(clusters.listActive()).extracting(Cluster::name).containsExactly("Zulu", "alpha", "staging");
        }
    }

    @Nested
    class Settings {
        @Test
        void containerInsightsTakesTheAccountDefaultWhenNotGiven() {
            assertThat(clusters.create(named("a"), "disabled").settings()).containsExactly(insights("disabled"));
            assertThat(clusters.create(named("b"), "enabled").settings()).containsExactly(insights("enabled"));
            assertThat(clusters.create(withSettings("c"), "enhanced").settings()).containsExactly(insights("enhanced"));
        }

        @Test
        void aGivenValueWinsOverTheAccountDefault() {
            assertThat(clusters.create(withSettings("a", insights("enabled")), "disabled").settings()).containsExactly(insights("enabled"));
            assertThat(clusters.create(withSettings("b", insights("disabled")), "enhanced").settings()).containsExactly(insights("disabled"));
        }

        @Test
        void theLastOfRepeatedSettingsWins() {
            Cluster c = clusters.create(withSettings("a", insights("enabled"), insights("enhanced")), "disabled");
            assertThat(c.settings()).containsExactly(insights("enhanced"));
        }

        @Test
        void updateMergesByName() {
            Cluster c = create("a");
            clusters.updateSettings(c, List.of(insights("enhanced")));
            assertThat(c.settings()).containsExactly(insights("enhanced"));
            clusters.updateSettings(c, List.of());
            assertThat(c.settings()).containsExactly(insights("enhanced"));
            clusters.updateSettings(c, null);
            assertThat(c.settings()).containsExactly(insights("enhanced"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"ENABLED", "on", "true", ""})
        void containerInsightsValuesAreChecked(String value) {
            String message = "The value '" + value + "' is not valid for cluster setting containerInsights."
                    + " Valid values are: enabled, disabled, enhanced.";
            assertRefused(() -> clusters.create(withSettings("a", insights(value)), "disabled"), "InvalidParameterException", message);
            assertThat(clusters.find("a")).isEmpty();

            Cluster b = create("b");
            assertRefused(() -> clusters.updateSettings(b, List.of(insights(value))), "InvalidParameterException", message);
            assertThat(b.settings()).containsExactly(insights("disabled"));
        }

        @Test
        void nullContainerInsightsValueRefused() {
            assertRefused(() -> clusters.create(withSettings("a", insights(null)), "disabled"), "InvalidParameterException",
                    "The value 'null' is not valid for cluster setting containerInsights. Valid values are: enabled, disabled, enhanced.");
        }

        @Test
        void settingsCannotBeChangedFromOutside() {
            Cluster c = create("a");
            List<ClusterSetting> given = new ArrayList<>(List.of(insights("enabled")));
            clusters.updateSettings(c, given);
            given.add(insights("disabled"));
            assertThat(c.settings()).containsExactly(insights("enabled"));
        }
    }

    @Nested
    class CapacityProviders {
        @Test
        void acceptsKnownProvidersAndAStrategyOverThem() {
            Cluster c = clusters.create(withProviders("a", List.of("FARGATE", "FARGATE_SPOT"),
                    List.of(item("FARGATE", 1, 1), item("FARGATE_SPOT", 0, 4))), "disabled");
            assertThat(c.capacityProviders()).containsExactly("FARGATE", "FARGATE_SPOT");
            assertThat(c.defaultCapacityProviderStrategy()).containsExactly(item("FARGATE", 1, 1), item("FARGATE_SPOT", 0, 4));
        }

        @Test
        void unknownProviderRefused() {
            assertRefused(() -> clusters.create(withProviders("a", List.of("FARGATE", "nope"), null), "disabled"),
                    "InvalidParameterException",
                    "The specified capacity provider was not found. Specify a valid capacity provider and try again."
                            + " ('nope' is neither FARGATE, FARGATE_SPOT nor a capacity provider of this account.)");
            assertThat(clusters.find("a")).isEmpty();
        }

        @Test
        void duplicateProvidersRefused() {
            assertRefused(() -> clusters.create(withProviders("a", List.of("FARGATE", "FARGATE"), null), "disabled"),
                    "InvalidParameterException", "The list of capacity providers contains a capacity provider more than once.");
        }

        @Test
        void aMissingProviderNameIsRefusedNotACrash() {
            assertRefused(() -> clusters.create(withProviders("a", java.util.Arrays.asList("FARGATE", null), null), "disabled"),
                    "InvalidParameterException",
                    "The specified capacity provider was not found. Specify a valid capacity provider and try again."
                            + " ('null' is neither FARGATE, FARGATE_SPOT nor a capacity provider of this account.)");
            assertRefused(() -> clusters.create(withProviders("a", List.of("FARGATE"), List.of(item(null, 0, 1))), "disabled"),
                    "InvalidParameterException", "Every item of a capacity provider strategy must name its capacityProvider.");
        }

        @Test
        void moreThanTwentyProvidersRefused() {
            List<String> many = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                many.add("FARGATE");
            }
            assertRefused(() -> clusters.create(withProviders("a", many, null), "disabled"),
                    "InvalidParameterException", "The maximum number of capacity providers per cluster has been exceeded.");
        }

        @Test
        void strategyMustUseAssociatedProviders() {
            assertRefused(() -> clusters.create(withProviders("a", List.of("FARGATE"), List.of(item("FARGATE_SPOT", 0, 1))), "disabled"),
                    "InvalidParameterException",
                    "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the"
                            + " cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and"
                            + " try again.");
            assertRefused(() -> clusters.create(withProviders("a", null, List.of(item("FARGATE", 0, 1))), "disabled"),
                    "InvalidParameterException",
                    "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the"
                            + " cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and"
                            + " try again.");
        }

        @Test
        void putReplacesProvidersAndStrategyAfterTheSameChecks() {
            Cluster c = clusters.create(withProviders("a", List.of("FARGATE"), List.of(item("FARGATE", 0, 1))), "disabled");

            clusters.putCapacityProviders(c, List.of("FARGATE_SPOT", "my-asg"), List.of(item("my-asg", 2, 1)));
            assertThat(c.capacityProviders()).containsExactly("FARGATE_SPOT", "my-asg");
            assertThat(c.defaultCapacityProviderStrategy()).containsExactly(item("my-asg", 2, 1));

            assertRefused(() -> clusters.putCapacityProviders(c, List.of("other"), List.of()), "InvalidParameterException",
                    "The specified capacity provider was not found. Specify a valid capacity provider and try again."
                            + " ('other' is neither FARGATE, FARGATE_SPOT nor a capacity provider of this account.)");
            assertRefused(() -> clusters.putCapacityProviders(c, List.of("FARGATE"), List.of(item("FARGATE", 0, 0))),
                    "InvalidParameterException",
                    "At least one capacity provider in a capacity provider strategy must have a weight greater than zero.");
            assertThat(c.capacityProviders()).containsExactly("FARGATE_SPOT", "my-asg");

            clusters.putCapacityProviders(c, List.of(), List.of());
            assertThat(c.capacityProviders()).isEmpty();
            assertThat(c.defaultCapacityProviderStrategy()).isEmpty();
        }

        @Test
        void idempotentCreateStillChecksTheRequest() {
            create("a");
            assertRefused(() -> clusters.create(withProviders("a", List.of("nope"), null), "disabled"),
                    "InvalidParameterException",
                    "The specified capacity provider was not found. Specify a valid capacity provider and try again."
                            + " ('nope' is neither FARGATE, FARGATE_SPOT nor a capacity provider of this account.)");
        }
    }
}
