package dev.ecsemu.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.TestEmulator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

class SmokeIT {
    @Test
    void createsAndListsAClusterWithTheSdk() {
        try (TestEmulator emu = TestEmulator.modelOnly(); EcsClient ecs = emu.ecs()) {
            ecs.createCluster(r -> r.clusterName("smoke"));
            assertThat(ecs.listClusters().clusterArns()).containsExactly("arn:aws:ecs:us-east-1:000000000000:cluster/smoke");
        }
    }
}
