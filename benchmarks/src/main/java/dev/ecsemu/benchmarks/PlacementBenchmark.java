package dev.ecsemu.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecsemu.api.Emulator;
import dev.ecsemu.api.server.ServerOptions;
import dev.ecsemu.core.placement.ContainerInstanceCandidate;
import dev.ecsemu.core.placement.InstanceFacts;
import dev.ecsemu.core.placement.Placement;
import dev.ecsemu.core.placement.PlacementEngine;
import dev.ecsemu.core.placement.PlacementRules;
import dev.ecsemu.core.placement.query.ClusterQuery;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.ContainerInstances;
import dev.ecsemu.core.containerinstance.InstanceAddresses;
import dev.ecsemu.core.containerinstance.Reservation;
import dev.ecsemu.core.runtime.NoContainerRuntime;
import dev.ecsemu.core.state.Scope;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.PlacementStrategyType;

/**
 * Placement at scale, in two parts.
 *
 * <ol>
 *   <li>The engine alone: how long one placement decision takes on 1,000 container instances in three
 *       zones holding 10,000 placed tasks of 100 groups, per strategy mix. Each measured placement is
 *       recorded on its instance (as Tasks.create does) and then given back, so the cluster stays at
 *       10,000 tasks. After a warm-up, three rounds; each round's mean is one run.
 *   <li>Through the API (engine none, in this JVM): 1,000 container instances, then RunTask with
 *       count 10, 1,000 times, to 10,000 tasks; the time per call, and the heap the instances and the
 *       tasks hold (used heap after a full GC, before and after). One uncounted warm-up run.
 * </ol>
 *
 * <p>Usage: {@code PlacementBenchmark [runs] [results dir]}.
 */
public final class PlacementBenchmark {
    private static final int INSTANCES = 1_000;
    private static final int TASKS = 10_000;
    private static final int GROUPS = 100;
    private static final int WARMUP = 30_000;
    private static final int ROUND = 20_000;
    private static final int ROUNDS = 3;

    /** The real cluster query language, as RunTask compiles memberOf expressions. */
    private static final Function<String, Predicate<InstanceFacts>> COMPILER = ClusterQuery::parse;

    private PlacementBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path results = Path.of(args.length > 1 ? args[1] : "benchmarks/results");
        Report.Builder report = Report.of("placement", "placement at scale: 1,000 container instances, 10,000 tasks");
        engineAlone(report);
        throughTheApi(report, runs);
        Summary.print(report.build().write(results));
    }

    private static void engineAlone(Report.Builder report) {
        Clock clock = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);
        ContainerInstances store = new ContainerInstances(new Scope("123456789012", "eu-west-1"), clock, InstanceAddresses.distinct());
        String clusterArn = "arn:aws:ecs:eu-west-1:123456789012:cluster/bench";
        String[] zones = {"eu-west-1a", "eu-west-1b", "eu-west-1c"};
        for (int i = 0; i < INSTANCES; i++) {
            String type = i % 2 == 0 ? "m5.4xlarge" : "c5.4xlarge";
            store.register("bench", clusterArn,
                    new ContainerInstances.Spec(null, type, zones[i % 3], 16_384, 65_536, null, Map.of("rack", "r" + (i % 20))));
        }
        List<ContainerInstance> instances = store.registered(clusterArn);
        List<ContainerInstanceCandidate> candidates = ContainerInstanceCandidate.of(instances);
        PlacementEngine engine = new PlacementEngine(COMPILER, new Random(1));

        // 10,000 tasks of 100 groups, spread as a service's would be.
        Reservation small = new Reservation(64, 128, Set.of(), Set.of());
        PlacementRules spread = engine.serviceRules(null, null, null);
        for (int i = 0; i < TASKS; i++) {
            String group = "family:app-" + (i % GROUPS);
            Placement<ContainerInstanceCandidate> p = engine.place(candidates, small, group, spread);
            take(p.chosen().instance(), small, group);
        }

        Reservation need = new Reservation(128, 256, Set.of(), Set.of());
        PlacementConstraint m5 = PlacementConstraint.builder().type(PlacementConstraintType.MEMBER_OF)
                .expression("attribute:ecs.instance-type == m5.4xlarge").build();
        PlacementStrategy binpackMemory = PlacementStrategy.builder().type(PlacementStrategyType.BINPACK).field("memory").build();

        report(report, "binpack(memory) + memberOf", engine, candidates, need,
                engine.runTaskRules(null, List.of(m5), List.of(binpackMemory)));
        report(report, "RunTask default (random)", engine, candidates, need, engine.runTaskRules(null, null, null));
        report(report, "service default (spread AZ, spread instanceId)", engine, candidates, need, engine.serviceRules(null, null, null));
        report(report, "spread AZ + binpack(memory) + memberOf + distinctInstance", engine, candidates, need, engine.runTaskRules(null,
                List.of(m5, PlacementConstraint.builder().type(PlacementConstraintType.DISTINCT_INSTANCE).build()),
                List.of(PlacementStrategy.builder().type(PlacementStrategyType.SPREAD).field("attribute:ecs.availability-zone").build(),
                        binpackMemory)));
        long start = System.nanoTime();
        int rounds = 1_000;
        for (int i = 0; i < rounds; i++) {
            ContainerInstanceCandidate.of(store.registered(clusterArn));
        }
        report.detail("once per RunTask call, outside the engine: registered() + wrapping the instances, us",
                (System.nanoTime() - start) / 1e3 / rounds);
    }

    private static void report(Report.Builder report, String name, PlacementEngine engine, List<ContainerInstanceCandidate> candidates,
            Reservation need, PlacementRules rules) {
        int measured = ROUNDS * ROUND;
        long[] times = new long[measured];
        for (int i = 0; i < WARMUP + measured; i++) {
            String group = "family:app-" + (i % GROUPS);
            long t0 = System.nanoTime();
            Placement<ContainerInstanceCandidate> p = engine.place(candidates, need, group, rules);
            long t1 = System.nanoTime();
            if (i >= WARMUP) {
                times[i - WARMUP] = t1 - t0;
            }
            if (p.placed()) {
                ContainerInstance ci = p.chosen().instance();
                take(ci, need, group);
                give(ci, need, group);
            }
        }
        List<Double> means = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            means.add(Arrays.stream(times, r * ROUND, (r + 1) * ROUND).average().orElse(0) / 1e3);
        }
        Arrays.sort(times);
        double p50 = times[measured / 2] / 1e3;
        double p99 = times[(int) (measured * 0.99)] / 1e3;
        report.row(Row.alone("engine, one decision: " + name, "us", Stats.of(means))
                .withNotes(String.format(Locale.ROOT, "(p50 %s, p99 %s us)", Summary.number(p50), Summary.number(p99)), null));
    }

    /** 1,000 instances and 10,000 tasks through the API of an emulator in this JVM: time per RunTask, heap held. */
    private static void throughTheApi(Report.Builder report, int runs) throws Exception {
        List<Double> perCall = new ArrayList<>();
        List<Double> instancesMb = new ArrayList<>();
        List<Double> tasksMb = new ArrayList<>();
        for (int run = -1; run < runs; run++) {
            try (Emulator emulator = Emulator.start(ServerOptions.defaults().withPort(0), new NoContainerRuntime());
                    EcsHttp http = new EcsHttp(emulator.port())) {
                http.call("RegisterTaskDefinition", Fixture.taskDefinition(Fixture.FAMILY));
                long before = usedHeapAfterGc();
                emulator.registerInstances(Fixture.CLUSTER, INSTANCES, "m5.4xlarge");
                long withInstances = usedHeapAfterGc();
                String body = "{\"cluster\":\"" + Fixture.CLUSTER + "\",\"taskDefinition\":\"" + Fixture.FAMILY + "\",\"count\":10}";
                long t0 = System.nanoTime();
                for (int i = 0; i < TASKS / 10; i++) {
                    JsonNode answer = http.call("RunTask", body);
                    if (answer.path("tasks").size() != 10) {
                        throw new IllegalStateException("RunTask placed " + answer.path("tasks").size() + " of 10: " + answer.path("failures"));
                    }
                }
                double ms = (System.nanoTime() - t0) / 1e6 / (TASKS / 10);
                JsonNode cluster = http.call("DescribeClusters", "{\"clusters\":[\"" + Fixture.CLUSTER + "\"]}").path("clusters").path(0);
                if (cluster.path("runningTasksCount").asInt() + cluster.path("pendingTasksCount").asInt() != TASKS) {
                    throw new IllegalStateException("the cluster holds not " + TASKS + " tasks: " + cluster);
                }
                long withTasks = usedHeapAfterGc();
                if (run >= 0) {
                    perCall.add(ms);
                    instancesMb.add((withInstances - before) / 1048576.0);
                    tasksMb.add((withTasks - withInstances) / 1048576.0);
                }
            }
        }
        Stats tasks = Stats.of(tasksMb);
        report.row(Row.alone("RunTask count 10, growing to 10,000 tasks, per call", "ms", Stats.of(perCall))
                .withNotes(String.format(Locale.ROOT, "(%s ms per placed task)", Summary.number(Stats.median(perCall) / 10)), null));
        report.row(Row.alone("heap held by 1,000 container instances", "MB", Stats.of(instancesMb)));
        report.row(Row.alone("heap held by 10,000 tasks", "MB", tasks)
                .withNotes(String.format(Locale.ROOT, "(%s KB per task)", Summary.number(tasks.median() * 1024 / TASKS)), null));
        report.detail("runs", runs);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** What Tasks.create does to the instance a task is placed on. */
    private static void take(ContainerInstance ci, Reservation r, String group) {
        ci.reserve(r, 1);
        ci.countTask(false, 1);
        ci.countGroupTask(group, 1);
    }

    /** What the stop of a task does to its instance. */
    private static void give(ContainerInstance ci, Reservation r, String group) {
        ci.reserve(r, -1);
        ci.countTask(false, -1);
        ci.countGroupTask(group, -1);
    }
}
