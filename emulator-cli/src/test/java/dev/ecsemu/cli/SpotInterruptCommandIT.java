package dev.ecsemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.Emulator;
import dev.ecsemu.api.server.ServerOptions;
import dev.ecsemu.core.runtime.NoContainerRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/** {@code ecs-emu spot-interrupt} against an in-process emulator (engine none). */
class SpotInterruptCommandIT {
    @Test
    void interruptsAFargateSpotTaskAndFailsForAnyOtherTask() throws Exception {
        try (Emulator emu = Emulator.start(ServerOptions.defaults().withPort(0), new NoContainerRuntime());
                EcsClient ecs = EcsClient.builder().endpointOverride(emu.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                        .httpClientBuilder(ApacheHttpClient.builder()).build()) {
            ecs.createCluster(r -> r.clusterName("spot").capacityProviders("FARGATE", "FARGATE_SPOT"));
            ecs.registerTaskDefinition(b -> b.family("fg").requiresCompatibilities(Compatibility.FARGATE).networkMode(NetworkMode.AWSVPC)
                    .cpu("256").memory("512").containerDefinitions(c -> c.name("web").image("busybox")));
            Task spot = run(ecs, "FARGATE_SPOT");
            Task onDemand = run(ecs, "FARGATE");

            Result ok = execute("spot-interrupt", "--endpoint", emu.endpoint().toString(), spot.taskArn());
            assertThat(ok.exit).as(ok.err).isZero();
            assertThat(ok.out).contains("\"stopCode\":\"SpotInterruption\"");
            Task interrupted = ecs.describeTasks(r -> r.cluster("spot").tasks(spot.taskArn())).tasks().get(0);
            assertThat(interrupted.stopCode()).isEqualTo(TaskStopCode.SPOT_INTERRUPTION);

            Result refused = execute("spot-interrupt", "--endpoint", emu.endpoint().toString(), onDemand.taskArn());
            assertThat(refused.exit).isEqualTo(1);
            assertThat(refused.err).contains("Only tasks of capacity provider FARGATE_SPOT can be interrupted");
        }
    }

    private static Task run(EcsClient ecs, String provider) {
        return ecs.runTask(r -> r.cluster("spot").taskDefinition("fg")
                .networkConfiguration(n -> n.awsvpcConfiguration(v -> v.subnets("subnet-0123456789abcdef0")))
                .capacityProviderStrategy(CapacityProviderStrategyItem.builder().capacityProvider(provider).weight(1).build()))
                .tasks().get(0);
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result execute(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = new CommandLine(new Main()).execute(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}
