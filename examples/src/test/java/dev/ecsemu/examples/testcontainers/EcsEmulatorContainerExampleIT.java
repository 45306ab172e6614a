package dev.ecsemu.examples.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.examples.sdk.ServiceRolloutExample;
import dev.ecsemu.testcontainers.EcsEmulatorContainer;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * A JUnit 5 test with Testcontainers, as a user writes one: the emulator's image started once for the class, the
 * SDK pointed at it. (The build passes the image it made as ecsemu.image; yours is simply new EcsEmulatorContainer(),
 * which runs ecs-emu:latest as docker/build.sh tags it.)
 */
@Testcontainers
class EcsEmulatorContainerExampleIT {

    @Container
    static EcsEmulatorContainer ecsEmu = new EcsEmulatorContainer(DockerImageName.parse(System.getProperty("ecsemu.image", "ecs-emu:latest")))
            .withTimeScale(0.05);

    @Test
    void aServiceRollsOutInTheEmulatorContainer() {
        try (EcsClient ecs = EcsClient.builder()
                .endpointOverride(ecsEmu.getEndpoint())
                .region(Region.of(ecsEmu.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ecsEmu.getAccessKey(), ecsEmu.getSecretKey())))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build()) {
            Service service = ServiceRolloutExample.run(ecs, BusyboxImage.build());

            assertThat(service.deployments()).singleElement().satisfies(d -> {
                assertThat(d.rolloutStateAsString()).isEqualTo("COMPLETED");
                assertThat(d.taskDefinition()).endsWith(":task-definition/web:2");
            });
            assertThat(service.runningCount()).isEqualTo(2);
        }
    }
}
