package dev.ecsemu.benchmarks;

import dev.ecsemu.api.Emulator;
import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.server.ServerOptions;
import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.runtime.docker.DockerRuntime;
import dev.ecsemu.core.service.ServiceScheduler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Service rollout: a service of 4 real containers rolls from revision 1 to 2 under three deployment
 * configurations; the wall time from UpdateService until one COMPLETED deployment is set against
 * its floor, one batch of 4 task starts (CreateService until 4 RUNNING) plus the settle period a
 * new task needs before it counts as healthy (40 s × the time scale).
 *
 * <p>Usage: {@code ServiceRolloutBenchmark <image> [runs] [results.json]}.
 */
public final class ServiceRolloutBenchmark {
    private static final double SCALE = 0.05;
    private static final int[][] CONFIGS = {{50, 200}, {100, 200}, {0, 100}};

    public static void main(String[] args) throws Exception {
        String image = args.length > 0 ? args[0] : "ecs-emu-test/busybox:1";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path results = Path.of(args.length > 2 ? args[2] : "benchmarks/results/service-rollout.json");
        double settleMs = new TimeScale(SCALE).of(ServiceScheduler.SETTLE_PERIOD).toNanos() / 1e6;

        DockerRuntime docker = new DockerRuntime();
        try (Emulator emulator = Emulator.start(ServerOptions.defaults().withPort(0), docker,
                EmulatorSettings.defaults().withContainerRemovalDelay(Duration.ZERO).withTimeScale(new TimeScale(SCALE)));
                EcsClient ecs = EcsClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            docker.firstCheck().get(30, TimeUnit.SECONDS);
            emulator.registerInstances("default", 4, "m5.large");
            for (String version : new String[] {"v1", "v2"}) {
                ecs.registerTaskDefinition(r -> r.family("roll").containerDefinitions(c -> c.name("main").image(image).memory(32)
                        .stopTimeout(2).environment(e -> e.name("VERSION").value(version))
                        .command("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done")));
            }
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-28s %10s %10s %10s %8s%n",
                    "4-task rollout (ms), " + runs + " runs", "rollout", "batch", "floor", "ratio"));
            StringBuilder json = new StringBuilder("{\"timeScale\":" + SCALE + ",\"settleMs\":" + settleMs + ",\"runs\":" + runs
                    + ",\"image\":\"" + image + "\",\"configurations\":[");
            int n = 0;
            for (int[] config : CONFIGS) {
                List<Double> rollouts = new ArrayList<>();
                List<Double> batches = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    String name = "roll-" + config[0] + "-" + config[1] + "-" + i;
                    long t0 = System.nanoTime();
                    ecs.createService(r -> r.serviceName(name).taskDefinition("roll:1").desiredCount(4)
                            .deploymentConfiguration(d -> d.minimumHealthyPercent(config[0]).maximumPercent(config[1])));
                    until(ecs, name, s -> s.runningCount() == 4);
                    batches.add((System.nanoTime() - t0) / 1e6);
                    until(ecs, name, ServiceRolloutBenchmark::completed);
                    long t1 = System.nanoTime();
                    ecs.updateService(r -> r.service(name).taskDefinition("roll:2"));
                    until(ecs, name, s -> completed(s) && s.taskDefinition().endsWith(":2"));
                    rollouts.add((System.nanoTime() - t1) / 1e6);
                    ecs.deleteService(r -> r.service(name).force(true));
                    until(ecs, name, s -> "INACTIVE".equals(s.status()));
                }
                double rollout = median(rollouts);
                double batch = median(batches);
                double floor = batch + settleMs;
                String label = "min " + config[0] + "% / max " + config[1] + "%";
                table.append(String.format(Locale.ROOT, "%-28s %10.0f %10.0f %10.0f %8.2f%n", label, rollout, batch, floor, rollout / floor));
                json.append(n++ == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"minimumHealthyPercent\":%d,\"maximumPercent\":%d,\"rolloutMs\":%.0f,\"batchMs\":%.0f,\"floorMs\":%.0f,"
                                + "\"ratio\":%.3f}", config[0], config[1], rollout, batch, floor, rollout / floor));
            }
            json.append("]}\n");
            System.out.print(table);
            Files.createDirectories(results.toAbsolutePath().getParent());
            Files.writeString(results, json.toString(), StandardCharsets.UTF_8);
        }
    }

    private static boolean completed(Service s) {
        return s.deployments().size() == 1 && "COMPLETED".equals(s.deployments().get(0).rolloutStateAsString());
    }

    private static void until(EcsClient ecs, String name, Predicate<Service> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (condition.test(ecs.describeServices(r -> r.services(name)).services().get(0))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("service " + name + " did not get there within 120 s");
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
