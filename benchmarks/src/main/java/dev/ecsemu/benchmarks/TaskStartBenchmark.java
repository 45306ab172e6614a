package dev.ecsemu.benchmarks;

import dev.ecsemu.api.Emulator;
import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.server.ServerOptions;
import dev.ecsemu.core.runtime.docker.DockerRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Task start: RunTask until DescribeTasks shows RUNNING, for a one-container task, against a plain
 * {@code docker run -d} of the same image, alternating in one run so both see the same machine.
 *
 * <p>Usage: {@code TaskStartBenchmark <image> [runs] [results dir]}.
 */
public final class TaskStartBenchmark {
    private static final String TARGET = "task start overhead < 10% of docker run";

    public static void main(String[] args) throws Exception {
        String image = args.length > 0 ? args[0] : "ecs-emu-test/busybox:1";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Path results = Path.of(args.length > 2 ? args[2] : "benchmarks/results");
        int warmup = 8;
        String title = "task start: one-container task, RunTask -> RUNNING vs docker run -d of the same image (ms)";
        try {
            Capabilities.requireDocker(image);
        } catch (Unavailable e) {
            Report.notAvailable("task-start", title, e.getMessage(), TARGET).write(results);
            return;
        }

        DockerRuntime docker = new DockerRuntime();
        try (Emulator emulator = Emulator.start(ServerOptions.defaults().withPort(0), docker,
                EmulatorSettings.defaults().withContainerRemovalDelay(Duration.ZERO));
                EcsClient ecs = EcsClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            docker.firstCheck().get(30, TimeUnit.SECONDS);
            emulator.registerInstances("default", 1, "m5.4xlarge");
            ecs.registerTaskDefinition(r -> r.family("bench").containerDefinitions(c -> c.name("main").image(image).memory(32)
                    .command("sleep", "300").stopTimeout(1)));

            List<Double> emu = new ArrayList<>();
            List<Double> plain = new ArrayList<>();
            for (int i = 0; i < warmup + runs; i++) {
                double e = runTaskToRunning(ecs);
                double d = dockerRunDetached(image);
                if (i >= warmup) {
                    emu.add(e);
                    plain.add(d);
                }
            }
            Stats e = Stats.of(emu);
            Stats d = Stats.of(plain);
            double overhead = e.median() / d.median() - 1;
            Summary.print(Report.of("task-start", title).detail("runs", runs).detail("warmUpRuns", warmup).detail("image", image)
                    .row(Row.against("RunTask -> RUNNING vs docker run -d (CLI)", "ms", e, "docker run -d", d))
                    .target(TARGET, String.format(Locale.ROOT, "%+.0f%% (%.0f vs %.0f ms)", overhead * 100,
                            e.median(), d.median()), overhead < 0.10)
                    .detail("ecs-emu ms", emu).detail("docker run -d ms", plain)
                    .build().write(results));
        }
    }

    private static double runTaskToRunning(EcsClient ecs) throws InterruptedException {
        long t0 = System.nanoTime();
        String arn = ecs.runTask(r -> r.taskDefinition("bench")).tasks().get(0).taskArn();
        while (!"RUNNING".equals(ecs.describeTasks(r -> r.tasks(arn)).tasks().get(0).lastStatus())) {
            Thread.sleep(1);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        ecs.stopTask(r -> r.task(arn));
        while (!"STOPPED".equals(ecs.describeTasks(r -> r.tasks(arn)).tasks().get(0).lastStatus())) {
            Thread.sleep(5);
        }
        return ms;
    }

    private static double dockerRunDetached(String image) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process run = new ProcessBuilder("docker", "run", "-d", "-m", "32m", image, "sleep", "300").redirectErrorStream(true).start();
        String id = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (run.waitFor() != 0) {
            throw new IllegalStateException("docker run failed: " + id);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        new ProcessBuilder("docker", "rm", "-f", id).redirectErrorStream(true).start().waitFor();
        return ms;
    }
}
