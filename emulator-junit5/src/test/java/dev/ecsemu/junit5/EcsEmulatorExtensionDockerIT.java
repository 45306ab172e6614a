package dev.ecsemu.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.core.testing.RequiresDocker;
import dev.ecsemu.core.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.NetworkMode;

/** An instance field: an emulator per test, running tasks as containers that carry the extra labels, Fargate ports on loopback. */
@RequiresDocker
class EcsEmulatorExtensionDockerIT {
    private static final String LABEL = "it.junit5-extension-run";
    private final String run = Long.toString(System.nanoTime());

    @RegisterExtension
    EcsEmulatorExtension emulator = new EcsEmulatorExtension().withInstances(1).withTimeScale(0.05)
            .withContainerLabels(Map.of(LABEL, run)).withLoopbackAwsvpcPorts();

    @Test
    void withLoopbackAwsvpcPortsAFargateTaskAnswersOnALoopbackPort() throws Exception {
        String image = TestImages.busybox();
        try (EcsClient ecs = emulator.configure(EcsClient.builder()).httpClientBuilder(ApacheHttpClient.builder()).build()) {
            ecs.registerTaskDefinition(r -> r.family("web").requiresCompatibilities(Compatibility.FARGATE).networkMode(NetworkMode.AWSVPC)
                    .cpu("256").memory("512").containerDefinitions(c -> c.name("web").image(image).stopTimeout(2)
                            .command("sh", "-c", "mkdir -p /www && echo loopback > /www/index.html && exec httpd -f -p 8080 -h /www")
                            .portMappings(p -> p.containerPort(8080))));
            String arn = ecs.runTask(r -> r.taskDefinition("web").launchType(LaunchType.FARGATE)
                    .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-12345678")))).tasks().get(0).taskArn();
            ecs.waiter().waitUntilTasksRunning(r -> r.tasks(arn), c -> c.waitTimeout(Duration.ofSeconds(60))
                    .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(100))));

            NetworkBinding binding = ecs.describeTasks(r -> r.tasks(arn)).tasks().get(0).containers().get(0).networkBindings().get(0);
            assertThat(binding.bindIP()).isEqualTo("127.0.0.1");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            URI uri = URI.create("http://127.0.0.1:" + binding.hostPort() + "/");
            String body = null;
            for (int attempt = 0; attempt < 50 && body == null; attempt++) {
                try {
                    body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
                } catch (java.io.IOException notYet) {
                    Thread.sleep(100); // RUNNING once its process started; httpd may take a moment more to listen
                }
            }
            assertThat(body).isEqualTo("loopback\n");
        }
    }

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
