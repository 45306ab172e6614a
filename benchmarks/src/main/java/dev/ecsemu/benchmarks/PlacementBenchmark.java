package dev.ecsemu.benchmarks;

import dev.ecsemu.core.placement.ContainerInstanceCandidate;
import dev.ecsemu.core.placement.InstanceFacts;
import dev.ecsemu.core.placement.Placement;
import dev.ecsemu.core.placement.PlacementEngine;
import dev.ecsemu.core.placement.PlacementRules;
import dev.ecsemu.core.placement.query.ClusterQuery;

import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.ContainerInstances;
import dev.ecsemu.core.containerinstance.Reservation;
import dev.ecsemu.core.state.Scope;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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
 * How long one placement decision takes on a large cluster: 1,000 container instances in three
 * zones holding 10,000 placed tasks of 100 groups. Not a test (timings are never asserted); run it
 * with
 *
 * <pre>
 * benchmarks/run.sh
 * </pre>
 *
 * Each
 * measured placement is recorded on its instance (as Tasks.create does) and then given back, so the
 * cluster stays at 10,000 tasks.
 */
public final class PlacementBenchmark {
    private static final int INSTANCES = 1_000;
    private static final int TASKS = 10_000;
    private static final int GROUPS = 100;
    private static final int WARMUP = 30_000;
    private static final int MEASURED = 50_000;

    /** The real cluster query language, as RunTask compiles memberOf expressions. */
    private static final Function<String, Predicate<InstanceFacts>> COMPILER = ClusterQuery::parse;

    private PlacementBenchmark() {
    }

    public static void main(String[] args) {
        Clock clock = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);
        ContainerInstances store = new ContainerInstances(new Scope("123456789012", "eu-west-1"), clock, dev.ecsemu.core.containerinstance.InstanceAddresses.distinct());
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

        System.out.printf(Locale.ROOT, "%,d instances, %,d placed tasks of %d groups; per placement, after %,d warm-up ones, over %,d:%n",
                INSTANCES, TASKS, GROUPS, WARMUP, MEASURED);
        report("binpack(memory) + memberOf", engine, candidates, need,
                engine.runTaskRules(null, List.of(m5), List.of(binpackMemory)));
        report("RunTask default (random)", engine, candidates, need, engine.runTaskRules(null, null, null));
        report("service default (spread AZ, spread instanceId)", engine, candidates, need, engine.serviceRules(null, null, null));
        report("spread AZ + binpack(memory) + memberOf + distinctInstance", engine, candidates, need, engine.runTaskRules(null,
                List.of(m5, PlacementConstraint.builder().type(PlacementConstraintType.DISTINCT_INSTANCE).build()),
                List.of(PlacementStrategy.builder().type(PlacementStrategyType.SPREAD).field("attribute:ecs.availability-zone").build(),
                        binpackMemory)));
        long start = System.nanoTime();
        int rounds = 1_000;
        for (int i = 0; i < rounds; i++) {
            ContainerInstanceCandidate.of(store.registered(clusterArn));
        }
        System.out.printf(Locale.ROOT, "  (once per RunTask call, outside the engine: registered() + wrapping the instances = %.1f us)%n",
                (System.nanoTime() - start) / 1e3 / rounds);
    }

    private static void report(String name, PlacementEngine engine, List<ContainerInstanceCandidate> candidates, Reservation need,
            PlacementRules rules) {
        long[] times = new long[MEASURED];
        for (int i = 0; i < WARMUP + MEASURED; i++) {
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
        Arrays.sort(times);
        double mean = Arrays.stream(times).average().orElse(0) / 1e3;
        double p50 = times[MEASURED / 2] / 1e3;
        double p99 = times[(int) (MEASURED * 0.99)] / 1e3;
        System.out.printf(Locale.ROOT, "  %-58s mean %7.1f us   p50 %7.1f us   p99 %7.1f us%n", name, mean, p50, p99);
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
