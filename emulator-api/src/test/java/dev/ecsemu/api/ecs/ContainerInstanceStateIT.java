package dev.ecsemu.api.ecs;

import static dev.ecsemu.api.testing.EcsAssertions.assertEcsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.testing.ModelOnlyIT;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.containerinstance.InstanceAddresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.UpdateContainerInstancesStateResponse;

/**
 * UpdateContainerInstancesState (ACTIVE / DRAINING) and what placement makes of it; the addresses
 * container instances bind their tasks' host ports on; {@code Emulator.registerInstances} over zones.
 */
class ContainerInstanceStateIT extends ModelOnlyIT {
    private static final String PREFIX = "arn:aws:ecs:us-east-1:000000000000:";
    private static final String CLUSTER = "prod";
    private static final String DISTINCT_ADDRESS = "127\\.1\\.\\d{1,3}\\.\\d{1,3}";
    /** Waiters poll every 25 ms here (ECS's own delay is 6 s), giving up after 15 s. */
    private static final WaiterOverrideConfiguration FAST = WaiterOverrideConfiguration.builder()
            .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(25)))
            .maxAttempts(600)
            .waitTimeout(Duration.ofSeconds(15))
            .build();

    // ---- helpers ----

    /** Cluster "prod" (created) with {@code n} m5.large instances; their ARNs in registration order. */
    private static List<String> instances(int n) {
        return emu.emulator().registerInstances(CLUSTER, n, "m5.large");
    }

    /** Task definition "small": one container, 128 CPU, 128 MiB, no ports. */
    private static void small() {
        ecs.registerTaskDefinition(b -> b.family("small").containerDefinitions(
                ContainerDefinition.builder().name("app").image("nginx").cpu(128).memory(128).build()));
    }

    /** Task definition "fixed": container port 80 on the fixed host port 8080. */
    private static void fixed(EcsClient client) {
        client.registerTaskDefinition(b -> b.family("fixed").containerDefinitions(ContainerDefinition.builder().name("app")
                .image("nginx").memory(64).portMappings(PortMapping.builder().containerPort(80).hostPort(8080).build()).build()));
    }

    private static UpdateContainerInstancesStateResponse setState(ContainerInstanceStatus status, String... instances) {
        return ecs.updateContainerInstancesState(b -> b.cluster(CLUSTER).status(status).containerInstances(instances));
    }

    private static ContainerInstance describe(String arn) {
        var r = ecs.describeContainerInstances(b -> b.cluster(CLUSTER).containerInstances(arn));
        assertThat(r.failures()).isEmpty();
        return r.containerInstances().get(0);
    }

    private static List<String> listed(ContainerInstanceStatus status) {
        return ecs.listContainerInstances(b -> b.cluster(CLUSTER).status(status)).containerInstanceArns();
    }

    private static List<Task> waitRunning(EcsClient client, List<String> taskArns) {
        return client.waiter().waitUntilTasksRunning(DescribeTasksRequest.builder().cluster(CLUSTER).tasks(taskArns).build(), FAST)
                .matched().response().orElseThrow().tasks();
    }

    private static List<String> arns(List<Task> tasks) {
        List<String> out = new ArrayList<>();
        tasks.forEach(t -> out.add(t.taskArn()));
        return out;
    }

    private static String id(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    private static Map<String, String> attributes(ContainerInstance ci) {
        Map<String, String> out = new HashMap<>();
        ci.attributes().forEach(a -> out.put(a.name(), a.value()));
        return out;
    }

    // ---- UpdateContainerInstancesState ----

    @Test
    void drainAndReactivate() {
        List<String> two = instances(2);
        String a = two.get(0);
        String b = two.get(1);
        long version = describe(a).version();

        UpdateContainerInstancesStateResponse drained = setState(ContainerInstanceStatus.DRAINING, a);
        assertThat(drained.failures()).isEmpty();
        assertThat(drained.containerInstances()).singleElement().satisfies(ci -> {
            assertThat(ci.containerInstanceArn()).isEqualTo(a);
            assertThat(ci.status()).isEqualTo("DRAINING");
            assertThat(ci.version()).isGreaterThan(version);
        });
        assertThat(describe(a).status()).isEqualTo("DRAINING");
        assertThat(describe(b).status()).isEqualTo("ACTIVE");
        assertThat(listed(ContainerInstanceStatus.DRAINING)).containsExactly(a);
        assertThat(listed(ContainerInstanceStatus.ACTIVE)).containsExactly(b);
        assertThat(ecs.listContainerInstances(r -> r.cluster(CLUSTER)).containerInstanceArns()).containsExactlyInAnyOrder(a, b);
        assertThat(ecs.describeClusters(r -> r.clusters(CLUSTER)).clusters().get(0).registeredContainerInstancesCount())
                .as("DRAINING instances are still registered").isEqualTo(2);

        // Draining again changes nothing; by id works as by ARN.
        long drainedVersion = describe(a).version();
        UpdateContainerInstancesStateResponse again = setState(ContainerInstanceStatus.DRAINING, id(a));
        assertThat(again.containerInstances()).singleElement().satisfies(ci -> {
            assertThat(ci.containerInstanceArn()).isEqualTo(a);
            assertThat(ci.status()).isEqualTo("DRAINING");
            assertThat(ci.version()).isEqualTo(drainedVersion);
        });

        UpdateContainerInstancesStateResponse active = setState(ContainerInstanceStatus.ACTIVE, a, b);
        assertThat(active.failures()).isEmpty();
        assertThat(active.containerInstances()).extracting(ContainerInstance::containerInstanceArn, ContainerInstance::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(a, "ACTIVE"), org.assertj.core.groups.Tuple.tuple(b, "ACTIVE"));
        assertThat(describe(a).version()).isGreaterThan(drainedVersion);
        assertThat(listed(ContainerInstanceStatus.DRAINING)).isEmpty();
        assertThat(listed(ContainerInstanceStatus.ACTIVE)).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void unknownInstancesAreMissingFailures() {
        List<String> two = instances(2);
        String a = two.get(0);
        String gone = two.get(1);
        ecs.deregisterContainerInstance(r -> r.cluster(CLUSTER).containerInstance(gone));
        String missingArn = PREFIX + "container-instance/prod/" + "0".repeat(32);
        ecs.createCluster(r -> r.clusterName("other"));
        String elsewhere = emu.emulator().registerInstances("other", 1, "m5.large").get(0);

        UpdateContainerInstancesStateResponse r = setState(ContainerInstanceStatus.DRAINING, a, missingArn, "f".repeat(32), gone,
                elsewhere);

        assertThat(r.containerInstances()).extracting(ContainerInstance::containerInstanceArn).containsExactly(a);
        assertThat(r.failures()).containsExactly(
                Failure.builder().arn(missingArn).reason("MISSING").build(),
                Failure.builder().arn("f".repeat(32)).reason("MISSING").build(),
                Failure.builder().arn(gone).reason("MISSING").build(),
                Failure.builder().arn(elsewhere).reason("MISSING").build());
        assertThat(describe(a).status()).isEqualTo("DRAINING");
        assertThat(describe(gone).status()).as("a deregistered instance stays INACTIVE").isEqualTo("INACTIVE");
        assertThat(ecs.describeContainerInstances(d -> d.cluster("other").containerInstances(elsewhere)).containerInstances().get(0)
                .status()).isEqualTo("ACTIVE");
        assertEcsError(() -> ecs.updateContainerInstancesState(b -> b.cluster("nope").status(ContainerInstanceStatus.DRAINING)
                .containerInstances(a)), ClusterNotFoundException.class, "Cluster not found.");
    }

    @Test
    void onlyActiveOrDrainingAndOneToTenInstances() {
        List<String> eleven = instances(11);
        String a = eleven.get(0);

        for (ContainerInstanceStatus status : List.of(ContainerInstanceStatus.REGISTERING, ContainerInstanceStatus.DEREGISTERING,
                ContainerInstanceStatus.REGISTRATION_FAILED)) {
            assertEcsError(() -> setState(status, a), InvalidParameterException.class,
                    "Container instances can only be set to ACTIVE or DRAINING (got " + status + ").");
        }
        assertEcsError(() -> ecs.updateContainerInstancesState(b -> b.cluster(CLUSTER).status("INACTIVE").containerInstances(a)),
                InvalidParameterException.class, "1 validation error detected: Value 'INACTIVE' at 'status' failed to satisfy constraint:"
                        + " Member must satisfy enum value set: [ACTIVE, DRAINING, REGISTERING, DEREGISTERING, REGISTRATION_FAILED]");
        assertEcsError(() -> ecs.updateContainerInstancesState(b -> b.cluster(CLUSTER).containerInstances(a)),
                InvalidParameterException.class,
                "1 validation error detected: Value null at 'status' failed to satisfy constraint: Member must not be null");

        assertEcsError(() -> setState(ContainerInstanceStatus.DRAINING, eleven.toArray(String[]::new)),
                InvalidParameterException.class, "Give 1 to 10 container instances (got 11).");
        assertEcsError(() -> setState(ContainerInstanceStatus.DRAINING), InvalidParameterException.class,
                "Give 1 to 10 container instances (got 0).");
        assertThat(listed(ContainerInstanceStatus.DRAINING)).as("a refused call drains nothing").isEmpty();

        UpdateContainerInstancesStateResponse ten = setState(ContainerInstanceStatus.DRAINING,
                eleven.subList(0, 10).toArray(String[]::new));
        assertThat(ten.containerInstances()).hasSize(10);
        assertThat(listed(ContainerInstanceStatus.DRAINING)).containsExactlyInAnyOrderElementsOf(eleven.subList(0, 10));
        assertThat(listed(ContainerInstanceStatus.ACTIVE)).containsExactly(eleven.get(10));
    }

    // ---- placement and DRAINING ----

    @Test
    void aDrainingInstanceTakesNoNewTasksButKeepsItsStandaloneTasks() {
        List<String> two = instances(2);
        String a = two.get(0);
        String b = two.get(1);
        small();
        Task before = ecs.startTask(r -> r.cluster(CLUSTER).taskDefinition("small").containerInstances(a)).tasks().get(0);
        waitRunning(ecs, List.of(before.taskArn()));

        setState(ContainerInstanceStatus.DRAINING, a);

        RunTaskResponse three = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("small").count(3));
        assertThat(three.failures()).isEmpty();
        assertThat(three.tasks()).hasSize(3).extracting(Task::containerInstanceArn).containsOnly(b);
        waitRunning(ecs, arns(three.tasks()));

        // The standalone task on the draining instance keeps running.
        Task still = ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(before.taskArn())).tasks().get(0);
        assertThat(still.lastStatus()).isEqualTo("RUNNING");
        assertThat(still.desiredStatus()).isEqualTo("RUNNING");
        assertThat(still.containerInstanceArn()).isEqualTo(a);
        assertThat(describe(a).runningTasksCount()).isEqualTo(1);
        assertThat(describe(b).runningTasksCount()).isEqualTo(3);

        // Only draining instances: nothing is placed.
        setState(ContainerInstanceStatus.DRAINING, b);
        RunTaskResponse none = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("small").count(2));
        assertThat(none.tasks()).isEmpty();
        assertThat(none.failures()).hasSize(2).allSatisfy(f -> assertThat(f.reason()).isNotBlank());
        assertThat(ecs.listTasks(r -> r.cluster(CLUSTER)).taskArns()).hasSize(4);

        // Back to ACTIVE, it takes tasks again.
        setState(ContainerInstanceStatus.ACTIVE, a);
        RunTaskResponse after = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("small"));
        assertThat(after.failures()).isEmpty();
        assertThat(after.tasks()).singleElement().satisfies(t -> assertThat(t.containerInstanceArn()).isEqualTo(a));
    }

    // ---- addresses ----

    @Test
    void instancesBindOnAddressesOfTheirOwnSoAFixedPortRunsOncePerInstance() {
        List<String> two = instances(2);
        fixed(ecs);

        RunTaskResponse both = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("fixed").count(2));
        assertThat(both.failures()).isEmpty();
        assertThat(both.tasks()).extracting(Task::containerInstanceArn).containsExactlyInAnyOrderElementsOf(two);

        List<Task> running = waitRunning(ecs, arns(both.tasks()));
        Map<String, NetworkBinding> byInstance = new HashMap<>();
        running.forEach(t -> byInstance.put(t.containerInstanceArn(), t.containers().get(0).networkBindings().get(0)));
        assertThat(byInstance.values()).allSatisfy(nb -> {
            assertThat(nb.bindIP()).matches(DISTINCT_ADDRESS);
            assertThat(nb.hostPort()).isEqualTo(8080);
            assertThat(nb.containerPort()).isEqualTo(80);
        });
        assertThat(byInstance.get(two.get(0)).bindIP()).as("each instance its own address")
                .isNotEqualTo(byInstance.get(two.get(1)).bindIP());

        RunTaskResponse third = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("fixed"));
        assertThat(third.tasks()).isEmpty();
        assertThat(third.failures()).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("RESOURCE:PORTS");
            assertThat(f.arn()).isIn(two);
        });

        // An instance registered later gets yet another address, and takes the third.
        String c = instances(1).get(0);
        RunTaskResponse onC = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("fixed"));
        assertThat(onC.failures()).isEmpty();
        Task t = waitRunning(ecs, arns(onC.tasks())).get(0);
        assertThat(t.containerInstanceArn()).isEqualTo(c);
        assertThat(t.containers().get(0).networkBindings().get(0).bindIP()).matches(DISTINCT_ADDRESS)
                .isNotIn(byInstance.get(two.get(0)).bindIP(), byInstance.get(two.get(1)).bindIP());
    }

    @Test
    void withSharedAddressesEveryBindingIsOnAllInterfaces() {
        try (TestEmulator shared = TestEmulator.modelOnly(EmulatorSettings.defaults().withInstanceAddresses(InstanceAddresses.shared()));
                EcsClient client = shared.ecs()) {
            List<String> two = shared.emulator().registerInstances(CLUSTER, 2, "m5.large");
            fixed(client);
            client.registerTaskDefinition(b -> b.family("dynamic").containerDefinitions(ContainerDefinition.builder().name("app")
                    .image("nginx").memory(64).portMappings(PortMapping.builder().containerPort(80).build(),
                            PortMapping.builder().containerPort(443).hostPort(0).build()).build()));

            List<String> taskArns = new ArrayList<>(arns(client.runTask(r -> r.cluster(CLUSTER).taskDefinition("fixed").count(2)).tasks()));
            taskArns.addAll(arns(client.runTask(r -> r.cluster(CLUSTER).taskDefinition("dynamic")).tasks()));
            assertThat(taskArns).hasSize(3);

            List<Task> running = waitRunning(client, taskArns);
            assertThat(running).extracting(Task::containerInstanceArn).containsAll(two);
            List<NetworkBinding> bindings = new ArrayList<>();
            running.forEach(t -> bindings.addAll(t.containers().get(0).networkBindings()));
            assertThat(bindings).hasSize(4).allSatisfy(nb -> assertThat(nb.bindIP()).isEqualTo("0.0.0.0"));
        }
    }

    // ---- Emulator.registerInstances ----

    @Test
    void registerInstancesSpreadsRoundRobinOverZones() {
        List<String> defaults = emu.emulator().registerInstances(CLUSTER, 5, "m5.large");
        List<String> zones = new ArrayList<>();
        for (String arn : defaults) {
            ContainerInstance ci = describe(arn);
            zones.add(attributes(ci).get("ecs.availability-zone"));
            assertThat(attributes(ci)).containsEntry("ecs.instance-type", "m5.large");
        }
        assertThat(zones).as("the region's a, b and c by default")
                .containsExactly("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1a", "us-east-1b");

        List<String> given = emu.emulator().registerInstances("edge", 3, "c5.large", List.of("us-east-1d", "us-east-1f"));
        List<String> givenZones = new ArrayList<>();
        for (String arn : given) {
            ContainerInstance ci = ecs.describeContainerInstances(r -> r.cluster("edge").containerInstances(arn))
                    .containerInstances().get(0);
            givenZones.add(attributes(ci).get("ecs.availability-zone"));
            assertThat(attributes(ci)).containsEntry("ecs.instance-type", "c5.large");
            assertThat(ci.registeredResources().get(0).integerValue()).as("c5.large: 2 vCPUs").isEqualTo(2048);
        }
        assertThat(givenZones).containsExactly("us-east-1d", "us-east-1f", "us-east-1d");
        assertThat(ecs.listClusters().clusterArns()).as("clusters created when missing")
                .containsExactlyInAnyOrder(PREFIX + "cluster/" + CLUSTER, PREFIX + "cluster/edge");

        // Into an existing cluster, more are added (not a second cluster).
        emu.emulator().registerInstances("edge", 1, "c5.large", List.of("us-east-1d"));
        assertThat(ecs.listContainerInstances(r -> r.cluster("edge")).containerInstanceArns()).hasSize(4);
        assertThat(ecs.listClusters().clusterArns()).hasSize(2);
    }
}
