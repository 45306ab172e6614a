package dev.ecsemu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The Docker Compose example, brought up with the image this build made (docker compose, else docker-compose):
 * the emulator answers on the published port, runs a task on one of the two instances the file registers, and
 * {@code down} leaves no task container behind.
 */
class DockerComposeContainerIT {
    private static final Path DIR = Path.of("docker-compose");

    @Test
    void upRunsATaskAndDownRemovesIt() throws Exception {
        List<String> compose = composeCommand();
        String image = System.getProperty("ecsemu.image", "ecs-emu:latest");
        String taskImage = dev.ecsemu.core.testing.TestImages.busybox();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String project = "ecsemu-compose-" + ProcessHandle.current().pid();
        Map<String, String> env = Map.of("ECS_EMU_IMAGE", image, "ECS_EMU_HOST_PORT", Integer.toString(port),
                "DOCKER_GID", Files.getAttribute(Path.of("/var/run/docker.sock"), "unix:gid").toString());
        String taskArn = null;
        try {
            run(compose, env, "-p", project, "up", "-d");
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            awaitHealthy(endpoint);
            try (EcsClient ecs = EcsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClientBuilder(ApacheHttpClient.builder()).build()) {
                assertThat(ecs.listContainerInstances(r -> r.cluster("default")).containerInstanceArns()).hasSize(2);
                ecs.registerTaskDefinition(r -> r.family("sleeper").containerDefinitions(c -> c.name("main").image(taskImage)
                        .memory(32).command("sleep", "300")));
                String arn = ecs.runTask(r -> r.taskDefinition("sleeper")).tasks().get(0).taskArn();
                taskArn = arn;
                ecs.waiter().waitUntilTasksRunning(r -> r.tasks(arn), c -> c.waitTimeout(Duration.ofSeconds(60))
                        .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(200))));
            }
            assertThat(taskContainers(taskArn)).isNotEmpty();
        } finally {
            run(compose, env, "-p", project, "down");
        }
        assertThat(taskContainers(taskArn)).as("task containers after docker compose down").isEmpty();
    }

    /** docker compose (v2) when the docker CLI has it, else docker-compose; under CI one of them must be there. */
    private static List<String> composeCommand() throws Exception {
        if (exitCode("docker", "compose", "version") == 0) {
            return List.of("docker", "compose");
        }
        if (exitCode("docker-compose", "version") == 0) {
            return List.of("docker-compose");
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but neither docker compose nor docker-compose is installed");
        }
        Assumptions.abort("neither docker compose nor docker-compose is installed");
        return List.of();
    }

    private static int exitCode(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static void run(List<String> compose, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        System.out.println(String.join(" ", command) + "\n" + out);
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static void awaitHealthy(URI endpoint) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 300; i++) {
            try {
                if (http.send(HttpRequest.newBuilder(endpoint.resolve("/_ecs-emu/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("ecs-emu did not answer on " + endpoint + " within 30 s");
    }

    private static String taskContainers(String taskArn) throws Exception {
        if (taskArn == null) {
            return "";
        }
        Process ps = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=ecs-emu.task-arn=" + taskArn)
                .redirectErrorStream(true).start();
        String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        ps.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
