package dev.ecsemu.api.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.testing.ServiceProbe;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.clock.TimeScale;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/** POST /_ecs-emu/spot-interruption on FARGATE_SPOT tasks (engine none), watched through the real EcsClient. */
class SpotInterruptionIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final NetworkConfiguration NETWORK = NetworkConfiguration.builder()
            .awsvpcConfiguration(v -> v.subnets("subnet-0a1b2c3d4e5f60718")).build();

    private static TestEmulator emu;
    private static EcsClient ecs;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        emu = TestEmulator.modelOnly(EmulatorSettings.defaults().withTimeScale(new TimeScale(0.01)));
        ecs = emu.ecs();
        ecs.createCluster(r -> r.clusterName("spot").capacityProviders("FARGATE", "FARGATE_SPOT"));
        ecs.registerTaskDefinition(b -> b.family("fg").requiresCompatibilities(Compatibility.FARGATE).networkMode(NetworkMode.AWSVPC)
                .cpu("256").memory("512").containerDefinitions(c -> c.name("web").image("nginx")));
    }

    @AfterAll
    static void stop() {
        ecs.close();
        emu.close();
    }

    private static HttpResponse<String> interrupt(String body) throws Exception {
        URI uri = emu.endpoint().resolve("/_ecs-emu/spot-interruption");
        return HTTP.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Task describe(String arn) {
        return ecs.describeTasks(r -> r.cluster("spot").tasks(arn)).tasks().get(0);
    }

    @Test
    void anInterruptedSpotTaskStopsWithSpotInterruptionAndItsServiceReplacesIt() throws Exception {
        ecs.createService(r -> r.cluster("spot").serviceName("web").taskDefinition("fg").desiredCount(2).networkConfiguration(NETWORK)
                .capacityProviderStrategy(CapacityProviderStrategyItem.builder().capacityProvider("FARGATE_SPOT").weight(1).build()));
        ServiceProbe probe = new ServiceProbe(ecs, "spot", "web");
        probe.await(s -> s.runningCount() == 2, TIMEOUT);
        Task victim = probe.tasks().get(0);
        assertThat(victim.capacityProviderName()).isEqualTo("FARGATE_SPOT");
        assertThat(victim.launchType()).isEqualTo(LaunchType.FARGATE);

        HttpResponse<String> answer = interrupt("{\"taskArn\": \"" + victim.taskArn() + "\"}");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"stopCode\":\"SpotInterruption\"", "\"killedBy\"");
        Task interrupted = describe(victim.taskArn());
        assertThat(interrupted.desiredStatus()).isEqualTo("STOPPED");
        assertThat(interrupted.stopCode()).isEqualTo(TaskStopCode.SPOT_INTERRUPTION);
        assertThat(interrupted.stoppedReason()).isEqualTo("Your Spot Task was interrupted.");

        probe.await(s -> s.runningCount() == 2 && probe.tasks().stream().anyMatch(t -> t.taskArn().equals(victim.taskArn())
                && ServiceProbe.isStopped(t)), TIMEOUT);
        List<Task> tasks = probe.tasks();
        assertThat(tasks).hasSize(3);
        assertThat(tasks).filteredOn(ServiceProbe::isRunning).hasSize(2)
                .allSatisfy(t -> assertThat(t.capacityProviderName()).isEqualTo("FARGATE_SPOT"));
        var deployment = probe.service().deployments().get(0);
        assertThat(deployment.failedTasks()).isZero();
        assertThat(deployment.rolloutState()).isNotEqualTo(DeploymentRolloutState.FAILED);
        assertThat(probe.service().events()).anyMatch(e -> e.message().contains("has started 1 tasks"));
        ecs.deleteService(r -> r.cluster("spot").service("web").force(true));
    }

    @Test
    void onlyRunningFargateSpotTasksCanBeInterrupted() throws Exception {
        Task onDemand = ecs.runTask(r -> r.cluster("spot").taskDefinition("fg").networkConfiguration(NETWORK)
                .capacityProviderStrategy(CapacityProviderStrategyItem.builder().capacityProvider("FARGATE").weight(1).build())).tasks().get(0);
        HttpResponse<String> refused = interrupt("{\"taskArn\": \"" + onDemand.taskArn() + "\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("InvalidParameterException",
                "Only tasks of capacity provider FARGATE_SPOT can be interrupted; task " + onDemand.taskArn().substring(
                        onDemand.taskArn().lastIndexOf('/') + 1) + " runs on capacity provider FARGATE.");
        assertThat(interrupt("{}").statusCode()).isEqualTo(400);
        assertThat(interrupt("{\"taskArn\": \"arn:aws:ecs:us-east-1:000000000000:task/spot/0123\"}").body())
                .contains("is not running (or does not exist)");
        ecs.stopTask(r -> r.cluster("spot").task(onDemand.taskArn()));
    }
}
