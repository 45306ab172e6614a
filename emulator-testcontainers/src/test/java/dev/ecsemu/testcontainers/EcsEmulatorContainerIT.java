package dev.ecsemu.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
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
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The real image (built from this checkout by docker/build.sh before the integration tests) started by
 * Testcontainers: an EC2 task and a Fargate (awsvpc) task run through the SDK are reached from here, their
 * containers, holder and network carry this session's labels, and stopping the emulator's container leaves none
 * of them behind. Ryuk is disabled on the build machines
 * (its image cannot be pulled), so that last part is the emulator's own graceful shutdown.
 */
class EcsEmulatorContainerIT {
    private static final String IMAGE = System.getProperty("ecsemu.image", "ecs-emu:latest");

    @Test
    void tasksRunAreReachedCarryTheSessionLabelsAndAreRemovedWhenTheEmulatorStops() throws Exception {
        String busybox = BusyboxImage.build();
        DockerClient docker = DockerClientFactory.instance().client();
        String emulatorHost = null;
        try (EcsEmulatorContainer emulator = new EcsEmulatorContainer(DockerImageName.parse(IMAGE)).withInstances(1).withTimeScale(0.05)) {
            long started = System.nanoTime();
            emulator.start();
            System.out.printf("ecs-emu image %s healthy %d ms after start()%n", IMAGE, (System.nanoTime() - started) / 1_000_000);
            // The emulator's identity label names its host, here its container's hostname: its short id.
            emulatorHost = emulator.getContainerId().substring(0, 12);
            assertThat(emulator.getLogs()).as("the start-up line names the address the host reaches")
                    .contains("in its container, on http://localhost:" + emulator.getMappedPort(EcsEmulatorContainer.PORT) + " from the host");

            try (EcsClient ecs = EcsClient.builder().endpointOverride(emulator.getEndpoint()).region(Region.of(emulator.getRegion()))
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(emulator.getAccessKey(), emulator.getSecretKey())))
                    .httpClientBuilder(ApacheHttpClient.builder()).build()) {
                String command = "mkdir -p /www && echo hello-from-a-task > /www/index.html && exec httpd -f -p 8080 -h /www";
                ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("web").image(busybox).memory(32)
                        .command("sh", "-c", command).portMappings(p -> p.containerPort(8080).hostPort(0))));
                ecs.registerTaskDefinition(r -> r.family("web-fargate").requiresCompatibilities(Compatibility.FARGATE)
                        .networkMode(NetworkMode.AWSVPC).cpu("256").memory("512")
                        .containerDefinitions(c -> c.name("web").image(busybox).stopTimeout(2)
                                .command("sh", "-c", command).portMappings(p -> p.containerPort(8080))));
                String ec2 = ecs.runTask(r -> r.taskDefinition("web")).tasks().get(0).taskArn();
                String fargate = ecs.runTask(r -> r.taskDefinition("web-fargate").launchType(LaunchType.FARGATE)
                        .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-12345678")))).tasks().get(0).taskArn();
                ecs.waiter().waitUntilTasksRunning(r -> r.tasks(ec2, fargate), c -> c.waitTimeout(Duration.ofSeconds(60))
                        .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(200))));
                List<Task> tasks = ecs.describeTasks(r -> r.tasks(ec2, fargate)).tasks();
                Task ec2Task = tasks.stream().filter(t -> t.taskArn().equals(ec2)).findFirst().orElseThrow();
                Task fargateTask = tasks.stream().filter(t -> t.taskArn().equals(fargate)).findFirst().orElseThrow();

                NetworkBinding binding = ec2Task.containers().get(0).networkBindings().get(0);
                assertThat(get(URI.create("http://" + binding.bindIP() + ":" + binding.hostPort() + "/"))).isEqualTo("hello-from-a-task\n");
                String fargateIp = fargateTask.attachments().get(0).details().stream()
                        .filter(d -> d.name().equals("privateIPv4Address")).findFirst().orElseThrow().value();
                assertThat(get(URI.create("http://" + fargateIp + ":8080/"))).isEqualTo("hello-from-a-task\n");

                // The emulator reaches them too, from its container: the Fargate task at its own IP (its container joins
                // the awsvpc network), the EC2 task at its container's address on the default bridge, which both share.
                assertThat(reachedFromTheEmulator(emulator, "http://" + fargateIp + ":8080/")).isEqualTo(0);
                String ec2Container = ec2Task.containers().get(0).runtimeId();
                String ec2Ip = docker.inspectContainerCmd(ec2Container).exec().getNetworkSettings().getNetworks().get("bridge").getIpAddress();
                assertThat(reachedFromTheEmulator(emulator, "http://" + ec2Ip + ":8080/")).isEqualTo(0);
            }

            List<Container> containers = containersOf(docker, emulatorHost);
            assertThat(containers).as("the EC2 task's container, the Fargate task's container and its network holder").hasSize(3);
            for (Container c : containers) {
                assertThat(c.getLabels()).as(c.getNames()[0])
                        .containsAllEntriesOf(EcsEmulatorContainer.sessionLabels())
                        .containsEntry(DockerClientFactory.TESTCONTAINERS_SESSION_ID_LABEL, DockerClientFactory.SESSION_ID);
            }
            List<Network> networks = networksOf(docker, emulatorHost);
            assertThat(networks).as("the awsvpc tasks' network").hasSize(1);
            assertThat(networks.get(0).getLabels()).containsAllEntriesOf(EcsEmulatorContainer.sessionLabels());

            try (EcrClient ecr = EcrClient.builder().endpointOverride(emulator.getEndpoint()).region(Region.of(emulator.getRegion()))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClientBuilder(ApacheHttpClient.builder()).build()) {
                assertThat(ecr.createRepository(r -> r.repositoryName("demo/web")).repository().repositoryUri())
                        .as("the registry is named by the host port the emulator's port is published on")
                        .isEqualTo(emulator.getRegistryHost() + "/000000000000/us-east-1/demo/web");
            }

            emulator.stop();
            assertThat(containersOf(docker, emulatorHost)).as("task containers after the emulator's container stopped").isEmpty();
            assertThat(networksOf(docker, emulatorHost)).as("task networks after the emulator's container stopped").isEmpty();
        } finally {
            // What a failed run left (Ryuk, which would remove it, is disabled here).
            if (emulatorHost != null) {
                containersOf(docker, emulatorHost).forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
                networksOf(docker, emulatorHost).forEach(n -> docker.removeNetworkCmd(n.getId()).exec());
            }
        }
    }

    @Test
    void anImageNotBuiltYetFailsAtOnceSayingHowToBuildIt() {
        // ecs-emu is published nowhere: pulling it can only fail, after Testcontainers' pull retries.
        try (EcsEmulatorContainer emulator = new EcsEmulatorContainer("ecs-emu:not-built-yet")) {
            assertThatThrownBy(emulator::start)
                    .hasStackTraceContaining("the image ecs-emu:not-built-yet is not on this Docker engine")
                    .hasStackTraceContaining("docker/build.sh --tag ecs-emu:not-built-yet");
        }
    }

    /** The exit code of the image's own HTTP check run in the emulator's container: 0 when the URL answers 200. */
    private static int reachedFromTheEmulator(EcsEmulatorContainer emulator, String url) throws Exception {
        var result = emulator.execInContainer("java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", "/opt/ecs-emu/ecs-emu.jar",
                "dev.ecsemu.cli.HealthCheck", url);
        System.out.print(result.getStdout() + result.getStderr());
        return result.getExitCode();
    }

    private static List<Container> containersOf(DockerClient docker, String emulatorHost) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("ecs-emu.host", emulatorHost)).exec();
    }

    private static List<Network> networksOf(DockerClient docker, String emulatorHost) {
        return docker.listNetworksCmd().withFilter("label", List.of("ecs-emu.host=" + emulatorHost)).exec();
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
