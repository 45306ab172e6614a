package dev.ecsemu.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.core.testing.RequiresDocker;
import dev.ecsemu.core.testing.TestImages;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/** An instance field: an emulator per test, running tasks as containers that carry the extra labels. */
@RequiresDocker
class EcsEmulatorExtensionDockerIT {
    private static final String LABEL = "it.junit5-extension-run";
    private final String run = Long.toString(System.nanoTime());

    @RegisterExtension
    EcsEmulatorExtension emulator = new EcsEmulatorExtension().withInstances(1).withTimeScale(0.05)
            .withContainerLabels(Map.of(LABEL, run));

    @Test
    void runsATaskAsAContainerWithTheExtraLabels() throws Exception {
        String image = TestImages.busybox();
        try (EcsClient ecs = emulator.configure(EcsClient.builder()).httpClientBuilder(ApacheHttpClient.builder()).build()) {
            ecs.registerTaskDefinition(r -> r.family("sleeper").containerDefinitions(c -> c.name("main").image(image).memory(32)
                    .command("sleep", "300")));
            String arn = ecs.runTask(r -> r.taskDefinition("sleeper")).tasks().get(0).taskArn();
            ecs.waiter().waitUntilTasksRunning(r -> r.tasks(arn), c -> c.waitTimeout(Duration.ofSeconds(60))
                    .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(100))));

            Process ps = new ProcessBuilder("docker", "ps", "-q", "--filter", "label=" + LABEL + "=" + run,
                    "--filter", "label=ecs-emu.task-arn=" + arn).redirectErrorStream(true).start();
            assertThat(new String(ps.getInputStream().readAllBytes()).trim()).isNotEmpty();
        }
    }
}
