package dev.ecsemu.core.placement;

import static dev.ecsemu.core.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.cluster.Clusters;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.ContainerInstances;
import dev.ecsemu.core.containerinstance.Reservation;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.state.Stores;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.Tasks;
import dev.ecsemu.core.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.PlacementStrategyType;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraint;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * The placement engine over a fake cluster: filters, constraints, strategies in order, failures
 * with the closest instance, and the refusals of bad rules. The fake records a placement as
 * {@code Tasks.create} does on a real instance (resources reserved, group counted), so a second
 * placement of the same call sees the first.
 */
class PlacementEngineTest {
    private static final String GROUP = "family:web";
    private static final String INVALID = "InvalidParameterException";

    /** A lambda "query compiler" that knows one form: {@code attribute:<name> == <value>}. */
    private static final Function<String, Predicate<InstanceFacts>> COMPILER = expression -> {
        String[] parts = expression.split("==");
        String name = parts[0].trim().substring("attribute:".length());
        String value = parts[1].trim();
        return facts -> value.equals(facts.attribute(name));
    };

    // ---- the fake cluster ----

    static final class FakeInstance implements PlacementCandidate {
        final String arn;
        final Map<String, String> attributes = new HashMap<>();
        final int cpu;
        final int memory;
        int usedCpu;
        int usedMemory;
        final Set<Integer> tcp = new HashSet<>();
        final Set<Integer> udp = new HashSet<>();
        final Map<String, Integer> groups = new HashMap<>();
        boolean active = true;
        boolean connected = true;

        FakeInstance(String name, String az, int cpu, int memory) {
            this.arn = "arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/" + name;
            this.cpu = cpu;
            this.memory = memory;
            attributes.put("ecs.availability-zone", az);
            attributes.put("ecs.instance-type", "t3.small");
        }

        FakeInstance with(String attribute, String value) {
            attributes.put(attribute, value);
            return this;
        }

        /** What Tasks.create does to the instance it places a task on. */
        void take(Reservation r, String group) {
            usedCpu += r.cpu();
            usedMemory += r.memory();
            tcp.addAll(r.tcpPorts());
            udp.addAll(r.udpPorts());
            groups.merge(group, 1, Integer::sum);
        }

        int count(String group) {
            return groups.getOrDefault(group, 0);
        }

        @Override
        public String arn() {
            return arn;
        }

        @Override
        public String attribute(String name) {
            return attributes.get(name);
        }

        @Override
        public String ec2InstanceId() {
            return "i-" + arn.substring(arn.lastIndexOf('/') + 1);
        }

        @Override
        public Instant registeredAt() {
            return Instant.EPOCH;
        }

        @Override
        public int runningTasksCount() {
            int n = 0;
            for (int c : groups.values()) {
                n += c;
            }
            return n;
        }

        @Override
        public boolean agentConnected() {
            return connected;
        }

        @Override
        public String agentVersion() {
            return "1.97.0";
        }

        @Override
        public Collection<String> taskGroups() {
            return groups.keySet();
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public int remainingCpu() {
            return cpu - usedCpu;
        }

        @Override
        public int remainingMemory() {
            return memory - usedMemory;
        }

        @Override
        public boolean portFree(int port, boolean udpPort) {
            return udpPort ? !udp.contains(port) : !ContainerInstance.RESERVED_PORTS.contains(port) && !tcp.contains(port);
        }

        @Override
        public int groupTaskCount(String group) {
            return count(group);
        }

        @Override
        public String toString() {
            return arn.substring(arn.lastIndexOf('/') + 1);
        }
    }

    private final PlacementEngine engine = new PlacementEngine(COMPILER, new Random(7));

    private static Reservation need(int cpu, int memory) {
        return new Reservation(cpu, memory, Set.of(), Set.of());
    }

    private static Reservation needPorts(int memory, Set<Integer> tcp, Set<Integer> udp) {
        return new Reservation(0, memory, tcp, udp);
    }

    private static PlacementStrategy strategy(PlacementStrategyType type, String field) {
        return PlacementStrategy.builder().type(type).field(field).build();
    }

    private static PlacementStrategy binpack(String field) {
        return strategy(PlacementStrategyType.BINPACK, field);
    }

    private static PlacementStrategy spread(String field) {
        return strategy(PlacementStrategyType.SPREAD, field);
    }

    private static PlacementStrategy random() {
        return strategy(PlacementStrategyType.RANDOM, null);
    }

    private static PlacementConstraint memberOf(String expression) {
        return PlacementConstraint.builder().type(PlacementConstraintType.MEMBER_OF).expression(expression).build();
    }

    private static PlacementConstraint distinctInstance() {
        return PlacementConstraint.builder().type(PlacementConstraintType.DISTINCT_INSTANCE).build();
    }

    private PlacementRules rules(List<PlacementConstraint> constraints, PlacementStrategy... strategies) {
        return engine.runTaskRules(null, constraints, List.of(strategies));
    }

    /** Places {@code count} tasks as one RunTask does: each placed one is recorded before the next decision. */
    private List<Placement<FakeInstance>> run(List<FakeInstance> cluster, int count, Reservation need, PlacementRules rules) {
        return run(engine, cluster, count, need, GROUP, rules);
    }

    private static List<Placement<FakeInstance>> run(PlacementEngine engine, List<FakeInstance> cluster, int count, Reservation need,
            String group, PlacementRules rules) {
        List<Placement<FakeInstance>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Placement<FakeInstance> p = engine.place(cluster, need, group, rules);
            if (p.placed()) {
                p.chosen().take(need, group);
            }
            out.add(p);
        }
        return out;
    }

    private static List<String> chosen(List<Placement<FakeInstance>> placements) {
        List<String> out = new ArrayList<>();
        for (Placement<FakeInstance> p : placements) {
            out.add(p.placed() ? p.chosen().toString() : "-");
        }
        return out;
    }

    /** Group tasks per availability zone, in zone order. */
    private static Map<String, Integer> perZone(List<FakeInstance> cluster, String group) {
        Map<String, Integer> out = new LinkedHashMap<>();
        new TreeSet<>(cluster.stream().map(i -> i.attribute("ecs.availability-zone")).toList()).forEach(z -> out.put(z, 0));
        for (FakeInstance i : cluster) {
            out.merge(i.attribute("ecs.availability-zone"), i.count(group), Integer::sum);
        }
        return out;
    }

    // ---- strategies ----

    @Nested
    class Strategies {
        @Test
        void binpackOnMemoryFillsTheFullestInstanceBeforeTheNext() {
            FakeInstance a = new FakeInstance("a", "eu-west-1a", 4096, 2048);
            FakeInstance b = new FakeInstance("b", "eu-west-1a", 4096, 1024);
            FakeInstance c = new FakeInstance("c", "eu-west-1a", 4096, 4096);
            List<Placement<FakeInstance>> placed = run(List.of(a, b, c), 14, need(0, 256), rules(List.of(), binpack("memory")));

            assertThat(chosen(placed)).containsExactly("b", "b", "b", "b", "a", "a", "a", "a", "a", "a", "a", "a", "c", "c");
        }

        @Test
        void binpackOnCpuFollowsRemainingCpuNotMemory() {
            FakeInstance a = new FakeInstance("a", "eu-west-1a", 2048, 1024);
            FakeInstance b = new FakeInstance("b", "eu-west-1a", 1024, 8192);
            List<Placement<FakeInstance>> placed = run(List.of(a, b), 3, need(512, 128), rules(List.of(), binpack("cpu")));

            assertThat(chosen(placed)).containsExactly("b", "b", "a");
        }

        @Test
        void binpackStillSkipsAnInstanceTheTaskDoesNotFit() {
            FakeInstance tight = new FakeInstance("tight", "eu-west-1a", 4096, 200);
            FakeInstance roomy = new FakeInstance("roomy", "eu-west-1a", 4096, 4096);
            List<Placement<FakeInstance>> placed = run(List.of(tight, roomy), 1, need(0, 256), rules(List.of(), binpack("memory")));

            assertThat(chosen(placed)).containsExactly("roomy");
        }

        @Test
        void spreadOverAvailabilityZonesBalancesThreeZonesWhateverTheirInstanceCounts() {
            List<FakeInstance> cluster = List.of(
                    new FakeInstance("a1", "eu-west-1a", 4096, 8192),
                    new FakeInstance("b1", "eu-west-1b", 4096, 8192), new FakeInstance("b2", "eu-west-1b", 4096, 8192),
                    new FakeInstance("c1", "eu-west-1c", 4096, 8192), new FakeInstance("c2", "eu-west-1c", 4096, 8192),
                    new FakeInstance("c3", "eu-west-1c", 4096, 8192));
            run(cluster, 9, need(128, 128), rules(List.of(), spread("attribute:ecs.availability-zone")));

            assertThat(perZone(cluster, GROUP)).containsExactly(Map.entry("eu-west-1a", 3), Map.entry("eu-west-1b", 3),
                    Map.entry("eu-west-1c", 3));
        }

        @Test
        void spreadCountsOnlyTheTasksOfTheSameGroup() {
            FakeInstance a = new FakeInstance("a", "eu-west-1a", 4096, 8192);
            FakeInstance b = new FakeInstance("b", "eu-west-1b", 4096, 8192);
            for (int i = 0; i < 5; i++) {
                a.take(need(0, 0), "family:other");
            }
            b.take(need(0, 0), GROUP);
            List<Placement<FakeInstance>> placed = run(List.of(a, b), 3, need(0, 128), rules(List.of(), spread("attribute:ecs.availability-zone")));

            // Zone a holds five tasks, but of another group: for this group it is the emptier zone.
            assertThat(chosen(placed)).containsExactly("a", "a", "b");
        }

        @Test
        void spreadOverInstanceIdEvensOutTasksAlreadyRunning() {
            FakeInstance a = new FakeInstance("a", "eu-west-1a", 4096, 8192);
            FakeInstance b = new FakeInstance("b", "eu-west-1a", 4096, 8192);
            FakeInstance c = new FakeInstance("c", "eu-west-1a", 4096, 8192);
            a.take(need(0, 0), GROUP);
            a.take(need(0, 0), GROUP);
            run(List.of(a, b, c), 7, need(0, 128), rules(List.of(), spread("instanceId")));

            assertThat(List.of(a.count(GROUP), b.count(GROUP), c.count(GROUP))).containsExactly(3, 3, 3);
        }

        @Test
        void spreadOverHostIsSpreadOverInstances() {
            List<FakeInstance> cluster = List.of(new FakeInstance("a", "z", 4096, 8192), new FakeInstance("b", "z", 4096, 8192));
            List<Placement<FakeInstance>> placed = run(cluster, 4, need(0, 128), rules(List.of(), spread("host")));

            assertThat(chosen(placed)).containsExactly("a", "b", "a", "b");
        }

        @Test
        void spreadOverACustomAttributeTreatsInstancesWithoutItAsOneMoreValue() {
            FakeInstance a = new FakeInstance("a", "z", 4096, 8192).with("rack", "r1");
            FakeInstance b = new FakeInstance("b", "z", 4096, 8192).with("rack", "r2");
            FakeInstance c = new FakeInstance("c", "z", 4096, 8192);
            run(List.of(a, b, c), 6, need(0, 128), rules(List.of(), spread("attribute:rack")));

            assertThat(List.of(a.count(GROUP), b.count(GROUP), c.count(GROUP))).containsExactly(2, 2, 2);
        }

        @Test
        void randomIsReproducibleWithASeedAndUsesEveryInstance() {
            List<String> first = randomRun(42);
            List<String> second = randomRun(42);

            assertThat(first).isEqualTo(second);
            assertThat(new HashSet<>(first)).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
            assertThat(randomRun(43)).isNotEqualTo(first);
        }

        private List<String> randomRun(long seed) {
            PlacementEngine seeded = new PlacementEngine(COMPILER, new Random(seed));
            List<FakeInstance> cluster = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d", "e")) {
                cluster.add(new FakeInstance(name, "z", 8192, 16384));
            }
            return chosen(run(seeded, cluster, 40, need(0, 64), GROUP, seeded.runTaskRules(null, null, List.of(random()))));
        }

        @Test
        void strategiesApplyInOrderEachBreakingThePreviousOnesTies() {
            // Spread over zones first, then binpack on memory inside each zone.
            FakeInstance a1 = new FakeInstance("a1", "eu-west-1a", 4096, 4096);
            FakeInstance a2 = new FakeInstance("a2", "eu-west-1a", 4096, 2048);
            FakeInstance b1 = new FakeInstance("b1", "eu-west-1b", 4096, 1024);
            FakeInstance b2 = new FakeInstance("b2", "eu-west-1b", 4096, 4096);
            FakeInstance c1 = new FakeInstance("c1", "eu-west-1c", 4096, 3072);
            FakeInstance c2 = new FakeInstance("c2", "eu-west-1c", 4096, 8192);
            List<FakeInstance> cluster = List.of(a1, a2, b1, b2, c1, c2);
            run(cluster, 6, need(0, 256), rules(List.of(), spread("attribute:ecs.availability-zone"), binpack("memory")));

            assertThat(perZone(cluster, GROUP)).containsValues(2, 2, 2);
            assertThat(List.of(a2.count(GROUP), b1.count(GROUP), c1.count(GROUP))).containsExactly(2, 2, 2);
            assertThat(List.of(a1.count(GROUP), b2.count(GROUP), c2.count(GROUP))).containsExactly(0, 0, 0);
        }

        @Test
        void binpackThenSpreadIsADifferentOrderThanSpreadThenBinpack() {
            FakeInstance a = new FakeInstance("a", "eu-west-1a", 4096, 1024);
            FakeInstance b = new FakeInstance("b", "eu-west-1b", 4096, 4096);
            List<Placement<FakeInstance>> placed = run(List.of(a, b), 3, need(0, 256),
                    rules(List.of(), binpack("memory"), spread("attribute:ecs.availability-zone")));

            assertThat(chosen(placed)).containsExactly("a", "a", "a");
        }

        @Test
        void withoutStrategiesRunTaskPlacesAtRandomAndAServiceSpreadsOverZonesThenInstances() {
            assertThat(engine.runTaskRules(null, null, null).strategies()).containsExactly(random());
            assertThat(engine.runTaskRules(null, null, List.of()).strategies()).containsExactly(random());
            assertThat(engine.serviceRules(null, null, null).strategies())
                    .containsExactly(spread("attribute:ecs.availability-zone"), spread("instanceId"));

            List<FakeInstance> cluster = List.of(
                    new FakeInstance("a1", "eu-west-1a", 4096, 8192), new FakeInstance("a2", "eu-west-1a", 4096, 8192),
                    new FakeInstance("b1", "eu-west-1b", 4096, 8192), new FakeInstance("b2", "eu-west-1b", 4096, 8192));
            run(engine, cluster, 8, need(0, 128), "service:api", engine.serviceRules(null, null, null));

            assertThat(cluster).allSatisfy(i -> assertThat(i.count("service:api")).isEqualTo(2));
        }

        @Test
        void aRandomStrategyInTheMiddleLeavesNoTiesForTheStrategiesAfterIt() {
            PlacementRules rules = rules(List.of(), spread("instanceId"), random(), binpack("memory"));
            assertThat(rules.keyKinds).containsExactly(PlacementRules.SPREAD_INSTANCE);
            assertThat(rules.randomTieBreak).isTrue();
            assertThat(rules.strategies()).hasSize(3);
        }
    }

    // ---- filters and constraints ----

    @Nested
    class FiltersAndConstraints {
        @Test
        void onlyActiveInstancesWithAConnectedAgentTakeTasks() {
            FakeInstance draining = new FakeInstance("draining", "z", 4096, 8192);
            draining.active = false;
            FakeInstance disconnected = new FakeInstance("disconnected", "z", 4096, 8192);
            disconnected.connected = false;
            FakeInstance active = new FakeInstance("active", "z", 4096, 8192);

            assertThat(chosen(run(List.of(draining, disconnected, active), 2, need(0, 128), rules(List.of())))).containsExactly("active",
                    "active");
        }

        @Test
        void withNoActiveInstanceTheFailureIsInactive() {
            FakeInstance draining = new FakeInstance("draining", "z", 4096, 8192);
            draining.active = false;
            Placement<FakeInstance> p = engine.place(List.of(draining), need(0, 128), GROUP, rules(List.of()));

            assertThat(p.placed()).isFalse();
            assertThat(p.failureReason()).isEqualTo("INACTIVE");
            assertThat(p.closestArn()).isEqualTo(draining.arn());
            assertThat(engine.place(List.<FakeInstance>of(), need(0, 128), GROUP, rules(List.of())).closestArn()).isNull();
        }

        @Test
        void aDisconnectedAgentIsReportedAsAgent() {
            FakeInstance disconnected = new FakeInstance("disconnected", "z", 4096, 8192);
            disconnected.connected = false;
            Placement<FakeInstance> p = engine.place(List.of(disconnected), need(0, 128), GROUP, rules(List.of()));

            assertThat(p.failureReason()).isEqualTo("AGENT");
            assertThat(p.closestArn()).isEqualTo(disconnected.arn());
        }

        @Test
        void distinctInstanceRefusesAFourthTaskOnThreeInstances() {
            FakeInstance a = new FakeInstance("a", "z", 4096, 8192);
            FakeInstance b = new FakeInstance("b", "z", 4096, 8192);
            FakeInstance c = new FakeInstance("c", "z", 4096, 8192);
            List<Placement<FakeInstance>> placed = run(List.of(a, b, c), 4, need(0, 128), rules(List.of(distinctInstance())));

            assertThat(placed.subList(0, 3)).allMatch(Placement::placed);
            assertThat(new HashSet<>(chosen(placed.subList(0, 3)))).containsExactlyInAnyOrder("a", "b", "c");
            Placement<FakeInstance> fourth = placed.get(3);
            assertThat(fourth.placed()).isFalse();
            assertThat(fourth.failureReason()).isEqualTo("DistinctInstance placement constraint unsatisfied.");
            assertThat(fourth.closestArn()).isEqualTo(a.arn());
        }

        @Test
        void distinctInstanceIsPerGroup() {
            FakeInstance a = new FakeInstance("a", "z", 4096, 8192);
            a.take(need(0, 0), "family:other");
            Placement<FakeInstance> p = engine.place(List.of(a), need(0, 128), GROUP, rules(List.of(distinctInstance())));

            assertThat(p.placed()).isTrue();
        }

        @Test
        void memberOfKeepsOnlyTheInstancesTheExpressionMatches() {
            List<String> compiled = new ArrayList<>();
            PlacementEngine counting = new PlacementEngine(e -> {
                compiled.add(e);
                return COMPILER.apply(e);
            }, new Random(1));
            FakeInstance small1 = new FakeInstance("small1", "z", 4096, 8192);
            FakeInstance large = new FakeInstance("large", "z", 4096, 8192).with("ecs.instance-type", "t3.large");
            FakeInstance small2 = new FakeInstance("small2", "z", 4096, 8192);
            PlacementRules rules = counting.runTaskRules(null, List.of(memberOf("attribute:ecs.instance-type == t3.large")), null);

            List<Placement<FakeInstance>> placed = run(counting, List.of(small1, large, small2), 3, need(0, 128), GROUP, rules);

            assertThat(chosen(placed)).containsExactly("large", "large", "large");
            assertThat(compiled).containsExactly("attribute:ecs.instance-type == t3.large");
        }

        @Test
        void memberOfThatNoInstanceSatisfiesFailsWithTheClosestInstance() {
            FakeInstance lacksMemory = new FakeInstance("lacks-memory", "z", 4096, 64);
            FakeInstance fits = new FakeInstance("fits", "z", 4096, 8192);
            Placement<FakeInstance> p = engine.place(List.of(lacksMemory, fits), need(0, 128), GROUP,
                    rules(List.of(memberOf("attribute:ecs.instance-type == t3.large"))));

            assertThat(p.failureReason()).isEqualTo("MemberOf placement constraint unsatisfied.");
            // The instance with the resources got further than the one without.
            assertThat(p.closestArn()).isEqualTo(fits.arn());
        }

        @Test
        void taskDefinitionConstraintsComeFirstAndCountTowardsTheLimit() {
            TaskDefinitionPlacementConstraint fromTd = TaskDefinitionPlacementConstraint.builder().type("memberOf")
                    .expression("attribute:ecs.availability-zone == eu-west-1b").build();
            PlacementRules rules = engine.runTaskRules(List.of(fromTd), List.of(memberOf("attribute:ecs.instance-type == t3.large")), null);
            FakeInstance a = new FakeInstance("a", "eu-west-1a", 4096, 8192).with("ecs.instance-type", "t3.large");
            FakeInstance b = new FakeInstance("b", "eu-west-1b", 4096, 8192);
            FakeInstance c = new FakeInstance("c", "eu-west-1b", 4096, 8192).with("ecs.instance-type", "t3.large");

            assertThat(rules.constraints()).extracting(PlacementConstraint::expression).containsExactly(
                    "attribute:ecs.availability-zone == eu-west-1b", "attribute:ecs.instance-type == t3.large");
            assertThat(engine.place(List.of(a, b, c), need(0, 128), GROUP, rules).chosen()).isSameAs(c);
            assertThat(engine.place(List.of(a, b), need(0, 128), GROUP, rules).closestArn())
                    .as("b passes the first constraint, a does not").isEqualTo(b.arn());
        }
    }

    // ---- resources ----

    @Nested
    class Resources {
        @Test
        void notEnoughMemoryAnywhereNamesTheInstanceWithTheMostMemoryLeft() {
            FakeInstance a = new FakeInstance("a", "z", 4096, 256);
            FakeInstance b = new FakeInstance("b", "z", 4096, 900);
            FakeInstance c = new FakeInstance("c", "z", 4096, 512);
            Placement<FakeInstance> p = engine.place(List.of(a, b, c), need(128, 1024), GROUP, rules(List.of()));

            assertThat(p.placed()).isFalse();
            assertThat(p.failureReason()).isEqualTo("RESOURCE:MEMORY");
            assertThat(p.closestArn()).isEqualTo(b.arn());
        }

        @Test
        void notEnoughCpuAnywhereNamesTheInstanceWithTheMostCpuLeft() {
            FakeInstance a = new FakeInstance("a", "z", 1024, 8192);
            FakeInstance b = new FakeInstance("b", "z", 2048, 8192);
            Placement<FakeInstance> p = engine.place(List.of(a, b), need(4096, 128), GROUP, rules(List.of()));

            assertThat(p.failureReason()).isEqualTo("RESOURCE:CPU");
            assertThat(p.closestArn()).isEqualTo(b.arn());
        }

        @Test
        void anInstanceLackingOnlyAPortIsCloserThanOneLackingMemory() {
            FakeInstance lacksMemory = new FakeInstance("lacks-memory", "z", 4096, 64);
            FakeInstance portTaken = new FakeInstance("port-taken", "z", 4096, 8192);
            portTaken.take(needPorts(0, Set.of(80), Set.of()), "family:other");
            Placement<FakeInstance> p = engine.place(List.of(lacksMemory, portTaken), needPorts(128, Set.of(80), Set.of()), GROUP,
                    rules(List.of()));

            assertThat(p.failureReason()).isEqualTo("RESOURCE:PORTS");
            assertThat(p.closestArn()).isEqualTo(portTaken.arn());
        }

        @Test
        void theAgentsReservedPortsAreTaken() {
            FakeInstance a = new FakeInstance("a", "z", 4096, 8192);
            for (int port : List.of(22, 2375, 2376, 51678, 51679)) {
                Placement<FakeInstance> p = engine.place(List.of(a), needPorts(128, Set.of(port), Set.of()), GROUP, rules(List.of()));
                assertThat(p.failureReason()).as("port " + port).isEqualTo("RESOURCE:PORTS");
            }
        }

        @Test
        void aTakenUdpPortIsPortsUdp() {
            FakeInstance a = new FakeInstance("a", "z", 4096, 8192);
            a.take(needPorts(0, Set.of(), Set.of(53)), "family:dns");
            Placement<FakeInstance> p = engine.place(List.of(a), needPorts(128, Set.of(53), Set.of(53)), GROUP, rules(List.of()));

            assertThat(p.failureReason()).isEqualTo("RESOURCE:PORTS_UDP");
            assertThat(p.closestArn()).isEqualTo(a.arn());
        }

        @Test
        void aFixedHostPortTakesOneTaskPerInstance() {
            FakeInstance a = new FakeInstance("a", "z", 4096, 8192);
            FakeInstance b = new FakeInstance("b", "z", 4096, 8192);
            FakeInstance c = new FakeInstance("c", "z", 4096, 8192);
            Reservation web = needPorts(128, Set.of(8080), Set.of());
            List<Placement<FakeInstance>> placed = run(List.of(a, b, c), 4, web, rules(List.of(), binpack("memory")));

            assertThat(chosen(placed)).containsExactly("a", "b", "c", "-");
            assertThat(placed.get(3).failureReason()).isEqualTo("RESOURCE:PORTS");
            assertThat(placed.get(3).closestArn()).isEqualTo(a.arn());
        }
    }

    // ---- the real container instances ----

    @Test
    void realInstancesCountTheirGroupsAsTasksAreCreatedAndStopped() {
        MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
        RegionState state = new Stores(clock).of(new Scope("123456789012", "eu-west-1")).write(s -> s);
        Cluster cluster = state.createCluster(new Clusters.Spec("prod", null, null, null, null, null));
        for (String az : List.of("eu-west-1a", "eu-west-1b", "eu-west-1c")) {
            state.registerContainerInstance("prod", new ContainerInstances.Spec(null, null, az, 2048, 4096, null, Map.of()));
        }
        TaskDefinition td = state.taskDefinitions().register(TaskDefinition.builder().family("web")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("busybox").memory(128).build()).build());
        Tasks.Spec spec = new Tasks.Spec(td, null, null, null, null);
        Reservation need = Tasks.reservation(td, null);
        PlacementRules rules = engine.runTaskRules(td.placementConstraints(), List.of(distinctInstance()), null);
        List<ContainerInstanceCandidate> candidates = ContainerInstanceCandidate.of(state.containerInstances().registered(cluster.arn()));

        List<Task> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Placement<ContainerInstanceCandidate> p = engine.place(candidates, need, Tasks.group(spec), rules);
            assertThat(p.placed()).isTrue();
            created.add(state.tasks().create(cluster, spec, p.chosen().instance()));
        }
        assertThat(candidates).allSatisfy(c -> {
            assertThat(c.groupTaskCount("family:web")).isEqualTo(1);
            assertThat(c.taskGroups()).containsExactly("family:web");
            assertThat(c.remainingMemory()).isEqualTo(4096 - 128);
        });
        Placement<ContainerInstanceCandidate> fourth = engine.place(candidates, need, Tasks.group(spec), rules);
        assertThat(fourth.failureReason()).isEqualTo("DistinctInstance placement constraint unsatisfied.");

        Task stopped = created.get(1);
        state.lifecycle().requestStop(stopped, TaskStopCode.USER_INITIATED, "test");
        assertThat(stopped.containerInstance().groupTaskCount("family:web")).isZero();
        assertThat(stopped.containerInstance().taskGroups()).isEmpty();
        Placement<ContainerInstanceCandidate> again = engine.place(candidates, need, Tasks.group(spec), rules);
        assertThat(again.chosen().instance()).isSameAs(stopped.containerInstance());
    }

    // ---- refusals ----

    @Nested
    class Refusals {
        private void refused(List<PlacementConstraint> constraints, List<PlacementStrategy> strategies, String message) {
            assertRefused(() -> engine.runTaskRules(null, constraints, strategies), INVALID, message);
        }

        @Test
        void anUnknownStrategyType() {
            refused(null, List.of(PlacementStrategy.builder().type("pack").field("memory").build()),
                    "Unknown placement strategy type 'pack': use random, spread or binpack.");
            refused(null, List.of(PlacementStrategy.builder().field("memory").build()),
                    "A placement strategy needs a type: random, spread or binpack.");
        }

        @Test
        void binpackWithoutCpuOrMemory() {
            refused(null, List.of(binpack(null)), "The binpack placement strategy needs the field cpu or memory; got none.");
            refused(null, List.of(binpack("disk")), "The binpack placement strategy needs the field cpu or memory; got 'disk'.");
        }

        @Test
        void spreadWithoutAKnownField() {
            refused(null, List.of(spread(null)), "The spread placement strategy needs the field instanceId, host or attribute:<name>; got none.");
            refused(null, List.of(spread("zone")),
                    "The spread placement strategy needs the field instanceId, host or attribute:<name>; got 'zone'.");
            refused(null, List.of(spread("attribute:")),
                    "The spread placement strategy needs the field instanceId, host or attribute:<name>; got 'attribute:'.");
        }

        @Test
        void randomWithAField() {
            refused(null, List.of(strategy(PlacementStrategyType.RANDOM, "cpu")), "The random placement strategy takes no field; got 'cpu'.");
        }

        @Test
        void moreThanFiveStrategies() {
            List<PlacementStrategy> six = List.of(spread("instanceId"), binpack("memory"), binpack("cpu"), spread("host"),
                    spread("attribute:ecs.availability-zone"), random());
            refused(null, six, "A task can have at most 5 placement strategies; got 6.");
            assertThat(engine.runTaskRules(null, null, six.subList(0, 5)).strategies()).hasSize(5);
        }

        @Test
        void moreThanTenConstraintsCountingTheTaskDefinitions() {
            List<PlacementConstraint> eight = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                eight.add(memberOf("attribute:ecs.instance-type == t3.small"));
            }
            List<TaskDefinitionPlacementConstraint> three = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                three.add(TaskDefinitionPlacementConstraint.builder().type("memberOf").expression("attribute:a == b").build());
            }
            assertRefused(() -> engine.runTaskRules(three, eight, null), INVALID, "A task can have at most 10 placement constraints, those"
                    + " of the task definition and of the request together; got 11 (3 from the task definition).");
            assertThat(engine.runTaskRules(three.subList(0, 2), eight, null).constraints()).hasSize(10);
        }

        @Test
        void distinctInstanceWithAnExpression() {
            refused(List.of(PlacementConstraint.builder().type(PlacementConstraintType.DISTINCT_INSTANCE).expression("attribute:a == b").build()),
                    null, "A distinctInstance placement constraint takes no expression; got 'attribute:a == b'.");
        }

        @Test
        void memberOfWithoutAnExpression() {
            refused(List.of(PlacementConstraint.builder().type(PlacementConstraintType.MEMBER_OF).build()), null,
                    "A memberOf placement constraint needs an expression in the cluster query language.");
            refused(List.of(memberOf("  ")), null, "A memberOf placement constraint needs an expression in the cluster query language.");
        }

        @Test
        void anExpressionLongerThan2000Characters() {
            String longest = "attribute:x == " + "v".repeat(2000 - "attribute:x == ".length());
            assertThat(engine.runTaskRules(null, List.of(memberOf(longest)), null).constraints()).hasSize(1);
            refused(List.of(memberOf(longest + "v")), null, "A placement constraint expression can be at most 2000 characters long; got 2001.");
        }

        @Test
        void anUnknownConstraintType() {
            refused(List.of(PlacementConstraint.builder().type("sameInstance").build()), null,
                    "Unknown placement constraint type 'sameInstance': use distinctInstance or memberOf.");
            refused(List.of(PlacementConstraint.builder().expression("attribute:a == b").build()), null,
                    "A placement constraint needs a type: distinctInstance or memberOf.");
        }

        @Test
        void theQueryCompilersRefusalPassesThrough() {
            PlacementEngine strict = new PlacementEngine(e -> {
                throw dev.ecsemu.core.error.EcsErrors.invalidParameter("bad expression: " + e);
            }, new Random(1));
            assertRefused(() -> strict.runTaskRules(null, List.of(memberOf("attribute:a =")), null), INVALID, "bad expression: attribute:a =");
        }
    }
}
