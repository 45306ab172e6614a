package dev.ecsemu.examples.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.runtime.docker.DockerRuntime;
import dev.ecsemu.core.testing.RequiresDocker;
import dev.ecsemu.core.testing.TestImages;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/** Runs the SDK example against an in-process emulator with real containers, so that the example cannot rot. */
@RequiresDocker
class ServiceRolloutExampleIT {

    @Test
    void theServiceRollsOutToRevisionTwoAndTheWaiterSeesItThrough() throws Exception {
        DockerRuntime docker = new DockerRuntime();
        try (TestEmulator emu = TestEmulator.with(docker, EmulatorSettings.defaults().withTimeScale(new TimeScale(0.05)))) {
            docker.firstCheck().get(20, TimeUnit.SECONDS);
            Service service = ServiceRolloutExample.run(emu.ecs(), TestImages.busybox());

            System.out.println(ServiceRolloutExample.describe(service));
            assertThat(service.deployments()).hasSize(1);
            Deployment primary = ServiceRolloutExample.primary(service);
            assertThat(primary.status()).isEqualTo("PRIMARY");
            assertThat(primary.rolloutStateAsString()).isEqualTo("COMPLETED");
            assertThat(primary.taskDefinition()).endsWith(":task-definition/web:2");
            assertThat(service.runningCount()).isEqualTo(2);
        }
    }
}
