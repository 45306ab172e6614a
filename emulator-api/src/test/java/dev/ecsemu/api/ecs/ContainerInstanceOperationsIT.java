package dev.ecsemu.api.ecs;

import static dev.ecsemu.api.testing.EcsAssertions.assertEcsError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ecsemu.api.testing.ModelOnlyIT;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterContainsTasksException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerCondition;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerDependency;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceField;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.DescribeContainerInstancesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.HealthCheck;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListContainerInstancesResponse;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

class ContainerInstanceOperationsIT extends ModelOnlyIT {
    private static final String PREFIX = "arn:aws:ecs:us-east-1:000000000000:";
    private static final List<String> RESERVED_PORTS = List.of("22", "2375", "2376", "51678", "51679");
    /** Waiters poll every 25 ms here (ECS's own delay is 6 s), giving up after 15 s. */
    static final WaiterOverrideConfiguration FAST = WaiterOverrideConfiguration.builder()
            .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(25)))
            .maxAttempts(600)
            .waitTimeout(Duration.ofSeconds(15))
            .build();

    // ---- helpers ----

    static String identity(String instanceId, String instanceType, String availabilityZone) {
        return "{\"accountId\":\"000000000000\",\"architecture\":\"x86_64\",\"availabilityZone\":\"" + availabilityZone + "\","
                + "\"billingProducts\":null,\"devpayProductCodes\":null,\"marketplaceProductCodes\":null,"
                + "\"imageId\":\"ami-0abcdef1234567890\",\"instanceId\":\"" + instanceId + "\",\"instanceType\":\"" + instanceType + "\","
                + "\"kernelId\":null,\"pendingTime\":\"2025-03-01T10:00:00Z\",\"privateIp\":\"10.0.1.23\",\"ramdiskId\":null,"
                + "\"region\":\"us-east-1\",\"version\":\"2017-09-30\"}";
    }

    static Resource cpuMemory(String name, int value) {
        return Resource.builder().name(name).type("INTEGER").integerValue(value).build();
    }

    /** A resource exactly as ECS reports it in registeredResources / remainingResources. */
    static Resource integer(String name, int value) {
        return Resource.builder().name(name).type("INTEGER").doubleValue(0.0).longValue(0L).integerValue(value).build();
    }

    static Resource stringSet(String name, List<String> values) {
        return Resource.builder().name(name).type("STRINGSET").doubleValue(0.0).longValue(0L).integerValue(0).stringSetValue(values)
                .build();
    }

    static List<String> ports(String... extra) {
        List<String> out = new ArrayList<>(RESERVED_PORTS);
        out.addAll(List.of(extra));
        out.sort((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        return out;
    }

    static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    static Map<String, String> attributes(ContainerInstance ci) {
        Map<String, String> out = new HashMap<>();
        ci.attributes().forEach(a -> out.put(a.name(), a.value()));
        return out;
    }

    private static String register(String cluster, String instanceId, int cpu, int memory) {
        return ecs.registerContainerInstance(b -> b.cluster(cluster)
                .instanceIdentityDocument(identity(instanceId, "c5.xlarge", "us-east-1b"))
                .totalResources(cpuMemory("CPU", cpu), cpuMemory("MEMORY", memory)))
                .containerInstance().containerInstanceArn();
    }

    private static ContainerInstance describeOne(String cluster, String arn, ContainerInstanceField... include) {
        DescribeContainerInstancesResponse r = ecs.describeContainerInstances(b -> b.cluster(cluster).containerInstances(arn).include(include));
        assertThat(r.failures()).isEmpty();
        assertThat(r.containerInstances()).hasSize(1);
        return r.containerInstances().get(0);
    }

    private static void waitRunning(String cluster, String taskArn) {
        ecs.waiter().waitUntilTasksRunning(DescribeTasksRequest.builder().cluster(cluster).tasks(taskArn).build(), FAST)
                .matched().response().orElseThrow();
    }

    private static void waitStopped(String cluster, List<String> taskArns) {
        ecs.waiter().waitUntilTasksStopped(DescribeTasksRequest.builder().cluster(cluster).tasks(taskArns).build(), FAST)
                .matched().response().orElseThrow();
    }

    private static Task startOn(String cluster, String family, String instanceArn) {
        var r = ecs.startTask(b -> b.cluster(cluster).taskDefinition(family).containerInstances(instanceArn));
        assertThat(r.failures()).isEmpty();
        assertThat(r.tasks()).hasSize(1);
        return r.tasks().get(0);
    }

    // ---- RegisterContainerInstance ----

    @Test
    void registerTakesIdentityResourcesAttributesAndTags() {
        ecs.createCluster(b -> b.clusterName("prod"));

        ContainerInstance ci = ecs.registerContainerInstance(b -> b.cluster("prod")
                .instanceIdentityDocument(identity("i-0123456789abcdef0", "c5.xlarge", "us-east-1c"))
                .totalResources(cpuMemory("CPU", 4096), cpuMemory("MEMORY", 7680))
                .attributes(Attribute.builder().name("stack").value("blue").build())
                .tags(tag("team", "core"))).containerInstance();

        assertThat(ci.containerInstanceArn()).matches(PREFIX.replace(".", "\\.") + "container-instance/prod/[0-9a-f]{32}");
        assertThat(ci.ec2InstanceId()).isEqualTo("i-0123456789abcdef0");
        assertThat(ci.status()).isEqualTo("ACTIVE");
        assertThat(ci.agentConnected()).isTrue();
        assertThat(ci.runningTasksCount()).isZero();
        assertThat(ci.pendingTasksCount()).isZero();
        assertThat(ci.registeredAt()).isNotNull();
        assertThat(ci.version()).isPositive();
        assertThat(ci.versionInfo().agentVersion()).isNotBlank();
        assertThat(ci.registeredResources()).containsExactly(integer("CPU", 4096), integer("MEMORY", 7680),
                stringSet("PORTS", RESERVED_PORTS), stringSet("PORTS_UDP", List.of()));
        assertThat(ci.remainingResources()).isEqualTo(ci.registeredResources());
        assertThat(attributes(ci)).containsEntry("ecs.instance-type", "c5.xlarge")
                .containsEntry("ecs.availability-zone", "us-east-1c")
                .containsEntry("ecs.os-type", "linux")
                .containsEntry("ecs.cpu-architecture", "x86_64")
                .containsEntry("stack", "blue");
        assertThat(ci.tags()).containsExactly(tag("team", "core"));

        Cluster cluster = ecs.describeClusters(b -> b.clusters("prod")).clusters().get(0);
        assertThat(cluster.registeredContainerInstancesCount()).isEqualTo(1);
        assertThat(ecs.listTagsForResource(b -> b.resourceArn(ci.containerInstanceArn())).tags()).containsExactly(tag("team", "core"));
    }

    @Test
    void withoutResourcesTheInstanceTypesAreRegisteredAndArmTypesAreArm64() {
        ecs.createCluster(b -> b.clusterName("prod"));

        ContainerInstance c5 = ecs.registerContainerInstance(b -> b.cluster("prod")
                .instanceIdentityDocument(identity("i-1", "c5.large", "us-east-1a"))).containerInstance();
        ContainerInstance graviton = ecs.registerContainerInstance(b -> b.cluster("prod")
                .instanceIdentityDocument(identity("i-2", "m6g.large", "us-east-1a"))).containerInstance();

        // 2 vCPUs; 4 GiB less the 5 % the agent keeps for the host.
        assertThat(c5.registeredResources()).startsWith(integer("CPU", 2048), integer("MEMORY", 4096 - 204));
        assertThat(attributes(c5)).containsEntry("ecs.cpu-architecture", "x86_64");
        assertThat(attributes(graviton)).containsEntry("ecs.cpu-architecture", "arm64").containsEntry("ecs.instance-type", "m6g.large");
    }

    @Test
    void anUnknownInstanceTypeNeedsExplicitResources() {
        ecs.createCluster(b -> b.clusterName("prod"));

        InvalidParameterException e = catchThrowableOfType(InvalidParameterException.class, () -> ecs.registerContainerInstance(b -> b
                .cluster("prod").instanceIdentityDocument(identity("i-1", "x9.huge", "us-east-1a"))));
        assertThat(e).isNotNull();
        assertThat(e.awsErrorDetails().errorMessage()).contains("x9.huge", "CPU", "MEMORY");

        ContainerInstance ci = ecs.registerContainerInstance(b -> b.cluster("prod")
                .instanceIdentityDocument(identity("i-1", "x9.huge", "us-east-1a"))
                .totalResources(cpuMemory("CPU", 8192), cpuMemory("MEMORY", 1000))).containerInstance();
        assertThat(ci.registeredResources()).startsWith(integer("CPU", 8192), integer("MEMORY", 1000));
        assertThat(attributes(ci)).containsEntry("ecs.instance-type", "x9.huge");
    }

    @Test
    void aBrokenIdentityDocumentIsRefused() {
        ecs.createCluster(b -> b.clusterName("prod"));
        InvalidParameterException e = catchThrowableOfType(InvalidParameterException.class,
                () -> ecs.registerContainerInstance(b -> b.cluster("prod").instanceIdentityDocument("{not json")));
        assertThat(e).isNotNull();
        assertThat(e.awsErrorDetails().errorMessage()).startsWith("instanceIdentityDocument is not valid JSON");
        assertEcsError(() -> ecs.registerContainerInstance(b -> b.cluster("prod").instanceIdentityDocument("[1]")),
                InvalidParameterException.class, "instanceIdentityDocument must be a JSON object.");
        assertThat(ecs.listContainerInstances(b -> b.cluster("prod")).containerInstanceArns()).isEmpty();
    }

    @Test
    void registeringIntoTheDefaultClusterCreatesIt() {
        assertThat(ecs.listClusters().clusterArns()).isEmpty();

        String arn = ecs.registerContainerInstance(b -> b.instanceIdentityDocument(identity("i-1", "t3.small", "us-east-1a")))
                .containerInstance().containerInstanceArn();

        assertThat(arn).startsWith(PREFIX + "container-instance/default/");
        assertThat(ecs.listClusters().clusterArns()).containsExactly(PREFIX + "cluster/default");
        assertThat(ecs.listContainerInstances().containerInstanceArns()).containsExactly(arn);
        assertThat(ecs.describeClusters().clusters().get(0).registeredContainerInstancesCount()).isEqualTo(1);

        // Named explicitly, "default" is found (not created twice).
        String second = register("default", "i-2", 1024, 1024);
        assertThat(ecs.listContainerInstances(b -> b.cluster("default")).containerInstanceArns()).containsExactlyInAnyOrder(arn, second);
    }

    @Test
    void registeringIntoAnotherMissingClusterIsRefused() {
        assertEcsError(() -> register("nope", "i-1", 1024, 1024), ClusterNotFoundException.class, "Cluster not found.");
        ecs.createCluster(b -> b.clusterName("gone"));
        ecs.deleteCluster(b -> b.cluster("gone"));
        assertEcsError(() -> register("gone", "i-1", 1024, 1024), ClusterNotFoundException.class, "Cluster not found.");
        assertThat(ecs.listClusters().clusterArns()).isEmpty();
    }

    // ---- DescribeContainerInstances ----

    @Test
    void describeReportsResourcesAndCountsAsTasksComeAndGo() {
        ecs.createCluster(b -> b.clusterName("prod"));
        String arn = register("prod", "i-1", 4096, 7680);
        ecs.registerTaskDefinition(b -> b.family("web").containerDefinitions(ContainerDefinition.builder().name("app").image("nginx")
                .cpu(256).memory(512).portMappings(
                        PortMapping.builder().containerPort(80).hostPort(8080).build(),
                        PortMapping.builder().containerPort(53).hostPort(5353).protocol(TransportProtocol.UDP).build(),
                        PortMapping.builder().containerPort(9000).build())
                .build()));

        Task task = startOn("prod", "web", arn);
        waitRunning("prod", task.taskArn());

        ContainerInstance running = describeOne("prod", arn);
        assertThat(running.registeredResources()).containsExactly(integer("CPU", 4096), integer("MEMORY", 7680),
                stringSet("PORTS", RESERVED_PORTS), stringSet("PORTS_UDP", List.of()));
        assertThat(running.remainingResources()).as("dynamic port 9000 takes no fixed host port").containsExactly(
                integer("CPU", 4096 - 256), integer("MEMORY", 7680 - 512),
                stringSet("PORTS", ports("8080")), stringSet("PORTS_UDP", List.of("5353")));
        assertThat(running.runningTasksCount()).isEqualTo(1);
        assertThat(running.pendingTasksCount()).isZero();

        ecs.stopTask(b -> b.cluster("prod").task(task.taskArn()));
        waitStopped("prod", List.of(task.taskArn()));

        ContainerInstance after = describeOne("prod", arn);
        assertThat(after.remainingResources()).isEqualTo(after.registeredResources());
        assertThat(after.runningTasksCount()).isZero();
        assertThat(after.pendingTasksCount()).isZero();
    }

    @Test
    void aTaskWaitingForItsDependenciesCountsAsPending() {
        ecs.createCluster(b -> b.clusterName("prod"));
        String arn = register("prod", "i-1", 4096, 7680);
        // Engine none never reports health, so app waits for db to be HEALTHY for ever.
        ecs.registerTaskDefinition(b -> b.family("waits").containerDefinitions(
                ContainerDefinition.builder().name("db").image("postgres").memory(256)
                        .healthCheck(HealthCheck.builder().command("CMD-SHELL", "pg_isready").build()).build(),
                ContainerDefinition.builder().name("app").image("nginx").memory(128)
                        .dependsOn(ContainerDependency.builder().containerName("db").condition(ContainerCondition.HEALTHY).build())
                        .build()));
        Task task = startOn("prod", "waits", arn);
        awaitContainerRunning(task.taskArn(), "db");

        ContainerInstance ci = describeOne("prod", arn);
        assertThat(ci.pendingTasksCount()).isEqualTo(1);
        assertThat(ci.runningTasksCount()).isZero();
        assertThat(ci.remainingResources()).startsWith(integer("CPU", 4096), integer("MEMORY", 7680 - 384));
        Cluster cluster = ecs.describeClusters(b -> b.clusters("prod")).clusters().get(0);
        assertThat(cluster.pendingTasksCount()).isEqualTo(1);
        assertThat(cluster.runningTasksCount()).isZero();
    }

    private static void awaitContainerRunning(String taskArn, String container) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Task t = ecs.describeTasks(b -> b.cluster("prod").tasks(taskArn)).tasks().get(0);
            if (t.containers().stream().anyMatch(c -> c.name().equals(container) && "RUNNING".equals(c.lastStatus()))) {
                assertThat(t.lastStatus()).isEqualTo("ACTIVATING");
                return;
            }
            sleep(20);
        }
        throw new AssertionError("container " + container + " of " + taskArn + " did not start");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void describeWithTagsAndMissingInstances() {
        ecs.createCluster(b -> b.clusterName("prod"));
        String arn = ecs.registerContainerInstance(b -> b.cluster("prod")
                .instanceIdentityDocument(identity("i-1", "m5.large", "us-east-1a")).tags(tag("env", "dev")))
                .containerInstance().containerInstanceArn();
        String missing = PREFIX + "container-instance/prod/" + "0".repeat(32);
        String id = arn.substring(arn.lastIndexOf('/') + 1);

        DescribeContainerInstancesResponse plain = ecs.describeContainerInstances(b -> b.cluster("prod").containerInstances(arn, missing));
        assertThat(plain.containerInstances()).singleElement().satisfies(ci -> {
            assertThat(ci.containerInstanceArn()).isEqualTo(arn);
            assertThat(ci.hasTags()).as("tags only when asked for").isFalse();
        });
        assertThat(plain.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).isEqualTo(missing);
            assertThat(f.reason()).isEqualTo("MISSING");
        });

        ContainerInstance tagged = describeOne("prod", id, ContainerInstanceField.TAGS);
        assertThat(tagged.containerInstanceArn()).as("found by its id").isEqualTo(arn);
        assertThat(tagged.tags()).containsExactly(tag("env", "dev"));

        // An instance of another cluster is missing here.
        ecs.createCluster(b -> b.clusterName("other"));
        assertThat(ecs.describeContainerInstances(b -> b.cluster("other").containerInstances(arn)).failures())
                .singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("MISSING"));
        assertEcsError(() -> ecs.describeContainerInstances(b -> b.cluster("nope").containerInstances(arn)),
                ClusterNotFoundException.class, "Cluster not found.");
    }

    // ---- ListContainerInstances ----

    @Test
    void listFiltersByStatusAndPages() {
        ecs.createCluster(b -> b.clusterName("prod"));
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            arns.add(register("prod", "i-" + i, 1024, 1024));
        }
        List<String> sorted = new ArrayList<>(arns);
        sorted.sort(null);

        assertThat(ecs.listContainerInstances(b -> b.cluster("prod")).containerInstanceArns()).containsExactlyElementsOf(sorted);
        assertThat(ecs.listContainerInstances(b -> b.cluster("prod").status(ContainerInstanceStatus.ACTIVE)).containerInstanceArns())
                .containsExactlyElementsOf(sorted);
        assertThat(ecs.listContainerInstances(b -> b.cluster("prod").status(ContainerInstanceStatus.DRAINING)).containerInstanceArns())
                .isEmpty();

        List<String> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListContainerInstancesResponse page = ecs.listContainerInstances(b -> b.cluster("prod").maxResults(2).nextToken(t));
            assertThat(page.containerInstanceArns()).hasSizeLessThanOrEqualTo(2);
            paged.addAll(page.containerInstanceArns());
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(paged).containsExactlyElementsOf(sorted);

        ecs.deregisterContainerInstance(b -> b.cluster("prod").containerInstance(sorted.get(0)));
        assertThat(ecs.listContainerInstances(b -> b.cluster("prod")).containerInstanceArns())
                .as("deregistered instances are not listed").containsExactlyElementsOf(sorted.subList(1, 5));
    }

    @Test
    void listFiltersWithTheClusterQueryLanguageAndRefusesBadInput() {
        ecs.createCluster(b -> b.clusterName("prod"));
        String c5 = register("prod", "i-1", 1024, 1024);
        String t3 = ecs.registerContainerInstance(b -> b.cluster("prod")
                .instanceIdentityDocument(identity("i-2", "t3.small", "us-east-1a"))).containerInstance().containerInstanceArn();
        assertThat(ecs.listContainerInstances(b -> b.cluster("prod").filter("attribute:ecs.instance-type == t3.small"))
                .containerInstanceArns()).containsExactly(t3);
        assertThat(ecs.listContainerInstances(b -> b.cluster("prod")
                .filter("attribute:ecs.availability-zone in [us-east-1b, us-east-1c] and ec2InstanceId == i-1"))
                .containerInstanceArns()).containsExactly(c5);
        assertThat(ecs.listContainerInstances(b -> b.cluster("prod").filter("not(attribute:ecs.instance-type =~ t3.*)"))
                .containerInstanceArns()).containsExactly(c5);
        InvalidParameterException bad = org.junit.jupiter.api.Assertions.assertThrows(InvalidParameterException.class,
                () -> ecs.listContainerInstances(b -> b.cluster("prod").filter("attribute:ecs.instance-type =!= t3.small")));
        assertThat(bad.awsErrorDetails().errorMessage()).startsWith("Invalid expression 'attribute:ecs.instance-type =!= t3.small'")
                .contains("unknown operator '=!='");
        assertEcsError(() -> ecs.listContainerInstances(b -> b.cluster("prod").maxResults(101)), InvalidParameterException.class,
                "maxResults must be between 1 and 100 (was 101).");
        assertEcsError(() -> ecs.listContainerInstances(b -> b.cluster("nope")), ClusterNotFoundException.class, "Cluster not found.");
    }

    // ---- DeregisterContainerInstance ----

    @Test
    void deregisterAnIdleInstance() {
        ecs.createCluster(b -> b.clusterName("prod"));
        String arn = register("prod", "i-1", 1024, 1024);

        ContainerInstance gone = ecs.deregisterContainerInstance(b -> b.cluster("prod").containerInstance(arn)).containerInstance();

        assertThat(gone.containerInstanceArn()).isEqualTo(arn);
        assertThat(gone.status()).isEqualTo("INACTIVE");
        ContainerInstance described = describeOne("prod", arn);
        assertThat(described.status()).isEqualTo("INACTIVE");
        assertThat(described.agentConnected()).isFalse();
        assertThat(ecs.describeClusters(b -> b.clusters("prod")).clusters().get(0).registeredContainerInstancesCount()).isZero();
        // With it gone, the cluster can be deleted.
        assertThat(ecs.deleteCluster(b -> b.cluster("prod")).cluster().status()).isEqualTo("INACTIVE");
    }

    @Test
    void deregisterWithTasksNeedsForceWhichStopsThem() {
        ecs.createCluster(b -> b.clusterName("prod"));
        String arn = register("prod", "i-1", 4096, 4096);
        ecs.registerTaskDefinition(b -> b.family("web").containerDefinitions(
                ContainerDefinition.builder().name("app").image("nginx").memory(256).build()));
        Task a = startOn("prod", "web", arn);
        Task b2 = startOn("prod", "web", arn);
        waitRunning("prod", a.taskArn());
        waitRunning("prod", b2.taskArn());

        assertEcsError(() -> ecs.deregisterContainerInstance(b -> b.cluster("prod").containerInstance(arn)),
                InvalidParameterException.class, "Found running tasks on the instance. Stop them first, or deregister with force.");
        assertThat(describeOne("prod", arn).status()).isEqualTo("ACTIVE");
        assertEcsError(() -> ecs.deleteCluster(b -> b.cluster("prod")), ClusterContainsTasksException.class,
                "The Cluster cannot be deleted while Tasks are active.");

        ContainerInstance gone = ecs.deregisterContainerInstance(b -> b.cluster("prod").containerInstance(arn).force(true))
                .containerInstance();
        assertThat(gone.status()).isEqualTo("INACTIVE");

        waitStopped("prod", List.of(a.taskArn(), b2.taskArn()));
        List<Task> stopped = ecs.describeTasks(b -> b.cluster("prod").tasks(a.taskArn(), b2.taskArn())).tasks();
        assertThat(stopped).hasSize(2).allSatisfy(t -> {
            assertThat(t.lastStatus()).isEqualTo("STOPPED");
            assertThat(t.desiredStatus()).isEqualTo("STOPPED");
            assertThat(t.stopCode()).isEqualTo(TaskStopCode.TERMINATION_NOTICE);
            assertThat(t.stoppedReason()).isEqualTo("Container instance deregistration forced by user");
        });
        ContainerInstance after = describeOne("prod", arn);
        assertThat(after.status()).isEqualTo("INACTIVE");
        assertThat(after.runningTasksCount()).isZero();
        assertThat(after.remainingResources()).startsWith(integer("CPU", 4096), integer("MEMORY", 4096));
        assertThat(ecs.listContainerInstances(b -> b.cluster("prod")).containerInstanceArns()).isEmpty();
        assertEcsError(() -> ecs.runTask(b -> b.cluster("prod").taskDefinition("web")), InvalidParameterException.class,
                "No Container Instances were found in your cluster.");
    }

    @Test
    void deregisterAnUnknownInstanceIsRefused() {
        ecs.createCluster(b -> b.clusterName("prod"));
        String missing = PREFIX + "container-instance/prod/" + "0".repeat(32);
        assertEcsError(() -> ecs.deregisterContainerInstance(b -> b.cluster("prod").containerInstance(missing)),
                InvalidParameterException.class, "The referenced container instance " + missing + " was not found.");
        assertEcsError(() -> ecs.deregisterContainerInstance(b -> b.cluster("nope").containerInstance(missing)),
                ClusterNotFoundException.class, "Cluster not found.");
    }
}
