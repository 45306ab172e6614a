package dev.ecsemu.api.ecs;

import static dev.ecsemu.api.testing.EcsAssertions.assertEcsError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ecsemu.api.testing.ModelOnlyIT;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterContainsContainerInstancesException;
import software.amazon.awssdk.services.ecs.model.ClusterContainsTasksException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.Connectivity;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.StartTaskResponse;
import software.amazon.awssdk.services.ecs.model.StopTaskResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

/**
 * RunTask, StartTask, StopTask, DescribeTasks and ListTasks through the real SDK client against engine
 * {@code none}: containers "start" at once and stop with exit code 0 when asked, dynamic host ports
 * come from 32768 up without being bound.
 */
class TaskOperationsIT extends ModelOnlyIT {
    private static final String PREFIX = "arn:aws:ecs:us-east-1:000000000000:";
    private static final String CLUSTER = "prod";
    private static final String NO_INSTANCES = "No Container Instances were found in your cluster.";
    /** Waiters poll every 25 ms here (ECS's own delay is 6 s), giving up after 15 s. */
    private static final WaiterOverrideConfiguration FAST = WaiterOverrideConfiguration.builder()
            .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(25)))
            .maxAttempts(600)
            .waitTimeout(Duration.ofSeconds(15))
            .build();

    // ---- helpers ----

    private static String identity(String instanceId, String availabilityZone) {
        return "{\"instanceId\":\"" + instanceId + "\",\"instanceType\":\"c5.xlarge\",\"availabilityZone\":\"" + availabilityZone
                + "\",\"region\":\"us-east-1\",\"accountId\":\"000000000000\"}";
    }

    private static Resource resource(String name, int value) {
        return Resource.builder().name(name).type("INTEGER").integerValue(value).build();
    }

    /** Registers an instance with 4096 CPU units and {@code memory} MiB into the cluster. */
    private static String instance(String cluster, String instanceId, int memory) {
        return ecs.registerContainerInstance(b -> b.cluster(cluster).instanceIdentityDocument(identity(instanceId, "us-east-1b"))
                .totalResources(resource("CPU", 4096), resource("MEMORY", memory))).containerInstance().containerInstanceArn();
    }

    private static ContainerDefinition.Builder app() {
        return ContainerDefinition.builder().name("app").image("nginx:1.27").cpu(256).memory(512)
                .portMappings(PortMapping.builder().containerPort(80).build());
    }

    private static String register(String family, ContainerDefinition.Builder... containers) {
        List<ContainerDefinition> defs = new ArrayList<>();
        for (ContainerDefinition.Builder c : containers) {
            defs.add(c.build());
        }
        return ecs.registerTaskDefinition(b -> b.family(family).containerDefinitions(defs)).taskDefinition().taskDefinitionArn();
    }

    /** Cluster "prod" with one 4096 CPU / 4096 MiB instance and task definition "web" (app: 256 CPU, 512 MiB, port 80 dynamic). */
    private static String prodWithOneInstance() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        String arn = instance(CLUSTER, "i-0aaaaaaaaaaaaaaa1", 4096);
        register("web", app());
        return arn;
    }

    private static List<Task> run(Consumer<RunTaskRequest.Builder> request) {
        RunTaskResponse r = ecs.runTask(b -> {
            b.cluster(CLUSTER).taskDefinition("web");
            request.accept(b);
        });
        assertThat(r.failures()).isEmpty();
        return r.tasks();
    }

    private static Task runOne() {
        List<Task> tasks = run(b -> { });
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }

    private static List<String> arns(List<Task> tasks) {
        List<String> out = new ArrayList<>();
        tasks.forEach(t -> out.add(t.taskArn()));
        return out;
    }

    private static List<Task> waitRunning(List<String> taskArns) {
        WaiterResponse<DescribeTasksResponse> w = ecs.waiter()
                .waitUntilTasksRunning(DescribeTasksRequest.builder().cluster(CLUSTER).tasks(taskArns).build(), FAST);
        return w.matched().response().orElseThrow(() -> new AssertionError("tasks-running failed", w.matched().exception().orElse(null)))
                .tasks();
    }

    private static List<Task> waitStopped(List<String> taskArns) {
        WaiterResponse<DescribeTasksResponse> w = ecs.waiter()
                .waitUntilTasksStopped(DescribeTasksRequest.builder().cluster(CLUSTER).tasks(taskArns).build(), FAST);
        return w.matched().response().orElseThrow().tasks();
    }

    private static Task runRunning() {
        Task t = runOne();
        waitRunning(List.of(t.taskArn()));
        return describeOne(t.taskArn());
    }

    private static Task describeOne(String taskArn, TaskField... include) {
        DescribeTasksResponse r = ecs.describeTasks(b -> b.cluster(CLUSTER).tasks(taskArn).include(include));
        assertThat(r.failures()).isEmpty();
        assertThat(r.tasks()).hasSize(1);
        return r.tasks().get(0);
    }

    private static List<String> list(Consumer<ListTasksRequest.Builder> request) {
        ListTasksResponse r = ecs.listTasks(b -> {
            b.cluster(CLUSTER);
            request.accept(b);
        });
        assertThat(r.nextToken()).isNull();
        return r.taskArns();
    }

    private static ContainerInstance describeInstance(String arn) {
        return ecs.describeContainerInstances(b -> b.cluster(CLUSTER).containerInstances(arn)).containerInstances().get(0);
    }

    private static Resource remaining(String arn, String name) {
        return describeInstance(arn).remainingResources().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    private static Cluster cluster() {
        return ecs.describeClusters(b -> b.clusters(CLUSTER)).clusters().get(0);
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static KeyValuePair kv(String name, String value) {
        return KeyValuePair.builder().name(name).value(value).build();
    }

    private static String taskId(String taskArn) {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    // ---- RunTask: refusals ----

    @Test
    void runTaskNeedsContainerInstances() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        register("web", app());

        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("web")), InvalidParameterException.class, NO_INSTANCES);
        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("web").launchType(LaunchType.EC2)),
                InvalidParameterException.class, NO_INSTANCES);
        assertThat(ecs.listTasks(b -> b.cluster(CLUSTER)).taskArns()).isEmpty();
    }

    @Test
    void runTaskRefusesUnknownAndInactiveTaskDefinitions() {
        prodWithOneInstance();

        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("nope")), ClientException.class,
                "TaskDefinition not found.");
        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("web:7")), ClientException.class,
                "TaskDefinition not found.");

        register("web", app());
        ecs.deregisterTaskDefinition(b -> b.taskDefinition("web:1"));
        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("web:1")), InvalidParameterException.class,
                "TaskDefinition is inactive");
        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition(PREFIX + "task-definition/web:1")),
                InvalidParameterException.class, "TaskDefinition is inactive");

        // The family alone names its latest ACTIVE revision.
        Task t = run(b -> b.taskDefinition("web")).get(0);
        assertThat(t.taskDefinitionArn()).isEqualTo(PREFIX + "task-definition/web:2");
    }

    @Test
    void runTaskRefusesCountsOutside1To10() {
        prodWithOneInstance();
        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("web").count(0)), InvalidParameterException.class,
                "count must be between 1 and 10 (was 0).");
        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("web").count(11)), InvalidParameterException.class,
                "count must be between 1 and 10 (was 11).");
        assertThat(ecs.listTasks(b -> b.cluster(CLUSTER)).taskArns()).isEmpty();
    }

    @Test
    void runTaskRefusesWhatTheEmulatorCannotRunAndWhatEcsRefuses() {
        prodWithOneInstance();
        ecs.registerTaskDefinition(b -> b.family("vpc").networkMode(NetworkMode.AWSVPC).containerDefinitions(app().build()));

        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("web").launchType(LaunchType.FARGATE)),
                InvalidParameterException.class, "Task definition does not support launch_type FARGATE.");
        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("web").launchType(LaunchType.EXTERNAL)),
                UnsupportedFeatureException.class, "ecs-emu does not run tasks of launch type EXTERNAL; use FARGATE, or EC2 with container"
                        + " instances (ecs-emu start --instances N).");
        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("vpc")), InvalidParameterException.class,
                "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("web")
                        .capacityProviderStrategy(CapacityProviderStrategyItem.builder().capacityProvider("FARGATE").weight(1).build())),
                InvalidParameterException.class, "The specified capacity provider strategy cannot contain a capacity provider that is not"
                        + " associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider"
                        + " and try again.");
        assertThat(ecs.listTasks(b -> b.cluster(CLUSTER)).taskArns()).isEmpty();
    }

    @Test
    void runTaskInAMissingClusterIsRefused() {
        assertEcsError(() -> ecs.runTask(b -> b.cluster("nope").taskDefinition("web")), ClusterNotFoundException.class,
                "Cluster not found.");
        assertEcsError(() -> ecs.runTask(b -> b.taskDefinition("web")), ClusterNotFoundException.class, "Cluster not found.");
    }

    @Test
    void runTaskRefusesAnOverrideForAContainerNotInTheDefinition() {
        prodWithOneInstance();
        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("web")
                        .overrides(o -> o.containerOverrides(ContainerOverride.builder().name("nope").command("x").build()))),
                InvalidParameterException.class, "Override for container named nope is not a container in the TaskDefinition.");
        assertThat(ecs.listTasks(b -> b.cluster(CLUSTER)).taskArns()).isEmpty();
    }

    @Test
    void runTaskRefusesReservedTagsAndLongGroups() {
        prodWithOneInstance();
        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("web").tags(tag("aws:owner", "me"))),
                InvalidParameterException.class, "Tag keys may not begin with 'aws:', which is reserved for AWS use: aws:owner");
        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("web").group("g".repeat(256))),
                InvalidParameterException.class, "group can be at most 255 characters long.");
        assertThat(ecs.listTasks(b -> b.cluster(CLUSTER)).taskArns()).isEmpty();
    }

    // ---- RunTask: placing and running ----

    @Test
    void runTaskPlacesTasksThatTheWaiterSeesRunning() {
        String instance = prodWithOneInstance();

        RunTaskResponse response = ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("web").count(3));

        assertThat(response.failures()).isEmpty();
        assertThat(response.tasks()).hasSize(3).allSatisfy(t -> {
            assertThat(t.taskArn()).matches(PREFIX.replace(".", "\\.") + "task/prod/[0-9a-f]{32}");
            assertThat(t.lastStatus()).isEqualTo("PROVISIONING");
            assertThat(t.desiredStatus()).isEqualTo("RUNNING");
            assertThat(t.version()).isEqualTo(1L);
            assertThat(t.createdAt()).isNotNull();
            assertThat(t.startedAt()).isNull();
            assertThat(t.containerInstanceArn()).isEqualTo(instance);
            assertThat(t.containers()).singleElement().satisfies(c -> {
                assertThat(c.lastStatus()).isEqualTo("PENDING");
                assertThat(c.networkBindings()).isEmpty();
                assertThat(c.exitCode()).isNull();
            });
        });
        assertThat(new HashSet<>(arns(response.tasks()))).hasSize(3);

        List<Task> running = waitRunning(arns(response.tasks()));
        assertThat(running).hasSize(3).allSatisfy(t -> assertThat(t.lastStatus()).isEqualTo("RUNNING"));
        // Three dynamic host ports, all different, from the ephemeral range.
        Set<Integer> hostPorts = new HashSet<>();
        running.forEach(t -> hostPorts.add(t.containers().get(0).networkBindings().get(0).hostPort()));
        assertThat(hostPorts).hasSize(3).allSatisfy(p -> assertThat(p).isBetween(32768, 60999));

        Cluster c = cluster();
        assertThat(c.runningTasksCount()).isEqualTo(3);
        assertThat(c.pendingTasksCount()).isZero();
        assertThat(c.registeredContainerInstancesCount()).isEqualTo(1);
        assertThat(describeInstance(instance).runningTasksCount()).isEqualTo(3);
    }

    @Test
    void describeTasksShowsARunningTaskInFull() {
        String instance = prodWithOneInstance();
        Task t = runRunning();
        String id = taskId(t.taskArn());

        assertThat(t.clusterArn()).isEqualTo(PREFIX + "cluster/prod");
        assertThat(t.taskDefinitionArn()).isEqualTo(PREFIX + "task-definition/web:1");
        assertThat(t.containerInstanceArn()).isEqualTo(instance);
        assertThat(t.availabilityZone()).isEqualTo("us-east-1b");
        assertThat(t.group()).isEqualTo("family:web");
        assertThat(t.launchType()).isEqualTo(LaunchType.EC2);
        assertThat(t.lastStatus()).isEqualTo("RUNNING");
        assertThat(t.desiredStatus()).isEqualTo("RUNNING");
        assertThat(t.cpu()).isEqualTo("256");
        assertThat(t.memory()).isEqualTo("512");
        assertThat(t.connectivity()).isEqualTo(Connectivity.CONNECTED);
        assertThat(t.healthStatus()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(t.enableExecuteCommand()).isFalse();
        assertThat(t.attributes()).containsExactly(Attribute.builder().name("ecs.cpu-architecture").value("x86_64").build());
        assertThat(t.hasAttachments()).isTrue();
        assertThat(t.attachments()).isEmpty();
        assertThat(t.version()).isGreaterThan(1L);
        assertThat(t.startedBy()).isNull();
        assertThat(t.stopCode()).isNull();
        assertThat(t.stoppedReason()).isNull();
        assertThat(t.stoppingAt()).isNull();
        assertThat(t.stoppedAt()).isNull();
        assertThat(t.hasTags()).as("tags only when asked for").isFalse();

        assertThat(t.createdAt()).isNotNull();
        assertThat(t.pullStartedAt()).isNotNull().isAfterOrEqualTo(t.createdAt());
        assertThat(t.pullStoppedAt()).isNotNull().isAfterOrEqualTo(t.pullStartedAt());
        assertThat(t.startedAt()).isNotNull().isAfterOrEqualTo(t.pullStoppedAt());
        assertThat(t.connectivityAt()).isNotNull().isAfterOrEqualTo(t.createdAt()).isBeforeOrEqualTo(t.startedAt());

        assertThat(t.overrides()).isNotNull();
        assertThat(t.overrides().containerOverrides()).containsExactly(ContainerOverride.builder().name("app").build());
        assertThat(t.overrides().hasInferenceAcceleratorOverrides()).isTrue();
        assertThat(t.overrides().inferenceAcceleratorOverrides()).isEmpty();

        Container c = t.containers().get(0);
        assertThat(t.containers()).hasSize(1);
        assertThat(c.name()).isEqualTo("app");
        assertThat(c.image()).isEqualTo("nginx:1.27");
        assertThat(c.taskArn()).isEqualTo(t.taskArn());
        assertThat(c.containerArn()).matches(PREFIX.replace(".", "\\.") + "container/prod/" + id + "/[0-9a-f-]{36}");
        assertThat(c.lastStatus()).isEqualTo("RUNNING");
        assertThat(c.runtimeId()).isNotBlank();
        assertThat(c.exitCode()).isNull();
        assertThat(c.healthStatus()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(c.cpu()).isEqualTo("256");
        assertThat(c.memory()).isEqualTo("512");
        assertThat(c.memoryReservation()).isNull();
        assertThat(c.networkInterfaces()).isEmpty();
        assertThat(c.networkBindings()).singleElement().satisfies(nb -> {
            assertThat(nb.bindIP()).as("the instance's own loopback address").matches("127\\.1\\.\\d+\\.\\d+");
            assertThat(nb.containerPort()).isEqualTo(80);
            assertThat(nb.hostPort()).isBetween(32768, 60999);
            assertThat(nb.protocol()).isEqualTo(TransportProtocol.TCP);
        });
    }

    @Test
    void aFixedHostPortCanBeTakenOnlyOncePerInstance() {
        String instance = prodWithOneInstance();
        register("fixed", ContainerDefinition.builder().name("app").image("nginx").memory(64)
                .portMappings(PortMapping.builder().containerPort(80).hostPort(8080).build()));

        RunTaskResponse two = ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("fixed").count(2));
        assertThat(two.tasks()).hasSize(1);
        assertThat(two.failures()).containsExactly(Failure.builder().arn(instance).reason("RESOURCE:PORTS").build());

        RunTaskResponse again = ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("fixed"));
        assertThat(again.tasks()).isEmpty();
        assertThat(again.failures()).containsExactly(Failure.builder().arn(instance).reason("RESOURCE:PORTS").build());

        Task first = two.tasks().get(0);
        Task running = waitRunning(List.of(first.taskArn())).get(0);
        NetworkBinding bound = running.containers().get(0).networkBindings().get(0);
        assertThat(bound.bindIP()).matches("127\\.1\\.\\d+\\.\\d+");
        assertThat(running.containers().get(0).networkBindings()).containsExactly(NetworkBinding.builder().bindIP(bound.bindIP())
                .containerPort(80).hostPort(8080).protocol(TransportProtocol.TCP).build());

        // Once it has stopped the port is free again.
        ecs.stopTask(b -> b.cluster(CLUSTER).task(first.taskArn()));
        waitStopped(List.of(first.taskArn()));
        assertThat(ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("fixed")).tasks()).hasSize(1);
    }

    @Test
    void memoryRunsOutAndComesBackWhenTasksStop() {
        String instance = prodWithOneInstance();
        register("big", ContainerDefinition.builder().name("app").image("nginx").cpu(1000).memory(3000));

        RunTaskResponse two = ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("big").count(2));
        assertThat(two.tasks()).hasSize(1);
        assertThat(two.failures()).containsExactly(Failure.builder().arn(instance).reason("RESOURCE:MEMORY").build());
        assertThat(remaining(instance, "CPU").integerValue()).isEqualTo(4096 - 1000);
        assertThat(remaining(instance, "MEMORY").integerValue()).isEqualTo(4096 - 3000);

        // web (512 MiB) still fits next to it.
        Task web = runOne();
        assertThat(remaining(instance, "CPU").integerValue()).isEqualTo(4096 - 1000 - 256);
        assertThat(remaining(instance, "MEMORY").integerValue()).isEqualTo(4096 - 3000 - 512);

        String big = two.tasks().get(0).taskArn();
        waitRunning(List.of(big, web.taskArn()));
        ecs.stopTask(b -> b.cluster(CLUSTER).task(big));
        waitStopped(List.of(big));
        assertThat(remaining(instance, "CPU").integerValue()).isEqualTo(4096 - 256);
        assertThat(remaining(instance, "MEMORY").integerValue()).isEqualTo(4096 - 512);
        assertThat(ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("big")).tasks()).hasSize(1);
    }

    @Test
    void groupAndStartedByAreKept() {
        prodWithOneInstance();
        Task t = run(b -> b.group("batch:nightly").startedBy("cron")).get(0);
        assertThat(t.group()).isEqualTo("batch:nightly");
        assertThat(t.startedBy()).isEqualTo("cron");
        Task described = describeOne(t.taskArn());
        assertThat(described.group()).isEqualTo("batch:nightly");
        assertThat(described.startedBy()).isEqualTo("cron");
    }

    // ---- StartTask ----

    @Test
    void startTaskRunsOnTheNamedInstancesAndReportsMissingOnes() {
        String first = prodWithOneInstance();
        String second = instance(CLUSTER, "i-0aaaaaaaaaaaaaaa2", 4096);
        String secondId = second.substring(second.lastIndexOf('/') + 1);
        String missing = PREFIX + "container-instance/prod/" + "0".repeat(32);

        StartTaskResponse r = ecs.startTask(b -> b.cluster(CLUSTER).taskDefinition("web").containerInstances(secondId, missing)
                .startedBy("me"));

        assertThat(r.tasks()).singleElement().satisfies(t -> {
            assertThat(t.containerInstanceArn()).isEqualTo(second);
            assertThat(t.launchType()).isEqualTo(LaunchType.EC2);
            assertThat(t.startedBy()).isEqualTo("me");
            assertThat(t.group()).isEqualTo("family:web");
        });
        assertThat(r.failures()).containsExactly(Failure.builder().arn(missing).reason("MISSING").build());
        waitRunning(arns(r.tasks()));
        assertThat(describeInstance(second).runningTasksCount()).isEqualTo(1);
        assertThat(describeInstance(first).runningTasksCount()).isZero();

        // One task per instance named.
        StartTaskResponse both = ecs.startTask(b -> b.cluster(CLUSTER).taskDefinition("web").containerInstances(first, second));
        assertThat(both.failures()).isEmpty();
        assertThat(both.tasks()).extracting(Task::containerInstanceArn).containsExactly(first, second);
    }

    @Test
    void startTaskRefusesAnEmptyInstanceList() {
        prodWithOneInstance();
        assertEcsError(() -> ecs.startTask(b -> b.cluster(CLUSTER).taskDefinition("web").containerInstances(List.of())),
                InvalidParameterException.class, "StartTask takes 1 to 10 container instances.");
    }

    // ---- StopTask ----

    @Test
    void stopTaskAnswersAtOnceAndTheTaskStopsAfterwards() {
        String instance = prodWithOneInstance();
        Task running = runRunning();

        StopTaskResponse r = ecs.stopTask(b -> b.cluster(CLUSTER).task(running.taskArn()));

        Task answer = r.task();
        assertThat(answer.taskArn()).isEqualTo(running.taskArn());
        assertThat(answer.lastStatus()).as("lastStatus is unchanged in the answer").isEqualTo("RUNNING");
        assertThat(answer.desiredStatus()).isEqualTo("STOPPED");
        assertThat(answer.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
        assertThat(answer.stoppedReason()).isEqualTo("Task stopped by user");
        assertThat(answer.stoppingAt()).isNotNull().isAfterOrEqualTo(running.startedAt());
        assertThat(answer.stoppedAt()).isNull();
        assertThat(answer.version()).isGreaterThan(running.version());
        assertThat(ecs.listTasks(b -> b.cluster(CLUSTER)).taskArns()).as("no longer desired RUNNING").isEmpty();

        Task stopped = waitStopped(List.of(running.taskArn())).get(0);
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
        assertThat(stopped.stoppedReason()).isEqualTo("Task stopped by user");
        assertThat(stopped.stoppedAt()).isNotNull().isAfterOrEqualTo(stopped.stoppingAt());
        assertThat(stopped.executionStoppedAt()).isNotNull().isBeforeOrEqualTo(stopped.stoppedAt());
        assertThat(stopped.startedAt()).isEqualTo(running.startedAt());
        assertThat(stopped.version()).isGreaterThan(answer.version());
        assertThat(stopped.containers()).singleElement().satisfies(c -> {
            assertThat(c.lastStatus()).isEqualTo("STOPPED");
            assertThat(c.exitCode()).isZero();
        });
        assertThat(describeInstance(instance).runningTasksCount()).isZero();

        // Stopping it again answers the stopped task, first reason kept.
        Task again = ecs.stopTask(b -> b.cluster(CLUSTER).task(taskId(running.taskArn())).reason("other")).task();
        assertThat(again.lastStatus()).isEqualTo("STOPPED");
        assertThat(again.stoppedReason()).isEqualTo("Task stopped by user");
    }

    @Test
    void stopTaskKeepsTheReasonGiven() {
        prodWithOneInstance();
        Task t = runOne();

        Task answer = ecs.stopTask(b -> b.cluster(CLUSTER).task(t.taskArn()).reason("deploying v2")).task();

        assertThat(answer.stoppedReason()).isEqualTo("deploying v2");
        assertThat(answer.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
        assertThat(waitStopped(List.of(t.taskArn())).get(0).stoppedReason()).isEqualTo("deploying v2");
    }

    @Test
    void stopTaskRefusesUnknownTasksAndClusters() {
        prodWithOneInstance();
        assertEcsError(() -> ecs.stopTask(b -> b.cluster(CLUSTER).task("0".repeat(32))), InvalidParameterException.class,
                "The referenced task was not found.");
        assertEcsError(() -> ecs.stopTask(b -> b.cluster(CLUSTER).task(PREFIX + "task/prod/" + "0".repeat(32))),
                InvalidParameterException.class, "The referenced task was not found.");
        Task t = runOne();
        ecs.createCluster(b -> b.clusterName("other"));
        assertEcsError(() -> ecs.stopTask(b -> b.cluster("other").task(t.taskArn())), InvalidParameterException.class,
                "The referenced task was not found.");
        assertEcsError(() -> ecs.stopTask(b -> b.cluster("nope").task(t.taskArn())), ClusterNotFoundException.class,
                "Cluster not found.");
    }

    // ---- DescribeTasks ----

    @Test
    void describeTasksReportsMissingTasksWithTheirFullArn() {
        prodWithOneInstance();
        Task t = runOne();
        String unknownId = "f".repeat(32);
        String unknownArn = PREFIX + "task/prod/" + "e".repeat(32);

        DescribeTasksResponse r = ecs.describeTasks(b -> b.cluster(CLUSTER).tasks(taskId(t.taskArn()), unknownId, unknownArn));

        assertThat(r.tasks()).extracting(Task::taskArn).containsExactly(t.taskArn());
        assertThat(r.failures()).containsExactly(
                Failure.builder().arn(PREFIX + "task/prod/" + unknownId).reason("MISSING").build(),
                Failure.builder().arn(unknownArn).reason("MISSING").build());
        assertEcsError(() -> ecs.describeTasks(b -> b.cluster("nope").tasks(t.taskArn())), ClusterNotFoundException.class,
                "Cluster not found.");
    }

    @Test
    void describeTasksRefusesNoneAndMoreThan100() {
        prodWithOneInstance();
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(String.format("%032x", i));
        }
        assertEcsError(() -> ecs.describeTasks(b -> b.cluster(CLUSTER).tasks(many)), InvalidParameterException.class,
                "DescribeTasks takes at most 100 tasks; 101 were given.");
        assertEcsError(() -> ecs.describeTasks(b -> b.cluster(CLUSTER).tasks(List.of())), InvalidParameterException.class,
                "Tasks cannot be empty.");
        assertThat(ecs.describeTasks(b -> b.cluster(CLUSTER).tasks(many.subList(0, 100))).failures()).hasSize(100);
    }

    // ---- ListTasks ----

    @Test
    void listTasksFilters() {
        String first = prodWithOneInstance();
        String second = instance(CLUSTER, "i-0aaaaaaaaaaaaaaa2", 4096);
        register("api", app());
        String webOnFirst = ecs.startTask(b -> b.cluster(CLUSTER).taskDefinition("web").containerInstances(first))
                .tasks().get(0).taskArn();
        String webOnSecond = ecs.startTask(b -> b.cluster(CLUSTER).taskDefinition("web").containerInstances(second))
                .tasks().get(0).taskArn();
        String api = ecs.startTask(b -> b.cluster(CLUSTER).taskDefinition("api").containerInstances(second).startedBy("ci"))
                .tasks().get(0).taskArn();
        String stopped = ecs.startTask(b -> b.cluster(CLUSTER).taskDefinition("web").containerInstances(first))
                .tasks().get(0).taskArn();
        ecs.stopTask(b -> b.cluster(CLUSTER).task(stopped));

        assertThat(list(b -> { })).as("desiredStatus RUNNING by default")
                .containsExactlyInAnyOrder(webOnFirst, webOnSecond, api).isSorted();
        assertThat(list(b -> b.desiredStatus(DesiredStatus.RUNNING))).containsExactlyInAnyOrder(webOnFirst, webOnSecond, api);
        assertThat(list(b -> b.desiredStatus(DesiredStatus.STOPPED))).containsExactly(stopped);
        assertThat(list(b -> b.family("web"))).containsExactlyInAnyOrder(webOnFirst, webOnSecond);
        assertThat(list(b -> b.family("web").desiredStatus(DesiredStatus.STOPPED))).containsExactly(stopped);
        assertThat(list(b -> b.family("nope"))).isEmpty();
        assertThat(list(b -> b.containerInstance(second))).containsExactlyInAnyOrder(webOnSecond, api);
        assertThat(list(b -> b.containerInstance(taskId(first)))).as("by instance id").containsExactly(webOnFirst);
        assertThat(list(b -> b.launchType(LaunchType.EC2))).containsExactlyInAnyOrder(webOnFirst, webOnSecond, api);
        assertThat(list(b -> b.launchType(LaunchType.FARGATE))).isEmpty();
        assertThat(list(b -> b.startedBy("ci"))).containsExactly(api);
        assertThat(list(b -> b.startedBy("nobody"))).isEmpty();

        assertEcsError(() -> ecs.listTasks(b -> b.cluster(CLUSTER).startedBy("ci").family("web")), InvalidParameterException.class,
                "startedBy must be the only filter when it is given.");
        assertEcsError(() -> ecs.listTasks(b -> b.cluster(CLUSTER).startedBy("ci").desiredStatus(DesiredStatus.RUNNING)),
                InvalidParameterException.class, "startedBy must be the only filter when it is given.");
        assertEcsError(() -> ecs.listTasks(b -> b.cluster(CLUSTER).containerInstance("0".repeat(32))), InvalidParameterException.class,
                "The referenced container instance was not found.");
        assertEcsError(() -> ecs.listTasks(b -> b.cluster("nope")), ClusterNotFoundException.class, "Cluster not found.");
    }

    @Test
    void listTasksPages() {
        prodWithOneInstance();
        List<String> all = arns(run(b -> b.count(5)));
        all.sort(null);

        List<String> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListTasksResponse page = ecs.listTasks(b -> b.cluster(CLUSTER).maxResults(2).nextToken(t));
            assertThat(page.taskArns()).hasSizeBetween(1, 2);
            paged.addAll(page.taskArns());
            token = page.nextToken();
            pages++;
        } while (token != null);

        assertThat(pages).isEqualTo(3);
        assertThat(paged).containsExactlyElementsOf(all);
        assertEcsError(() -> ecs.listTasks(b -> b.cluster(CLUSTER).maxResults(0)), InvalidParameterException.class,
                "maxResults must be between 1 and 100 (was 0).");
    }

    // ---- overrides ----

    @Test
    void overridesAreShownAndAppliedToTheContainers() {
        prodWithOneInstance();
        ecs.registerTaskDefinition(RegisterTaskDefinitionRequest.builder().family("web").containerDefinitions(
                app().environment(kv("A", "1"), kv("B", "2")).build(),
                ContainerDefinition.builder().name("sidecar").image("busybox").memory(64).essential(false).build()).build());
        ContainerOverride appOverride = ContainerOverride.builder().name("app").command("sh", "-c", "echo hi")
                .environment(kv("B", "3"), kv("C", "4")).memory(1024).cpu(512).build();

        Task t = run(b -> b.overrides(o -> o.containerOverrides(appOverride).taskRoleArn("arn:aws:iam::000000000000:role/app")))
                .get(0);

        assertThat(t.overrides().containerOverrides()).containsExactly(appOverride);
        assertThat(t.overrides().taskRoleArn()).isEqualTo("arn:aws:iam::000000000000:role/app");
        Task running = waitRunning(List.of(t.taskArn())).get(0);
        assertThat(running.overrides().containerOverrides()).containsExactly(appOverride);
        assertThat(running.containers()).extracting(Container::name, Container::memory, Container::cpu)
                .containsExactly(tuple("app", "1024", "512"),
                        tuple("sidecar", "64", "0"));
        assertThat(running.cpu()).isEqualTo("512");
        assertThat(running.memory()).isEqualTo("1088");
    }

    @Test
    void taskLevelOverridesSetTheTasksSize() {
        String instance = prodWithOneInstance();
        Task t = run(b -> b.overrides(o -> o.cpu("1024").memory("2048"))).get(0);

        assertThat(t.cpu()).isEqualTo("1024");
        assertThat(t.memory()).isEqualTo("2048");
        assertThat(t.overrides().cpu()).isEqualTo("1024");
        assertThat(t.overrides().memory()).isEqualTo("2048");
        assertThat(remaining(instance, "CPU").integerValue()).isEqualTo(4096 - 1024);
        assertThat(remaining(instance, "MEMORY").integerValue()).isEqualTo(4096 - 2048);
    }

    // ---- clientToken ----

    @Test
    void theSameClientTokenAnswersTheSameTasks() {
        prodWithOneInstance();
        List<String> first = arns(run(b -> b.count(2).clientToken("token-1")));

        List<String> again = arns(run(b -> b.count(2).clientToken("token-1")));
        assertThat(again).containsExactlyElementsOf(first);
        assertThat(ecs.listTasks(b -> b.cluster(CLUSTER)).taskArns()).hasSize(2);

        List<String> other = arns(run(b -> b.count(2).clientToken("token-2")));
        assertThat(other).hasSize(2).doesNotContainAnyElementsOf(first);
        assertThat(ecs.listTasks(b -> b.cluster(CLUSTER)).taskArns()).hasSize(4);
    }

    // ---- tags ----

    @Test
    void tasksCarryRequestTagsPropagatedTagsAndManagedTags() {
        prodWithOneInstance();
        ecs.registerTaskDefinition(b -> b.family("web").containerDefinitions(app().build()).tags(tag("team", "core")));

        Task t = run(b -> b.tags(tag("env", "dev")).propagateTags(PropagateTags.TASK_DEFINITION).enableECSManagedTags(true)).get(0);
        List<Tag> expected = List.of(tag("team", "core"), tag("env", "dev"), tag("aws:ecs:clusterName", CLUSTER));

        assertThat(t.tags()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(describeOne(t.taskArn(), TaskField.TAGS).tags()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(ecs.listTagsForResource(b -> b.resourceArn(t.taskArn())).tags()).containsExactlyInAnyOrderElementsOf(expected);

        Task plain = run(b -> b.tags(tag("env", "dev"))).get(0);
        assertThat(describeOne(plain.taskArn(), TaskField.TAGS).tags()).as("nothing propagated or managed unless asked")
                .containsExactly(tag("env", "dev"));
        Task none = runOne();
        assertThat(describeOne(none.taskArn(), TaskField.TAGS).tags()).isEmpty();
    }

    @Test
    void tagResourceWorksOnTasks() {
        prodWithOneInstance();
        Task t = runOne();

        ecs.tagResource(b -> b.resourceArn(t.taskArn()).tags(tag("owner", "alice"), tag("cost", "42")));
        assertThat(describeOne(t.taskArn(), TaskField.TAGS).tags()).containsExactlyInAnyOrder(tag("owner", "alice"), tag("cost", "42"));

        ecs.untagResource(b -> b.resourceArn(t.taskArn()).tagKeys("cost"));
        assertThat(ecs.listTagsForResource(b -> b.resourceArn(t.taskArn())).tags()).containsExactly(tag("owner", "alice"));

        assertEcsError(() -> ecs.tagResource(b -> b.resourceArn(PREFIX + "task/prod/" + "0".repeat(32)).tags(tag("a", "b"))),
                InvalidParameterException.class, "The specified task is stopped or could not be found.");
    }

    // ---- clusters with tasks ----

    @Test
    void clusterCountsFollowTasksAndDeleteClusterWaitsForThemAndTheInstances() {
        String instance = prodWithOneInstance();
        List<String> tasks = arns(run(b -> b.count(2)));
        waitRunning(tasks);

        Cluster c = cluster();
        assertThat(c.runningTasksCount()).isEqualTo(2);
        assertThat(c.pendingTasksCount()).isZero();
        assertThat(c.registeredContainerInstancesCount()).isEqualTo(1);
        assertEcsError(() -> ecs.deleteCluster(b -> b.cluster(CLUSTER)), ClusterContainsTasksException.class,
                "The Cluster cannot be deleted while Tasks are active.");

        tasks.forEach(arn -> ecs.stopTask(b -> b.cluster(CLUSTER).task(arn)));
        waitStopped(tasks);
        c = cluster();
        assertThat(c.runningTasksCount()).isZero();
        assertThat(c.pendingTasksCount()).isZero();
        assertEcsError(() -> ecs.deleteCluster(b -> b.cluster(CLUSTER)), ClusterContainsContainerInstancesException.class,
                "The Cluster cannot be deleted while Container Instances are active or draining.");

        ecs.deregisterContainerInstance(b -> b.cluster(CLUSTER).containerInstance(instance));
        assertThat(cluster().registeredContainerInstancesCount()).isZero();
        assertThat(ecs.deleteCluster(b -> b.cluster(CLUSTER)).cluster().status()).isEqualTo("INACTIVE");
    }

    @Test
    void aTagRefusalLeavesNoTaskBehind() {
        String instance = prodWithOneInstance();
        List<software.amazon.awssdk.services.ecs.model.Tag> thirty = new java.util.ArrayList<>();
        List<software.amazon.awssdk.services.ecs.model.Tag> thirtyMore = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            thirty.add(software.amazon.awssdk.services.ecs.model.Tag.builder().key("td-" + i).value("v").build());
            thirtyMore.add(software.amazon.awssdk.services.ecs.model.Tag.builder().key("run-" + i).value("v").build());
        }
        ecs.registerTaskDefinition(b -> b.family("tagged").tags(thirty)
                .containerDefinitions(ContainerDefinition.builder().name("app").image("nginx").memory(64).build()));
        int memoryBefore = remainingMemory(instance);

        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("tagged").tags(thirtyMore)
                .propagateTags(software.amazon.awssdk.services.ecs.model.PropagateTags.TASK_DEFINITION)),
                InvalidParameterException.class, "A resource can have at most 50 tags; 60 were given.");

        assertThat(ecs.listTasks(b -> b.cluster(CLUSTER)).taskArns()).isEmpty();
        assertThat(remainingMemory(instance)).isEqualTo(memoryBefore);
    }

    private static int remainingMemory(String instance) {
        return ecs.describeContainerInstances(b -> b.cluster(CLUSTER).containerInstances(instance)).containerInstances().get(0)
                .remainingResources().stream().filter(r -> r.name().equals("MEMORY")).findFirst().orElseThrow().integerValue();
    }
}
