package dev.ecsemu.api.ecs;

import static dev.ecsemu.api.testing.EcsAssertions.assertEcsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.TestEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ecs.model.SettingName;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** Each (account, region) is a separate store; the account comes from a 12-digit access key id, the region from the signature. */
class ScopeIT {
    private static TestEmulator emu;
    /** Non-numeric key: the default account 000000000000, us-east-1. */
    private static EcsClient defaultAccount;
    /** Access key 111111111111: that account, us-east-1. */
    private static EcsClient account1;
    /** Default account, eu-west-1. */
    private static EcsClient europe;
    /** Account 111111111111, eu-west-1. */
    private static EcsClient account1Europe;

    @BeforeAll
    static void start() {
        emu = TestEmulator.modelOnly();
        defaultAccount = emu.ecs("AKIAIOSFODNN7EXAMPLE", Region.US_EAST_1);
        account1 = emu.ecs("111111111111", Region.US_EAST_1);
        europe = emu.ecs("AKIAIOSFODNN7EXAMPLE", Region.EU_WEST_1);
        account1Europe = emu.ecs("111111111111", Region.EU_WEST_1);
    }

    @AfterAll
    static void stop() {
        defaultAccount.close();
        account1.close();
        europe.close();
        account1Europe.close();
        emu.close();
    }

    @BeforeEach
    void reset() {
        emu.emulator().stores().reset();
    }

    private static TaskDefinition register(EcsClient ecs, String family) {
        return ecs.registerTaskDefinition(b -> b.family(family)
                .containerDefinitions(ContainerDefinition.builder().name("app").image("nginx").memory(64).build())).taskDefinition();
    }

    @Test
    void aTwelveDigitAccessKeySelectsThatAccount() {
        String arn1 = account1.createCluster(b -> b.clusterName("shared")).cluster().clusterArn();
        assertThat(arn1).isEqualTo("arn:aws:ecs:us-east-1:111111111111:cluster/shared");
        assertThat(defaultAccount.listClusters().clusterArns()).isEmpty();

        String arn0 = defaultAccount.createCluster(b -> b.clusterName("shared")).cluster().clusterArn();
        assertThat(arn0).isEqualTo("arn:aws:ecs:us-east-1:000000000000:cluster/shared");
        assertThat(account1.listClusters().clusterArns()).containsExactly(arn1);
        assertThat(defaultAccount.listClusters().clusterArns()).containsExactly(arn0);

        // A cluster of another account cannot be reached by its ARN.
        assertThat(defaultAccount.describeClusters(b -> b.clusters(arn1)).failures())
                .containsExactly(Failure.builder().arn(arn1).reason("MISSING").build());
        assertEcsError(() -> defaultAccount.deleteCluster(b -> b.cluster(arn1)), ClusterNotFoundException.class, "Cluster not found.");
        assertEcsError(() -> defaultAccount.listTagsForResource(b -> b.resourceArn(arn1)), ResourceNotFoundException.class,
                "The specified resource could not be found: " + arn1 + " belongs to account 111111111111 in us-east-1.");
        assertThat(account1.describeClusters(b -> b.clusters(arn1)).clusters()).hasSize(1);
    }

    @Test
    void taskDefinitionsAndSettingsAreKeptPerAccount() {
        TaskDefinition td1 = register(account1, "fam");
        register(account1, "fam");
        TaskDefinition td0 = register(defaultAccount, "fam");

        assertThat(td1.taskDefinitionArn()).isEqualTo("arn:aws:ecs:us-east-1:111111111111:task-definition/fam:1");
        assertThat(td1.registeredBy()).isEqualTo("arn:aws:iam::111111111111:root");
        assertThat(td0.taskDefinitionArn()).isEqualTo("arn:aws:ecs:us-east-1:000000000000:task-definition/fam:1");
        assertThat(td0.registeredBy()).isEqualTo("arn:aws:iam::000000000000:root");
        assertEcsError(() -> defaultAccount.describeTaskDefinition(b -> b.taskDefinition(td1.taskDefinitionArn().replace(":1", ":2"))),
                ClientException.class, "Unable to describe task definition.");

        account1.putAccountSetting(b -> b.name(SettingName.CONTAINER_INSIGHTS).value("enabled"));
        assertThat(defaultAccount.listAccountSettings().settings()).isEmpty();
        assertThat(account1.listAccountSettings().settings()).singleElement()
                .satisfies(s -> assertThat(s.principalArn()).isEqualTo("arn:aws:iam::111111111111:root"));
        assertThat(account1.createCluster(b -> b.clusterName("c")).cluster().settings().get(0).value()).isEqualTo("enabled");
        assertThat(defaultAccount.createCluster(b -> b.clusterName("c")).cluster().settings().get(0).value()).isEqualTo("disabled");
    }

    @Test
    void regionsAreSeparateStores() {
        String us = defaultAccount.createCluster(b -> b.clusterName("web")).cluster().clusterArn();
        assertThat(europe.listClusters().clusterArns()).isEmpty();
        String eu = europe.createCluster(b -> b.clusterName("web")).cluster().clusterArn();

        assertThat(us).isEqualTo("arn:aws:ecs:us-east-1:000000000000:cluster/web");
        assertThat(eu).isEqualTo("arn:aws:ecs:eu-west-1:000000000000:cluster/web");
        assertThat(defaultAccount.listClusters().clusterArns()).containsExactly(us);
        assertThat(europe.listClusters().clusterArns()).containsExactly(eu);

        europe.deleteCluster(b -> b.cluster("web"));
        assertThat(defaultAccount.describeClusters(b -> b.clusters("web")).clusters().get(0).status()).isEqualTo("ACTIVE");

        register(defaultAccount, "app");
        register(defaultAccount, "app");
        TaskDefinition euTd = register(europe, "app");
        assertThat(euTd.revision()).isEqualTo(1);
        assertThat(euTd.taskDefinitionArn()).isEqualTo("arn:aws:ecs:eu-west-1:000000000000:task-definition/app:1");
        assertThat(europe.listTaskDefinitionFamilies().families()).containsExactly("app");
        assertThat(europe.listTaskDefinitions().taskDefinitionArns()).containsExactly(euTd.taskDefinitionArn());
        assertEcsError(() -> europe.describeTaskDefinition(b -> b.taskDefinition("arn:aws:ecs:us-east-1:000000000000:task-definition/app:1")),
                ClientException.class, "Unable to describe task definition.");
    }

    @Test
    void accountAndRegionCombineIntoFourStores() {
        for (EcsClient c : new EcsClient[] {defaultAccount, account1, europe, account1Europe}) {
            c.createCluster(b -> b.clusterName("same"));
        }
        assertThat(account1Europe.listClusters().clusterArns()).containsExactly("arn:aws:ecs:eu-west-1:111111111111:cluster/same");
        assertThat(account1.listClusters().clusterArns()).containsExactly("arn:aws:ecs:us-east-1:111111111111:cluster/same");
        assertThat(europe.listClusters().clusterArns()).containsExactly("arn:aws:ecs:eu-west-1:000000000000:cluster/same");
        assertThat(defaultAccount.listClusters().clusterArns()).containsExactly("arn:aws:ecs:us-east-1:000000000000:cluster/same");
        assertThat(register(account1Europe, "f").registeredBy()).isEqualTo("arn:aws:iam::111111111111:root");
    }
}
