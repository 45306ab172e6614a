package dev.ecsemu.api.ecs;

import static dev.ecsemu.api.testing.EcsAssertions.assertEcsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.ModelOnlyIT;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterConfiguration;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.CreateClusterResponse;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.ecs.model.ExecuteCommandConfiguration;
import software.amazon.awssdk.services.ecs.model.ExecuteCommandLogConfiguration;
import software.amazon.awssdk.services.ecs.model.ExecuteCommandLogging;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.ListClustersResponse;
import software.amazon.awssdk.services.ecs.model.ManagedStorageConfiguration;
import software.amazon.awssdk.services.ecs.model.SettingName;
import software.amazon.awssdk.services.ecs.model.Tag;

class ClusterOperationsIT extends ModelOnlyIT {
    private static final String ARN_PREFIX = "arn:aws:ecs:us-east-1:000000000000:cluster/";
    private static final String NOT_ASSOCIATED = "The specified capacity provider strategy cannot contain a capacity provider that is"
            + " not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity"
            + " provider and try again.";

    private static ClusterSetting insights(String value) {
        return ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value(value).build();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static CapacityProviderStrategyItem item(String provider, Integer base, Integer weight) {
        return CapacityProviderStrategyItem.builder().capacityProvider(provider).base(base).weight(weight).build();
    }

    private static ClusterConfiguration configuration() {
        return ClusterConfiguration.builder()
                .executeCommandConfiguration(ExecuteCommandConfiguration.builder()
                        .kmsKeyId("arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab")
                        .logging(ExecuteCommandLogging.OVERRIDE)
                        .logConfiguration(ExecuteCommandLogConfiguration.builder()
                                .cloudWatchLogGroupName("/ecs/exec")
                                .cloudWatchEncryptionEnabled(true)
                                .s3BucketName("exec-logs")
                                .s3KeyPrefix("prod/")
                                .s3EncryptionEnabled(false)
                                .build())
                        .build())
                .managedStorageConfiguration(ManagedStorageConfiguration.builder()
                        .kmsKeyId("key-1")
                        .fargateEphemeralStorageKmsKeyId("key-2")
                        .build())
                .build();
    }

    private static Cluster describeOne(String name, ClusterField... include) {
        DescribeClustersResponse r = ecs.describeClusters(b -> b.clusters(name).include(include));
        assertThat(r.failures()).isEmpty();
        assertThat(r.clusters()).hasSize(1);
        return r.clusters().get(0);
    }

    // ---- CreateCluster ----

    @Test
    void createClusterAnswersTheFullClusterWithEcsDefaults() {
        Cluster c = ecs.createCluster(b -> b.clusterName("alpha")).cluster();

        assertThat(c.clusterArn()).isEqualTo(ARN_PREFIX + "alpha");
        assertThat(c.clusterName()).isEqualTo("alpha");
        assertThat(c.status()).isEqualTo("ACTIVE");
        assertThat(c.registeredContainerInstancesCount()).isZero();
        assertThat(c.runningTasksCount()).isZero();
        assertThat(c.pendingTasksCount()).isZero();
        assertThat(c.activeServicesCount()).isZero();
        assertThat(c.settings()).containsExactly(insights("disabled"));
        assertThat(c.hasCapacityProviders()).isTrue();
        assertThat(c.capacityProviders()).isEmpty();
        assertThat(c.hasDefaultCapacityProviderStrategy()).isTrue();
        assertThat(c.defaultCapacityProviderStrategy()).isEmpty();
        assertThat(c.hasTags()).isTrue();
        assertThat(c.tags()).isEmpty();
        assertThat(c.configuration()).isNull();
        assertThat(c.serviceConnectDefaults()).isNull();
        assertThat(c.statistics()).hasSize(12).allSatisfy(kv -> assertThat(kv.value()).isEqualTo("0"));
    }

    @Test
    void createClusterWithoutNameCreatesTheDefaultCluster() {
        Cluster c = ecs.createCluster().cluster();
        assertThat(c.clusterName()).isEqualTo("default");
        assertThat(c.clusterArn()).isEqualTo(ARN_PREFIX + "default");
        assertThat(ecs.listClusters().clusterArns()).containsExactly(ARN_PREFIX + "default");
    }

    @Test
    void containerInsightsDefaultsToTheAccountSetting() {
        assertThat(ecs.createCluster(b -> b.clusterName("before")).cluster().settings()).containsExactly(insights("disabled"));

        ecs.putAccountSettingDefault(b -> b.name(SettingName.CONTAINER_INSIGHTS).value("enabled"));
        assertThat(ecs.createCluster(b -> b.clusterName("after")).cluster().settings()).containsExactly(insights("enabled"));
        // An explicit setting wins over the account default.
        assertThat(ecs.createCluster(b -> b.clusterName("explicit").settings(insights("enhanced"))).cluster().settings())
                .containsExactly(insights("enhanced"));
        // Existing clusters keep what they were created with.
        assertThat(describeOne("before", ClusterField.SETTINGS).settings()).containsExactly(insights("disabled"));
    }

    @Test
    void createClusterStoresConfigurationCapacityProvidersStrategyAndTags() {
        List<CapacityProviderStrategyItem> strategy = List.of(item("FARGATE", 1, 1), item("FARGATE_SPOT", 0, 4));
        CreateClusterResponse response = ecs.createCluster(b -> b.clusterName("full")
                .settings(insights("enabled"))
                .configuration(configuration())
                .capacityProviders("FARGATE", "FARGATE_SPOT")
                .defaultCapacityProviderStrategy(strategy)
                .serviceConnectDefaults(s -> s.namespace("internal"))
                .tags(tag("team", "payments"), tag("env", "")));

        Cluster c = response.cluster();
        assertThat(c.settings()).containsExactly(insights("enabled"));
        assertThat(c.configuration()).isEqualTo(configuration());
        assertThat(c.capacityProviders()).containsExactly("FARGATE", "FARGATE_SPOT");
        assertThat(c.defaultCapacityProviderStrategy()).isEqualTo(strategy);
        assertThat(c.tags()).containsExactly(tag("team", "payments"), tag("env", ""));
        assertThat(c.serviceConnectDefaults().namespace())
                .isEqualTo("arn:aws:servicediscovery:us-east-1:000000000000:namespace/internal");

        Cluster described = describeOne("full", ClusterField.ATTACHMENTS, ClusterField.CONFIGURATIONS,
                ClusterField.SETTINGS, ClusterField.STATISTICS, ClusterField.TAGS);
        assertThat(described.configuration()).isEqualTo(configuration());
        assertThat(described.capacityProviders()).containsExactly("FARGATE", "FARGATE_SPOT");
        assertThat(described.defaultCapacityProviderStrategy()).isEqualTo(strategy);
        assertThat(described.tags()).containsExactly(tag("team", "payments"), tag("env", ""));
        assertThat(ecs.listTagsForResource(b -> b.resourceArn(c.clusterArn())).tags())
                .containsExactly(tag("team", "payments"), tag("env", ""));
    }

    @Test
    void createOfAnActiveNameAnswersTheExistingClusterUnchanged() {
        Cluster first = ecs.createCluster(b -> b.clusterName("dup").settings(insights("enabled")).tags(tag("a", "1"))
                .capacityProviders("FARGATE")).cluster();

        Cluster second = ecs.createCluster(b -> b.clusterName("dup").settings(insights("disabled")).tags(tag("b", "2"))
                .capacityProviders("FARGATE_SPOT")).cluster();

        assertThat(second).isEqualTo(first);
        assertThat(second.settings()).containsExactly(insights("enabled"));
        assertThat(second.tags()).containsExactly(tag("a", "1"));
        assertThat(second.capacityProviders()).containsExactly("FARGATE");
        assertThat(ecs.listClusters().clusterArns()).containsExactly(ARN_PREFIX + "dup");
        assertThat(describeOne("dup", ClusterField.TAGS).tags()).containsExactly(tag("a", "1"));
    }

    @Test
    void aDeletedNameCanBeCreatedAgainAfresh() {
        ecs.createCluster(b -> b.clusterName("phoenix").settings(insights("enabled")).tags(tag("gen", "1")));
        ecs.deleteCluster(b -> b.cluster("phoenix"));

        Cluster reborn = ecs.createCluster(b -> b.clusterName("phoenix")).cluster();

        assertThat(reborn.status()).isEqualTo("ACTIVE");
        assertThat(reborn.clusterArn()).isEqualTo(ARN_PREFIX + "phoenix");
        assertThat(reborn.settings()).containsExactly(insights("disabled"));
        assertThat(reborn.tags()).isEmpty();
        assertThat(describeOne("phoenix").status()).isEqualTo("ACTIVE");
        assertThat(ecs.listClusters().clusterArns()).containsExactly(ARN_PREFIX + "phoenix");
    }

    @Test
    void createClusterRefusalsLeaveNothingBehind() {
        assertEcsError(() -> ecs.createCluster(b -> b.clusterName("bad name!")), InvalidParameterException.class,
                "Cluster must match ^[a-zA-Z0-9\\-_]{1,255}$, but was bad name!");
        assertEcsError(() -> ecs.createCluster(b -> b.clusterName("x".repeat(256))), InvalidParameterException.class,
                "Cluster must match ^[a-zA-Z0-9\\-_]{1,255}$, but was " + "x".repeat(256));
        assertEcsError(() -> ecs.createCluster(b -> b.clusterName("c1").settings(insights("on"))), InvalidParameterException.class,
                "The value 'on' is not valid for cluster setting containerInsights. Valid values are: enabled, disabled, enhanced.");
        assertEcsError(() -> ecs.createCluster(b -> b.clusterName("c2").capacityProviders("MY_ASG")), InvalidParameterException.class,
                "The specified capacity provider was not found. Specify a valid capacity provider and try again. ('MY_ASG' is"
                        + " neither FARGATE, FARGATE_SPOT nor a capacity provider of this account.)");
        assertEcsError(() -> ecs.createCluster(b -> b.clusterName("c3").capacityProviders("FARGATE")
                        .defaultCapacityProviderStrategy(item("FARGATE_SPOT", 0, 1))), InvalidParameterException.class,
                NOT_ASSOCIATED);
        assertEcsError(() -> ecs.createCluster(b -> b.clusterName("c4").tags(tag("aws:owner", "me"))), InvalidParameterException.class,
                "Tag keys may not begin with 'aws:', which is reserved for AWS use: aws:owner");

        assertThat(ecs.listClusters().clusterArns()).isEmpty();
        assertThat(ecs.describeClusters(b -> b.clusters("c1", "c2", "c3", "c4")).failures()).hasSize(4);
    }

    @Test
    void createClusterAcceptsLongestValidName() {
        String name = "a-_Z9".repeat(51);
        assertThat(name).hasSize(255);
        assertThat(ecs.createCluster(b -> b.clusterName(name)).cluster().clusterArn()).isEqualTo(ARN_PREFIX + name);
    }

    // ---- DescribeClusters ----

    @Test
    void describeWithoutIncludeLeavesOutTheOptionalParts() {
        ecs.createCluster(b -> b.clusterName("plain").configuration(configuration()).tags(tag("k", "v")));

        Cluster c = describeOne("plain");

        assertThat(c.clusterArn()).isEqualTo(ARN_PREFIX + "plain");
        assertThat(c.status()).isEqualTo("ACTIVE");
        assertThat(c.hasSettings()).isFalse();
        assertThat(c.hasTags()).isFalse();
        assertThat(c.hasAttachments()).isFalse();
        assertThat(c.configuration()).isNull();
        assertThat(c.statistics()).isEmpty();
    }

    @Test
    void describeIncludeAttachments() {
        ecs.createCluster(b -> b.clusterName("inc").tags(tag("k", "v")));
        Cluster c = describeOne("inc", ClusterField.ATTACHMENTS);
        assertThat(c.hasAttachments()).isTrue();
        assertThat(c.attachments()).isEmpty();
        assertThat(c.hasSettings()).isFalse();
        assertThat(c.hasTags()).isFalse();
        assertThat(c.statistics()).isEmpty();
    }

    @Test
    void describeIncludeConfigurations() {
        ecs.createCluster(b -> b.clusterName("inc").configuration(configuration()));
        Cluster c = describeOne("inc", ClusterField.CONFIGURATIONS);
        assertThat(c.configuration()).isEqualTo(configuration());
        assertThat(c.hasSettings()).isFalse();
        assertThat(c.hasTags()).isFalse();
    }

    @Test
    void describeIncludeSettings() {
        ecs.createCluster(b -> b.clusterName("inc").settings(insights("enhanced")).configuration(configuration()));
        Cluster c = describeOne("inc", ClusterField.SETTINGS);
        assertThat(c.settings()).containsExactly(insights("enhanced"));
        assertThat(c.configuration()).isNull();
        assertThat(c.hasTags()).isFalse();
    }

    @Test
    void describeIncludeStatistics() {
        ecs.createCluster(b -> b.clusterName("inc"));
        Cluster c = describeOne("inc", ClusterField.STATISTICS);
        assertThat(c.statistics()).extracting(KeyValuePair::name).containsExactly(
                "runningEC2TasksCount", "runningFargateTasksCount", "pendingEC2TasksCount", "pendingFargateTasksCount",
                "runningExternalTasksCount", "pendingExternalTasksCount", "activeEC2ServiceCount", "activeFargateServiceCount",
                "drainingEC2ServiceCount", "drainingFargateServiceCount", "activeExternalServiceCount",
                "drainingExternalServiceCount");
        assertThat(c.statistics()).extracting(KeyValuePair::value).containsOnly("0");
        assertThat(c.hasSettings()).isFalse();
    }

    @Test
    void describeIncludeTags() {
        ecs.createCluster(b -> b.clusterName("inc").tags(tag("k1", "v1"), tag("k2", "v2")));
        ecs.createCluster(b -> b.clusterName("untagged"));
        Cluster c = describeOne("inc", ClusterField.TAGS);
        assertThat(c.tags()).containsExactly(tag("k1", "v1"), tag("k2", "v2"));
        assertThat(c.hasSettings()).isFalse();
        assertThat(c.configuration()).isNull();
        Cluster untagged = describeOne("untagged", ClusterField.TAGS);
        assertThat(untagged.hasTags()).isTrue();
        assertThat(untagged.tags()).isEmpty();
    }

    @Test
    void describeReportsUnknownClustersAsMissingWithTheirFullArn() {
        ecs.createCluster(b -> b.clusterName("real"));
        String foreignRegion = "arn:aws:ecs:eu-west-1:000000000000:cluster/real";
        String unknownArn = ARN_PREFIX + "ghost";

        DescribeClustersResponse r = ecs.describeClusters(b -> b.clusters("nope", ARN_PREFIX + "real", unknownArn, foreignRegion));

        assertThat(r.clusters()).extracting(Cluster::clusterArn).containsExactly(ARN_PREFIX + "real");
        assertThat(r.failures()).containsExactly(
                Failure.builder().arn(ARN_PREFIX + "nope").reason("MISSING").build(),
                Failure.builder().arn(unknownArn).reason("MISSING").build(),
                Failure.builder().arn(foreignRegion).reason("MISSING").build());
    }

    @Test
    void describeWithoutClustersMeansTheDefaultCluster() {
        DescribeClustersResponse none = ecs.describeClusters();
        assertThat(none.clusters()).isEmpty();
        assertThat(none.failures()).containsExactly(Failure.builder().arn(ARN_PREFIX + "default").reason("MISSING").build());

        ecs.createCluster(b -> b.clusterName("default"));
        DescribeClustersResponse some = ecs.describeClusters();
        assertThat(some.failures()).isEmpty();
        assertThat(some.clusters()).extracting(Cluster::clusterArn).containsExactly(ARN_PREFIX + "default");
    }

    @Test
    void describeMoreThanAHundredClustersIsRefused() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            names.add("c" + i);
        }
        assertEcsError(() -> ecs.describeClusters(b -> b.clusters(names)), InvalidParameterException.class,
                "DescribeClusters takes at most 100 clusters; 101 were given.");
        assertThat(ecs.describeClusters(b -> b.clusters(names.subList(0, 100))).failures()).hasSize(100);
    }

    // ---- ListClusters ----

    @Test
    void listClustersPagesThroughEveryActiveCluster() {
        List<String> expected = new ArrayList<>();
        for (String name : List.of("g", "c", "a", "e", "b", "f", "d")) {
            ecs.createCluster(b -> b.clusterName(name));
        }
        for (String name : List.of("a", "b", "c", "d", "e", "f", "g")) {
            expected.add(ARN_PREFIX + name);
        }

        ListClustersResponse p1 = ecs.listClusters(b -> b.maxResults(3));
        assertThat(p1.clusterArns()).containsExactlyElementsOf(expected.subList(0, 3));
        assertThat(p1.nextToken()).isNotBlank();
        ListClustersResponse p2 = ecs.listClusters(b -> b.maxResults(3).nextToken(p1.nextToken()));
        assertThat(p2.clusterArns()).containsExactlyElementsOf(expected.subList(3, 6));
        assertThat(p2.nextToken()).isNotBlank().isNotEqualTo(p1.nextToken());
        ListClustersResponse p3 = ecs.listClusters(b -> b.maxResults(3).nextToken(p2.nextToken()));
        assertThat(p3.clusterArns()).containsExactlyElementsOf(expected.subList(6, 7));
        assertThat(p3.nextToken()).isNull();

        // A page that ends exactly at the end has no token.
        ListClustersResponse exact = ecs.listClusters(b -> b.maxResults(7));
        assertThat(exact.clusterArns()).containsExactlyElementsOf(expected);
        assertThat(exact.nextToken()).isNull();
        assertThat(ecs.listClusters().clusterArns()).containsExactlyElementsOf(expected);
    }

    @Test
    void listClustersPaginatorOfTheSdkSeesEveryClusterOnce() {
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            String name = "p" + i;
            ecs.createCluster(b -> b.clusterName(name));
            expected.add(ARN_PREFIX + name);
        }
        List<ListClustersResponse> pages = ecs.listClustersPaginator(b -> b.maxResults(3)).stream().toList();
        assertThat(pages).hasSize(3);
        assertThat(pages).extracting(p -> p.clusterArns().size()).containsExactly(3, 3, 1);
        assertThat(ecs.listClustersPaginator(b -> b.maxResults(3)).clusterArns().stream().toList())
                .containsExactlyElementsOf(expected);
    }

    @Test
    void aTokenStaysValidWhenClustersChangeBetweenPages() {
        for (String name : List.of("a", "b", "c", "d")) {
            ecs.createCluster(b -> b.clusterName(name));
        }
        ListClustersResponse p1 = ecs.listClusters(b -> b.maxResults(2));
        assertThat(p1.clusterArns()).containsExactly(ARN_PREFIX + "a", ARN_PREFIX + "b");
        ecs.deleteCluster(b -> b.cluster("b"));
        ecs.createCluster(b -> b.clusterName("aa"));
        ListClustersResponse p2 = ecs.listClusters(b -> b.maxResults(2).nextToken(p1.nextToken()));
        assertThat(p2.clusterArns()).containsExactly(ARN_PREFIX + "c", ARN_PREFIX + "d");
        assertThat(p2.nextToken()).isNull();
    }

    @Test
    void listClustersRefusesBadTokensAndPageSizes() {
        ecs.createCluster(b -> b.clusterName("one"));
        assertEcsError(() -> ecs.listClusters(b -> b.nextToken("not a token!")), InvalidParameterException.class,
                "Invalid nextToken: pass the nextToken of the previous response unchanged.");
        assertEcsError(() -> ecs.listClusters(b -> b.maxResults(0)), InvalidParameterException.class,
                "maxResults must be between 1 and 100 (was 0).");
        assertEcsError(() -> ecs.listClusters(b -> b.maxResults(101)), InvalidParameterException.class,
                "maxResults must be between 1 and 100 (was 101).");
        assertThat(ecs.listClusters(b -> b.maxResults(100)).clusterArns()).containsExactly(ARN_PREFIX + "one");
        assertThat(ecs.listClusters(b -> b.maxResults(1)).clusterArns()).containsExactly(ARN_PREFIX + "one");
    }

    // ---- DeleteCluster ----

    @Test
    void deleteClusterLeavesItInactiveAndDescribable() {
        ecs.createCluster(b -> b.clusterName("keep"));
        ecs.createCluster(b -> b.clusterName("doomed").tags(tag("k", "v")).capacityProviders("FARGATE"));

        Cluster deleted = ecs.deleteCluster(b -> b.cluster("doomed")).cluster();

        assertThat(deleted.status()).isEqualTo("INACTIVE");
        assertThat(deleted.clusterArn()).isEqualTo(ARN_PREFIX + "doomed");
        assertThat(deleted.clusterName()).isEqualTo("doomed");
        Cluster described = describeOne("doomed", ClusterField.TAGS);
        assertThat(described.status()).isEqualTo("INACTIVE");
        assertThat(described.tags()).isEmpty();
        assertThat(ecs.listClusters().clusterArns()).containsExactly(ARN_PREFIX + "keep");
    }

    @Test
    void deleteClusterByArn() {
        ecs.createCluster(b -> b.clusterName("byarn"));
        assertThat(ecs.deleteCluster(b -> b.cluster(ARN_PREFIX + "byarn")).cluster().status()).isEqualTo("INACTIVE");
        assertThat(ecs.listClusters().clusterArns()).isEmpty();
    }

    @Test
    void deleteOfUnknownOrAlreadyDeletedClusterIsClusterNotFound() {
        assertEcsError(() -> ecs.deleteCluster(b -> b.cluster("never")), ClusterNotFoundException.class, "Cluster not found.");
        ecs.createCluster(b -> b.clusterName("once"));
        ecs.deleteCluster(b -> b.cluster("once"));
        assertEcsError(() -> ecs.deleteCluster(b -> b.cluster("once")), ClusterNotFoundException.class, "Cluster not found.");
        assertEcsError(() -> ecs.deleteCluster(b -> b.cluster("arn:aws:ecs:eu-west-1:000000000000:cluster/once")),
                ClusterNotFoundException.class, "Cluster not found.");
    }

    // ---- UpdateCluster / UpdateClusterSettings ----

    @Test
    void updateClusterChangesSettingsConfigurationAndServiceConnectDefaults() {
        ecs.createCluster(b -> b.clusterName("upd").tags(tag("k", "v")));

        Cluster updated = ecs.updateCluster(b -> b.cluster("upd").settings(insights("enhanced")).configuration(configuration())
                .serviceConnectDefaults(s -> s.namespace("arn:aws:servicediscovery:us-east-1:000000000000:namespace/ns-abc"))).cluster();

        assertThat(updated.settings()).containsExactly(insights("enhanced"));
        assertThat(updated.configuration()).isEqualTo(configuration());
        assertThat(updated.serviceConnectDefaults().namespace())
                .isEqualTo("arn:aws:servicediscovery:us-east-1:000000000000:namespace/ns-abc");
        assertThat(updated.tags()).containsExactly(tag("k", "v"));
        Cluster described = describeOne("upd", ClusterField.SETTINGS, ClusterField.CONFIGURATIONS);
        assertThat(described.settings()).containsExactly(insights("enhanced"));
        assertThat(described.configuration()).isEqualTo(configuration());

        // Members left out stay as they were.
        Cluster partial = ecs.updateCluster(b -> b.cluster(ARN_PREFIX + "upd").settings(insights("disabled"))).cluster();
        assertThat(partial.settings()).containsExactly(insights("disabled"));
        assertThat(partial.configuration()).isEqualTo(configuration());
    }

    @Test
    void updateClusterRefusals() {
        assertEcsError(() -> ecs.updateCluster(b -> b.cluster("nope").settings(insights("enabled"))),
                ClusterNotFoundException.class, "Cluster not found.");
        ecs.createCluster(b -> b.clusterName("u").settings(insights("enabled")));
        assertEcsError(() -> ecs.updateCluster(b -> b.cluster("u").settings(insights("yes"))), InvalidParameterException.class,
                "The value 'yes' is not valid for cluster setting containerInsights. Valid values are: enabled, disabled, enhanced.");
        assertThat(describeOne("u", ClusterField.SETTINGS).settings()).containsExactly(insights("enabled"));
        ecs.deleteCluster(b -> b.cluster("u"));
        assertEcsError(() -> ecs.updateCluster(b -> b.cluster("u").settings(insights("enabled"))),
                ClusterNotFoundException.class, "Cluster not found.");
    }

    @Test
    void updateClusterSettings() {
        ecs.createCluster(b -> b.clusterName("s"));
        Cluster c = ecs.updateClusterSettings(b -> b.cluster("s").settings(insights("enabled"))).cluster();
        assertThat(c.clusterArn()).isEqualTo(ARN_PREFIX + "s");
        assertThat(c.settings()).containsExactly(insights("enabled"));
        assertThat(describeOne("s", ClusterField.SETTINGS).settings()).containsExactly(insights("enabled"));

        assertEcsError(() -> ecs.updateClusterSettings(b -> b.cluster("s").settings(insights("ENABLED"))),
                InvalidParameterException.class,
                "The value 'ENABLED' is not valid for cluster setting containerInsights. Valid values are: enabled, disabled, enhanced.");
        assertEcsError(() -> ecs.updateClusterSettings(b -> b.cluster("missing").settings(insights("enabled"))),
                ClusterNotFoundException.class, "Cluster not found.");
        assertThat(describeOne("s", ClusterField.SETTINGS).settings()).containsExactly(insights("enabled"));
    }

    // ---- PutClusterCapacityProviders ----

    @Test
    void putClusterCapacityProvidersReplacesProvidersAndStrategy() {
        ecs.createCluster(b -> b.clusterName("cp").capacityProviders("FARGATE")
                .defaultCapacityProviderStrategy(item("FARGATE", 0, 1)));

        List<CapacityProviderStrategyItem> strategy = List.of(item("FARGATE", 2, 1), item("FARGATE_SPOT", 0, 4));
        Cluster c = ecs.putClusterCapacityProviders(b -> b.cluster("cp").capacityProviders("FARGATE_SPOT", "FARGATE")
                .defaultCapacityProviderStrategy(strategy)).cluster();

        assertThat(c.capacityProviders()).containsExactly("FARGATE_SPOT", "FARGATE");
        assertThat(c.defaultCapacityProviderStrategy()).isEqualTo(strategy);
        Cluster described = describeOne("cp");
        assertThat(described.capacityProviders()).containsExactly("FARGATE_SPOT", "FARGATE");
        assertThat(described.defaultCapacityProviderStrategy()).isEqualTo(strategy);

        Cluster cleared = ecs.putClusterCapacityProviders(b -> b.cluster("cp").capacityProviders(List.of())
                .defaultCapacityProviderStrategy(List.of())).cluster();
        assertThat(cleared.capacityProviders()).isEmpty();
        assertThat(cleared.defaultCapacityProviderStrategy()).isEmpty();
    }

    @Test
    void putClusterCapacityProvidersRefusalsChangeNothing() {
        ecs.createCluster(b -> b.clusterName("cp").capacityProviders("FARGATE", "FARGATE_SPOT")
                .defaultCapacityProviderStrategy(item("FARGATE", 0, 1)));

        assertEcsError(() -> ecs.putClusterCapacityProviders(b -> b.cluster("cp").capacityProviders("FARGATE", "my-asg-cp")
                        .defaultCapacityProviderStrategy(item("FARGATE", 0, 1))), InvalidParameterException.class,
                "The specified capacity provider was not found. Specify a valid capacity provider and try again. ('my-asg-cp' is"
                        + " neither FARGATE, FARGATE_SPOT nor a capacity provider of this account.)");
        assertEcsError(() -> ecs.putClusterCapacityProviders(b -> b.cluster("cp").capacityProviders("FARGATE")
                        .defaultCapacityProviderStrategy(item("FARGATE", 0, 1), item("FARGATE_SPOT", 0, 1))),
                InvalidParameterException.class, NOT_ASSOCIATED);
        assertEcsError(() -> ecs.putClusterCapacityProviders(b -> b.cluster("cp").capacityProviders("FARGATE", "FARGATE_SPOT")
                        .defaultCapacityProviderStrategy(item("FARGATE", 1, 1), item("FARGATE_SPOT", 2, 1))),
                InvalidParameterException.class, "Only one capacity provider in a capacity provider strategy can have a base defined.");
        assertEcsError(() -> ecs.putClusterCapacityProviders(b -> b.cluster("cp").capacityProviders("FARGATE", "FARGATE_SPOT")
                        .defaultCapacityProviderStrategy(item("FARGATE", 1, 0), item("FARGATE_SPOT", 0, 0))),
                InvalidParameterException.class,
                "At least one capacity provider in a capacity provider strategy must have a weight greater than zero.");
        assertEcsError(() -> ecs.putClusterCapacityProviders(b -> b.cluster("cp").capacityProviders("FARGATE", "FARGATE")
                        .defaultCapacityProviderStrategy(List.of())),
                InvalidParameterException.class, "The list of capacity providers contains a capacity provider more than once.");
        assertEcsError(() -> ecs.putClusterCapacityProviders(b -> b.cluster("cp").capacityProviders("FARGATE")
                        .defaultCapacityProviderStrategy(item("FARGATE", 0, 1), item("FARGATE", 0, 2))),
                InvalidParameterException.class, "The capacity provider strategy contains capacity provider FARGATE more than once.");
        assertEcsError(() -> ecs.putClusterCapacityProviders(b -> b.cluster("cp").capacityProviders("FARGATE")
                        .defaultCapacityProviderStrategy(item("FARGATE", 0, 1001))),
                InvalidParameterException.class, "The weight of capacity provider FARGATE must be between 0 and 1000.");
        assertEcsError(() -> ecs.putClusterCapacityProviders(b -> b.cluster("cp").capacityProviders("FARGATE")
                        .defaultCapacityProviderStrategy(item("FARGATE", 100_001, 1))),
                InvalidParameterException.class, "The base of capacity provider FARGATE must be between 0 and 100000.");
        assertEcsError(() -> ecs.putClusterCapacityProviders(b -> b.cluster("gone").capacityProviders("FARGATE")
                        .defaultCapacityProviderStrategy(List.of())),
                ClusterNotFoundException.class, "Cluster not found.");

        Cluster unchanged = describeOne("cp");
        assertThat(unchanged.capacityProviders()).containsExactly("FARGATE", "FARGATE_SPOT");
        assertThat(unchanged.defaultCapacityProviderStrategy()).containsExactly(item("FARGATE", 0, 1));
    }
}
