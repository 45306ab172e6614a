package dev.ecsemu.benchmarks;

import dev.ecsemu.api.Emulator;
import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.server.ServerOptions;
import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.runtime.docker.DockerRuntime;
import dev.ecsemu.core.service.ServiceScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Service rollout: a service of real containers rolls from revision 1 to 2 (4 tasks at 50/200,
 * 100/200 and 0/100; 10 tasks at 100/200); the wall time from UpdateService until one COMPLETED
 * deployment is set against its floor, measured in the same run: two batches, one of starts
 * (CreateService until all RUNNING) and one of stops (UpdateService to 0 until all are STOPPED: a
 * deployment completes only once the old tasks are STOPPED), plus the settle period a new task needs
 * before it counts as healthy (40 s × the time scale). A rollout that may overlap its stops with its
 * starts (50/200) can beat this sequential floor.
 *
 * <p>Usage: {@code ServiceRolloutBenchmark <image> [runs] [results dir]}.
 */
public final class ServiceRolloutBenchmark {
    private static final double SCALE = 0.05;

    private record Case(int tasks, int min, int max) {
    }

    private static final List<Case> CASES = List.of(new Case(4, 50, 200), new Case(4, 100, 200), new Case(4, 0, 100), new Case(10, 100, 200));

    public static void main(String[] args) throws Exception {
        String image = args.length > 0 ? args[0] : "ecs-emu-test/busybox:1";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path results = Path.of(args.length > 2 ? args[2] : "benchmarks/results");
        String title = "service rollout, time scale " + SCALE
                + ": UpdateService -> one COMPLETED deployment vs its floor, a batch of starts + settle + a batch of stops (ms)";
        try {
            Capabilities.requireDocker(image);
        } catch (Unavailable e) {
            Report.notAvailable("service-rollout", title, e.getMessage()).write(results);
            return;
        }
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
            Report.Builder report = Report.of("service-rollout", title).detail("timeScale", SCALE).detail("settleMs", settleMs)
                    .detail("runs", runs).detail("image", image);
            for (Case c : CASES) {
                List<Double> rollouts = new ArrayList<>();
                List<Double> starts = new ArrayList<>();
                List<Double> stops = new ArrayList<>();
                List<Double> floors = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    String name = "roll-" + c.tasks() + "-" + c.min() + "-" + c.max() + "-" + i;
                    long t0 = System.nanoTime();
                    ecs.createService(r -> r.serviceName(name).taskDefinition("roll:1").desiredCount(c.tasks())
                            .deploymentConfiguration(d -> d.minimumHealthyPercent(c.min()).maximumPercent(c.max())));
                    until(ecs, name, s -> s.runningCount() == c.tasks());
                    starts.add((System.nanoTime() - t0) / 1e6);
                    until(ecs, name, ServiceRolloutBenchmark::completed);
                    long t1 = System.nanoTime();
                    ecs.updateService(r -> r.service(name).taskDefinition("roll:2"));
                    until(ecs, name, s -> completed(s) && s.taskDefinition().endsWith(":2"));
                    rollouts.add((System.nanoTime() - t1) / 1e6);
                    double stop = stopAll(ecs, name, c.tasks());
                    stops.add(stop);
                    floors.add(starts.get(i) + settleMs + stop);
                    ecs.deleteService(r -> r.service(name).force(true));
                    until(ecs, name, s -> "INACTIVE".equals(s.status()));
                }
                String label = c.tasks() + " tasks at " + c.min() + "/" + c.max();
                String floorNote = String.format(Locale.ROOT, "(%d starts %s + settle %s + %d stops %s)", c.tasks(),
                        Summary.number(Stats.median(starts)), Summary.number(settleMs), c.tasks(), Summary.number(Stats.median(stops)));
                report.row(Row.against(label, "ms", Stats.of(rollouts), "floor", Stats.of(floors)).withNotes(null, floorNote));
                report.detail(c.tasks() + " tasks " + c.min() + "/" + c.max(), Map.of("rolloutMs", rollouts, "batchOfStartsMs", starts,
                        "batchOfStopsMs", stops, "floorMs", floors));
            }
            Summary.print(report.build().write(results));
        }
    }

    /** Scales the service to 0 and returns the milliseconds until all its tasks are STOPPED: one batch of stops. */
    private static double stopAll(EcsClient ecs, String name, int expected) throws InterruptedException {
        List<String> arns = ecs.listTasks(r -> r.serviceName(name).desiredStatus(DesiredStatus.RUNNING)).taskArns();
        if (arns.size() != expected) {
            throw new IllegalStateException("service " + name + " has " + arns.size() + " tasks, not " + expected);
        }
        long t0 = System.nanoTime();
        ecs.updateService(r -> r.service(name).desiredCount(0));
        long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
        while (!ecs.describeTasks(r -> r.tasks(arns)).tasks().stream().allMatch(t -> "STOPPED".equals(t.lastStatus()))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the tasks of " + name + " did not stop within 120 s");
            }
            Thread.sleep(10);
        }
        return (System.nanoTime() - t0) / 1e6;
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
}
