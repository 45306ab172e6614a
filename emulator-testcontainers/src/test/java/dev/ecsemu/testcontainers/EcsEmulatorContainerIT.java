package dev.ecsemu.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The real image (built from this checkout by docker/build.sh before the integration tests) started by
 * Testcontainers: a task run through the SDK is reached from here, its container carries this session's labels,
 * and stopping the emulator's container leaves no task container behind. Ryuk is disabled on the build machines
 * (its image cannot be pulled), so that last part is the emulator's own graceful shutdown.
 */
class EcsEmulatorContainerIT {
    private static final String IMAGE = System.getProperty("ecsemu.image", "ecs-emu:latest");

    @Test
    void aTaskRunsIsReachedCarriesTheSessionLabelsAndIsRemovedWhenTheEmulatorStops() throws Exception {
        String busybox = BusyboxImage.build();
        DockerClient docker = DockerClientFactory.instance().client();
        String taskArn = null;
        try (EcsEmulatorContainer emulator = new EcsEmulatorContainer(DockerImageName.parse(IMAGE)).withInstances(1).withTimeScale(0.05)) {
            long started = System.nanoTime();
            emulator.start();
            System.out.printf("ecs-emu image %s healthy %d ms after start()%n", IMAGE, (System.nanoTime() - started) / 1_000_000);

            try (EcsClient ecs = EcsClient.builder().endpointOverride(emulator.getEndpoint()).region(Region.of(emulator.getRegion()))
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(emulator.getAccessKey(), emulator.getSecretKey())))
                    .httpClientBuilder(ApacheHttpClient.builder()).build()) {
                ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("web").image(busybox).memory(32)
                        .command("sh", "-c", "mkdir -p /www && echo hello-from-a-task > /www/index.html && exec httpd -f -p 8080 -h /www")
                        .portMappings(p -> p.containerPort(8080).hostPort(0))));
                String arn = ecs.runTask(r -> r.taskDefinition("web")).tasks().get(0).taskArn();
                taskArn = arn;
                ecs.waiter().waitUntilTasksRunning(r -> r.tasks(arn), c -> c.waitTimeout(Duration.ofSeconds(60))
                        .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(200))));
                Task task = ecs.describeTasks(r -> r.tasks(arn)).tasks().get(0);
                NetworkBinding binding = task.containers().get(0).networkBindings().get(0);

                assertThat(get(URI.create("http://" + binding.bindIP() + ":" + binding.hostPort() + "/"))).isEqualTo("hello-from-a-task\n");
            }

            List<Container> taskContainers = containersOf(docker, taskArn);
            assertThat(taskContainers).hasSize(1);
            assertThat(taskContainers.get(0).getLabels())
                    .containsAllEntriesOf(EcsEmulatorContainer.sessionLabels())
                    .containsEntry(DockerClientFactory.TESTCONTAINERS_SESSION_ID_LABEL, DockerClientFactory.SESSION_ID);

            try (EcrClient ecr = EcrClient.builder().endpointOverride(emulator.getEndpoint()).region(Region.of(emulator.getRegion()))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClientBuilder(ApacheHttpClient.builder()).build()) {
                assertThat(ecr.createRepository(r -> r.repositoryName("demo/web")).repository().repositoryUri())
                        .as("the registry is named by the host port the emulator's port is published on")
                        .isEqualTo(emulator.getRegistryHost() + "/000000000000/us-east-1/demo/web");
            }

            emulator.stop();
            assertThat(containersOf(docker, taskArn)).as("task containers after the emulator's container stopped").isEmpty();
        } finally {
            // What a failed run left (Ryuk, which would remove it, is disabled here).
            if (taskArn != null) {
                containersOf(docker, taskArn).forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
            }
        }
    }

    private static List<Container> containersOf(DockerClient docker, String taskArn) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("ecs-emu.task-arn", taskArn)).exec();
    }

    private static String get(URI uri) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Exception last = null;
        // The task is RUNNING once its process started; httpd may take a moment more to listen.
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }
}
