package dev.ecsemu.api.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.testing.ServiceProbe;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.capacity.SpotInterruptions;
import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.runtime.docker.DockerRuntime;
import dev.ecsemu.core.testing.RequiresDocker;
import dev.ecsemu.core.testing.TestImages;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * A Spot interruption of a FARGATE_SPOT service task on the Docker engine: SIGTERM reaches its
 * containers at once (a sidecar that exits on it stops while the task still runs), a container that
 * ignores SIGTERM is killed when the two-minute warning (× time scale) is over if its own stopTimeout
 * lasts longer, and the service starts a replacement.
 */
@RequiresDocker
class SpotInterruptionDockerIT {
    private static final TimeScale SCALE = new TimeScale(0.05);
    private static final Duration WARNING = SCALE.of(SpotInterruptions.WARNING);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void sigtermAtOnceKillWhenTheWarningIsOverAndAReplacement() throws Exception {
        String image = TestImages.busybox();
        DockerRuntime docker = new DockerRuntime();
        try (TestEmulator emu = TestEmulator.with(docker, EmulatorSettings.defaults().withTimeScale(SCALE)); EcsClient ecs = emu.ecs()) {
            docker.firstCheck().get(20, TimeUnit.SECONDS);
            ecs.createCluster(r -> r.clusterName("spot").capacityProviders("FARGATE_SPOT"));
            ecs.registerTaskDefinition(b -> b.family("stubborn").requiresCompatibilities(Compatibility.FARGATE)
                    .networkMode(NetworkMode.AWSVPC).cpu("256").memory("512").containerDefinitions(
                            ContainerDefinition.builder().name("app").image(image).stopTimeout(60)
                                    .command("sh", "-c", "trap '' TERM; while true; do sleep 1; done").build(),
                            ContainerDefinition.builder().name("sidecar").image(image).essential(false)
                                    .command("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done").build()));
            ecs.createService(r -> r.cluster("spot").serviceName("web").taskDefinition("stubborn").desiredCount(1)
                    .networkConfiguration(NetworkConfiguration.builder().awsvpcConfiguration(v -> v.subnets("subnet-0123456789abcdef0")).build())
                    .capacityProviderStrategy(CapacityProviderStrategyItem.builder().capacityProvider("FARGATE_SPOT").weight(1).build()));
            ServiceProbe probe = new ServiceProbe(ecs, "spot", "web");
            probe.await(s -> s.runningCount() == 1, TIMEOUT);
            Task victim = probe.tasks().get(0);

            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    emu.endpoint().resolve("/_ecs-emu/spot-interruption"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"taskArn\":\"" + victim.taskArn() + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

            // The sidecar got SIGTERM and exited while the task, whose app ignores it, is still on its way down.
            Task stopping = awaitTask(ecs, victim.taskArn(), t -> t.containers().stream()
                    .anyMatch(c -> c.name().equals("sidecar") && "STOPPED".equals(c.lastStatus())));
            assertThat(stopping.lastStatus()).isNotEqualTo("STOPPED");
            assertThat(stopping.stopCode()).isEqualTo(TaskStopCode.SPOT_INTERRUPTION);

            Task stopped = awaitTask(ecs, victim.taskArn(), ServiceProbe::isStopped);
            assertThat(stopped.stoppedReason()).isEqualTo("Your Spot Task was interrupted.");
            assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.SPOT_INTERRUPTION);
            // The app was killed when the warning (6 s) was over, not after its own 60 s stopTimeout.
            assertThat(Duration.between(stopped.stoppingAt(), stopped.executionStoppedAt())).isGreaterThanOrEqualTo(WARNING.minusMillis(500));
            assertThat(stopped.containers().stream().filter(c -> c.name().equals("app")).findFirst().orElseThrow().exitCode())
                    .isEqualTo(137);

            probe.await(s -> s.runningCount() == 1 && s.deployments().get(0).failedTasks() == 0
                    && probe.tasks().stream().anyMatch(t -> ServiceProbe.isRunning(t) && !t.taskArn().equals(victim.taskArn())), TIMEOUT);
            ecs.updateService(r -> r.cluster("spot").service("web").desiredCount(0));
            probe.await(s -> s.runningCount() == 0, TIMEOUT);
        }
        String left = AwsvpcDockerIT.docker("ps", "-aq", "--filter", "label=ecs-emu.pid=" + ProcessHandle.current().pid());
        assertThat(left).as("containers left behind").isEmpty();
    }

    private static Task awaitTask(EcsClient ecs, String arn, java.util.function.Predicate<Task> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Task t = ecs.describeTasks(r -> r.cluster("spot").tasks(arn)).tasks().get(0);
            if (condition.test(t)) {
                return t;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Task did not reach the expected state: " + t);
            }
            Thread.sleep(50);
        }
    }
}
