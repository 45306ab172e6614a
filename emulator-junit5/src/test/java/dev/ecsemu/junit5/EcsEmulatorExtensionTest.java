package dev.ecsemu.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/** A static field: one emulator for the class, model only, with the instances asked for. */
class EcsEmulatorExtensionTest {

    @RegisterExtension
    static EcsEmulatorExtension emulator = new EcsEmulatorExtension().withoutTaskContainers().withInstances(2).withRegion("eu-west-1");

    @Test
    void configuresAnSdkClientForTheEmulatorWithItsInstancesRegistered() {
        try (EcsClient ecs = emulator.configure(EcsClient.builder()).httpClientBuilder(ApacheHttpClient.builder()).build()) {
            ecs.createCluster(r -> r.clusterName("demo"));

            assertThat(ecs.listClusters().clusterArns()).containsExactlyInAnyOrder(
                    "arn:aws:ecs:eu-west-1:000000000000:cluster/default", "arn:aws:ecs:eu-west-1:000000000000:cluster/demo");
            assertThat(ecs.listContainerInstances(r -> r.cluster("default")).containerInstanceArns()).hasSize(2);
            assertThat(emulator.getEndpoint().toString()).startsWith("http://127.0.0.1:");
        }
    }

    @Test
    void theClassSharesOneEmulator() {
        assertThat(emulator.emulator().port()).isEqualTo(emulator.getEndpoint().getPort());
    }
}
