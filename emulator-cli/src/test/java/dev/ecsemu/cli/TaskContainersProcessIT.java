package dev.ecsemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.core.testing.RequiresDocker;
import dev.ecsemu.core.testing.TestImages;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/** The containers of an ecs-emu process: never left behind, whatever way the process ends. */
@RequiresDocker
class TaskContainersProcessIT {

    @Test
    void aRestartAfterSigkillRemovesTheContainersTheKilledEmulatorLeft() throws Exception {
        String image = TestImages.busybox();
        long killedPid;
        try (EmulatorProcess first = EmulatorProcess.launch(Map.of(), "start", "--port", "0", "--instances", "1")) {
            URI endpoint = first.awaitListening(30);
            runASleepingTask(endpoint, image);
            killedPid = first.pid();
            assertThat(containersOf(killedPid)).as("the task's container runs").isNotEmpty();
            first.kill();
        }
        assertThat(containersOf(killedPid)).as("SIGKILL left the container behind, as expected").isNotEmpty();

        try (EmulatorProcess second = EmulatorProcess.launch(Map.of(), "start", "--port", "0")) {
            second.awaitListening(30);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!containersOf(killedPid).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(containersOf(killedPid)).as("containers of the killed emulator after a restart").isEmpty();
            assertThat(second.terminate(30)).isZero();
        }
    }

    @Test
    void aCleanShutdownRemovesTheContainersOfItsTasksWhichCarryTheExtraLabels() throws Exception {
        String image = TestImages.busybox();
        String session = "session-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (EmulatorProcess emu = EmulatorProcess.launch(Map.of("ECS_EMU_CONTAINER_LABELS", "it.session=" + session + ",it.lang=java"),
                "start", "--port", "0", "--instances", "1")) {
            URI endpoint = emu.awaitListening(30);
            runASleepingTask(endpoint, image);
            long pid = emu.pid();
            assertThat(containersOf(pid)).isNotEmpty();
            assertThat(run("docker", "ps", "-aq", "--filter", "label=it.session=" + session, "--filter", "label=it.lang=java"))
                    .as("the task container carries the extra labels").isEqualTo(containersOf(pid));
            assertThat(emu.terminate(60)).isZero();
            assertThat(containersOf(pid)).as("containers after SIGTERM").isEmpty();
        }
    }

    private static void runASleepingTask(URI endpoint, String image) {
        try (EcsClient ecs = EcsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder()).build()) {
            ecs.registerTaskDefinition(r -> r.family("sleeper").containerDefinitions(c -> c.name("main").image(image).memory(32)
                    .command("sleep", "300")));
            String arn = ecs.runTask(r -> r.taskDefinition("sleeper")).tasks().get(0).taskArn();
            ecs.waiter().waitUntilTasksRunning(r -> r.tasks(arn), c -> c.waitTimeout(Duration.ofSeconds(60))
                    .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(100))));
        }
    }

    private static String containersOf(long pid) throws Exception {
        return run("docker", "ps", "-aq", "--filter", "label=ecs-emu.pid=" + pid);
    }

    private static String run(String... command) throws Exception {
        Process ps = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(ps.getInputStream().readAllBytes()).trim();
        ps.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
