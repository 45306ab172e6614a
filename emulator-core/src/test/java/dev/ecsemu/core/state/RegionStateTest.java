package dev.ecsemu.core.state;

import static dev.ecsemu.core.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.cluster.ClusterCounts;
import dev.ecsemu.core.cluster.Clusters;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.SettingName;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

class RegionStateTest {
    private static final Scope SCOPE = new Scope("123456789012", "eu-west-1");
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final String CLUSTERS = "arn:aws:ecs:eu-west-1:123456789012:cluster/";
    private static final String TASK_DEFS = "arn:aws:ecs:eu-west-1:123456789012:task-definition/";

    private static final Function<RegionState, Optional<Cluster>> PROD = s -> s.clusters().find("prod");

    private RegionState state;

    @BeforeEach
    void setUp() {
        state = new RegionState(SCOPE, Clock.fixed(T0, ZoneOffset.UTC), dev.ecsemu.core.containerinstance.InstanceAddresses.distinct());
    }

    private Cluster createCluster(String name) {
        return state.createCluster(new Clusters.Spec(name, null, null, null, null, null));
    }

    private TaskDefinition register(String family) {
        return state.taskDefinitions().register(TaskDefinition.builder().family(family)
                .containerDefinitions(ContainerDefinition.builder().name("app").image("busybox").memory(64).build()).build());
    }

    @Test
    void storesAreSeparatePerScope() {
        Stores stores = new Stores(Clock.fixed(T0, ZoneOffset.UTC));
        RegionStore here = stores.of(SCOPE);
        assertThat(stores.of(new Scope("123456789012", "eu-west-1"))).isSameAs(here);
        here.write(s -> s.createCluster(new Clusters.Spec("prod", null, null, null, null, null)));

        assertThat(here.read(PROD)).isPresent();
        assertThat(stores.of(new Scope("123456789012", "us-east-1")).read(PROD)).isEmpty();
        assertThat(stores.of(new Scope("210987654321", "eu-west-1")).read(PROD)).isEmpty();
        assertThat(here.read(RegionState::scope)).isEqualTo(SCOPE);

        stores.reset();
        assertThat(stores.of(SCOPE)).isNotSameAs(here);
        assertThat(stores.of(SCOPE).read(PROD)).isEmpty();
    }

    @Test
    void newClustersTakeTheAccountsContainerInsightsDefault() {
        assertThat(createCluster("a").settings()).containsExactly(
                ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value("disabled").build());
        state.accountSettings().put(SettingName.CONTAINER_INSIGHTS, "enhanced", null);
        assertThat(createCluster("b").settings()).containsExactly(
                ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value("enhanced").build());
        state.accountSettings().put(SettingName.CONTAINER_INSIGHTS, "enabled", "arn:aws:iam::123456789012:user/alice");
        assertThat(createCluster("c").settings()).as("a principal's own setting is not the account default").containsExactly(
                ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value("enhanced").build());
    }

    @Nested
    class DeleteCluster {
        @Test
        void marksItInactiveAndForgetsItsTags() {
            Cluster prod = createCluster("prod");
            state.tags().tag(prod.arn(), List.of(Tag.builder().key("team").value("core").build()));
            assertThat(state.counts(prod)).isEqualTo(ClusterCounts.NONE);

            Cluster deleted = state.deleteCluster("prod");

            assertThat(deleted).isSameAs(prod);
            assertThat(deleted.status()).isEqualTo("INACTIVE");
            assertThat(state.tags().of(prod.arn())).isEmpty();
            assertThat(state.clusters().listActive()).isEmpty();
            assertThat(state.clusters().find("prod")).containsSame(prod);
        }

        @Test
        void byArnAndTheDefaultCluster() {
            createCluster("prod");
            createCluster(null);
            assertThat(state.deleteCluster(CLUSTERS + "prod").status()).isEqualTo("INACTIVE");
            assertThat(state.deleteCluster(null).name()).isEqualTo("default");
        }

        @Test
        void unknownOrAlreadyDeletedClusterNotFound() {
            assertRefused(() -> state.deleteCluster("nope"), "ClusterNotFoundException", "Cluster not found.");
            createCluster("prod");
            state.deleteCluster("prod");
            assertRefused(() -> state.deleteCluster("prod"), "ClusterNotFoundException", "Cluster not found.");
            assertRefused(() -> state.deleteCluster("arn:aws:ecs:us-east-1:123456789012:cluster/prod"),
                    "ClusterNotFoundException", "Cluster not found.");
        }

        @Test
        void aRecreatedClusterStartsWithoutTheOldTags() {
            Cluster prod = createCluster("prod");
            state.tags().tag(prod.arn(), List.of(Tag.builder().key("team").value("core").build()));
            state.deleteCluster("prod");
            Cluster again = createCluster("prod");
            assertThat(again.isActive()).isTrue();
            assertThat(state.tags().of(again.arn())).isEmpty();
        }
    }

    @Nested
    class RequireTaggable {
        @Test
        void invalidArnsRefused() {
            for (String arn : List.of("prod", "", "arn:aws:ecs", "arn:aws:ecr:eu-west-1:123456789012:repository/app",
                    "arn:aws:iam::123456789012:root")) {
                assertRefused(() -> state.requireTaggable(arn), "InvalidParameterException", "The ARN provided is invalid.");
            }
            assertRefused(() -> state.requireTaggable(null), "InvalidParameterException", "The ARN provided is invalid.");
        }

        @Test
        void otherAccountOrRegionNotFound() {
            createCluster("prod");
            String otherAccount = "arn:aws:ecs:eu-west-1:210987654321:cluster/prod";
            assertRefused(() -> state.requireTaggable(otherAccount), "ResourceNotFoundException",
                    "The specified resource could not be found: " + otherAccount + " belongs to account 210987654321 in eu-west-1.");
            String otherRegion = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";
            assertRefused(() -> state.requireTaggable(otherRegion), "ResourceNotFoundException",
                    "The specified resource could not be found: " + otherRegion + " belongs to account 123456789012 in us-east-1.");
        }

        @Test
        void unknownResourceTypeNotFound() {
            String arn = "arn:aws:ecs:eu-west-1:123456789012:widget/w1";
            assertRefused(() -> state.requireTaggable(arn), "ResourceNotFoundException",
                    "The specified resource could not be found: " + arn);
        }

        @Test
        void clusters() {
            createCluster("prod");
            assertThatCode(() -> state.requireTaggable(CLUSTERS + "prod")).doesNotThrowAnyException();
            assertRefused(() -> state.requireTaggable(CLUSTERS + "nope"), "ClusterNotFoundException", "Cluster not found.");
            state.deleteCluster("prod");
            assertRefused(() -> state.requireTaggable(CLUSTERS + "prod"), "ClusterNotFoundException", "Cluster not found.");
        }

        @Test
        void taskDefinitions() {
            register("web");
            register("web");
            assertThatCode(() -> state.requireTaggable(TASK_DEFS + "web:1")).doesNotThrowAnyException();

            state.taskDefinitions().deregister("web:1");
            assertThatCode(() -> state.requireTaggable(TASK_DEFS + "web:1")).as("INACTIVE is still taggable")
                    .doesNotThrowAnyException();

            state.taskDefinitions().delete(List.of("web:1"));
            assertRefused(() -> state.requireTaggable(TASK_DEFS + "web:1"), "ClientException", "Unable to describe task definition.");
            assertRefused(() -> state.requireTaggable(TASK_DEFS + "web:3"), "ClientException", "Unable to describe task definition.");
            assertRefused(() -> state.requireTaggable(TASK_DEFS + "nope:1"), "ClientException", "Unable to describe task definition.");
        }
    }
}
