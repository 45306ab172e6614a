package dev.ecsemu.api.ecs;

import static dev.ecsemu.api.testing.EcsAssertions.assertEcsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.ModelOnlyIT;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.CPUArchitecture;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.Connectivity;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.OSFamily;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.PlacementStrategyType;
import software.amazon.awssdk.services.ecs.model.PlatformUnknownException;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

/** awsvpc networking and the FARGATE launch type on the model (engine none): validation and the shapes ECS reports. */
class AwsvpcFargateIT extends ModelOnlyIT {
    private static final String CLUSTER = "vpc";
    private static final FixedDelayBackoffStrategy POLL = FixedDelayBackoffStrategy.create(Duration.ofMillis(50));
    private static final NetworkConfiguration NETWORK = network(b -> b.subnets("subnet-0a1b2c3d4e5f60718").securityGroups("sg-0123456789abcdef0"));

    private static NetworkConfiguration network(Consumer<AwsVpcConfiguration.Builder> vpc) {
        return NetworkConfiguration.builder().awsvpcConfiguration(vpc).build();
    }

    private static ContainerDefinition app(String name, int port) {
        return ContainerDefinition.builder().name(name).image("nginx").portMappings(PortMapping.builder().containerPort(port).build()).build();
    }

    /** Family "fg": FARGATE, 256 CPU / 512 MiB, one container "web" on port 80. */
    private static String fargateDefinition(Consumer<RegisterTaskDefinitionRequest.Builder> more) {
        return ecs.registerTaskDefinition(b -> {
            b.family("fg").requiresCompatibilities(Compatibility.FARGATE).networkMode(NetworkMode.AWSVPC).cpu("256").memory("512")
                    .containerDefinitions(app("web", 80));
            more.accept(b);
        }).taskDefinition().taskDefinitionArn();
    }

    private static List<Task> runFargate(Consumer<RunTaskRequest.Builder> request) {
        return ecs.runTask(b -> {
            b.cluster(CLUSTER).taskDefinition("fg").launchType(LaunchType.FARGATE).networkConfiguration(NETWORK);
            request.accept(b);
        }).tasks();
    }

    private static Task running(String arn) {
        ecs.waiter().waitUntilTasksRunning(r -> r.cluster(CLUSTER).tasks(arn), c -> c.waitTimeout(Duration.ofSeconds(10)).backoffStrategy(POLL));
        return describe(arn);
    }

    private static Task describe(String arn) {
        return ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(arn)).tasks().get(0);
    }

    private static Map<String, String> details(Attachment a) {
        return a.details().stream().collect(Collectors.toMap(KeyValuePair::name, KeyValuePair::value));
    }

    @Test
    void aFargateTaskRunsWithoutContainerInstancesAndReportsItsPlatformAndInterface() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        String tdArn = fargateDefinition(b -> { });

        Task created = runFargate(b -> { }).get(0);
        assertThat(created.lastStatus()).isEqualTo("PROVISIONING");
        assertThat(created.launchType()).isEqualTo(LaunchType.FARGATE);
        assertThat(created.containerInstanceArn()).isNull();
        assertThat(created.platformVersion()).isEqualTo("1.4.0");
        assertThat(created.platformFamily()).isEqualTo("Linux");
        assertThat(created.ephemeralStorage().sizeInGiB()).isEqualTo(20);
        assertThat(created.cpu()).isEqualTo("256");
        assertThat(created.memory()).isEqualTo("512");
        assertThat(created.availabilityZone()).matches("us-east-1[abc]");
        assertThat(created.attributes()).extracting(a -> a.name() + "=" + a.value()).containsExactly("ecs.cpu-architecture=x86_64");
        assertThat(created.taskDefinitionArn()).isEqualTo(tdArn);
        Attachment precreated = created.attachments().get(0);
        assertThat(precreated.type()).isEqualTo("ElasticNetworkInterface");
        assertThat(precreated.status()).isEqualTo("PRECREATED");
        assertThat(details(precreated)).containsExactly(Map.entry("subnetId", "subnet-0a1b2c3d4e5f60718"));
        assertThat(created.containers().get(0).networkInterfaces()).isEmpty();

        Task running = running(created.taskArn());
        assertThat(running.connectivity()).isEqualTo(Connectivity.CONNECTED);
        assertThat(running.attachments()).hasSize(1);
        Attachment eni = running.attachments().get(0);
        assertThat(eni.id()).isEqualTo(precreated.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(eni.status()).isEqualTo("ATTACHED");
        Map<String, String> d = details(eni);
        assertThat(d.keySet()).containsExactlyInAnyOrder("subnetId", "networkInterfaceId", "macAddress", "privateDnsName",
                "privateIPv4Address");
        assertThat(d.get("networkInterfaceId")).matches("eni-[0-9a-f]{17}");
        assertThat(d.get("macAddress")).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        String ip = d.get("privateIPv4Address");
        assertThat(ip).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(d.get("privateDnsName")).isEqualTo("ip-" + ip.replace('.', '-') + ".ec2.internal");
        Container web = running.containers().get(0);
        assertThat(web.networkBindings()).isEmpty();
        assertThat(web.networkInterfaces()).hasSize(1);
        assertThat(web.networkInterfaces().get(0).attachmentId()).isEqualTo(eni.id());
        assertThat(web.networkInterfaces().get(0).privateIpv4Address()).isEqualTo(ip);
        assertThat(ecs.describeClusters(b -> b.clusters(CLUSTER)).clusters().get(0).runningTasksCount()).isEqualTo(1);
        assertThat(ecs.listTasks(b -> b.cluster(CLUSTER).launchType(LaunchType.FARGATE)).taskArns()).containsExactly(created.taskArn());

        ecs.stopTask(b -> b.cluster(CLUSTER).task(created.taskArn()));
        ecs.waiter().waitUntilTasksStopped(r -> r.cluster(CLUSTER).tasks(created.taskArn()),
                c -> c.waitTimeout(Duration.ofSeconds(10)).backoffStrategy(POLL));
        Attachment released = describe(created.taskArn()).attachments().get(0);
        assertThat(released.status()).isEqualTo("DELETED");
        assertThat(details(released)).containsEntry("privateIPv4Address", ip);
    }

    @Test
    void everyTaskGetsItsOwnAddressAndTasksSpreadOverTheSubnets() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        fargateDefinition(b -> { });
        List<Task> tasks = runFargate(b -> b.count(4).networkConfiguration(network(v -> v.subnets("subnet-aaaa", "subnet-bbbb"))));

        Set<String> ips = new HashSet<>();
        Set<String> subnets = new HashSet<>();
        for (Task t : tasks) {
            Map<String, String> d = details(running(t.taskArn()).attachments().get(0));
            ips.add(d.get("privateIPv4Address"));
            subnets.add(d.get("subnetId"));
        }
        assertThat(ips).hasSize(4);
        assertThat(subnets).containsExactlyInAnyOrder("subnet-aaaa", "subnet-bbbb");
    }

    @Test
    void outsideUsEast1ThePrivateDnsNameIsTheRegionsComputeInternal() {
        var eu = emu.ecs("AKIAIOSFODNN7EXAMPLE", software.amazon.awssdk.regions.Region.EU_WEST_1);
        eu.createCluster(b -> b.clusterName(CLUSTER));
        eu.registerTaskDefinition(b -> b.family("fg").requiresCompatibilities(Compatibility.FARGATE).networkMode(NetworkMode.AWSVPC)
                .cpu("256").memory("512").containerDefinitions(app("web", 80)));
        Task t = eu.runTask(b -> b.cluster(CLUSTER).taskDefinition("fg").launchType(LaunchType.FARGATE).networkConfiguration(NETWORK))
                .tasks().get(0);
        assertThat(t.availabilityZone()).matches("eu-west-1[abc]");
        eu.waiter().waitUntilTasksRunning(r -> r.cluster(CLUSTER).tasks(t.taskArn()), c -> c.waitTimeout(Duration.ofSeconds(10)).backoffStrategy(POLL));
        Map<String, String> d = details(eu.describeTasks(r -> r.cluster(CLUSTER).tasks(t.taskArn())).tasks().get(0).attachments().get(0));
        assertThat(d.get("privateDnsName")).isEqualTo("ip-" + d.get("privateIPv4Address").replace('.', '-') + ".eu-west-1.compute.internal");
        eu.close();
    }

    @Test
    void platformVersionLatestResolvesTo140AndUnknownVersionsAreRefused() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        fargateDefinition(b -> { });
        assertThat(runFargate(b -> b.platformVersion("LATEST")).get(0).platformVersion()).isEqualTo("1.4.0");
        assertThat(runFargate(b -> b.platformVersion("1.3.0")).get(0).platformVersion()).isEqualTo("1.3.0");
        assertEcsError(() -> runFargate(b -> b.platformVersion("9.9.9")), PlatformUnknownException.class,
                "The specified platform version 9.9.9 does not exist. Use LATEST, 1.4.0 or 1.3.0.");
    }

    @Test
    void ephemeralStorageAndRuntimePlatformAreValidatedAndReported() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        fargateDefinition(b -> b.ephemeralStorage(e -> e.sizeInGiB(100))
                .runtimePlatform(p -> p.cpuArchitecture(CPUArchitecture.ARM64).operatingSystemFamily(OSFamily.LINUX)));
        Task t = runFargate(b -> { }).get(0);
        assertThat(t.ephemeralStorage().sizeInGiB()).isEqualTo(100);
        assertThat(t.attributes()).extracting(a -> a.name() + "=" + a.value()).containsExactly("ecs.cpu-architecture=arm64");
        assertThat(runFargate(b -> b.overrides(o -> o.ephemeralStorage(e -> e.sizeInGiB(150)))).get(0).ephemeralStorage().sizeInGiB())
                .isEqualTo(150);
        assertEcsError(() -> runFargate(b -> b.overrides(o -> o.ephemeralStorage(e -> e.sizeInGiB(20)))), InvalidParameterException.class,
                "The ephemeral storage size must be between 21 GiB and 200 GiB; 20 GiB was given.");
        assertEcsError(() -> fargateDefinition(b -> b.ephemeralStorage(e -> e.sizeInGiB(201))), ClientException.class,
                "The ephemeral storage size must be between 21 GiB and 200 GiB; 201 GiB was given.");
        fargateDefinition(b -> b.runtimePlatform(p -> p.operatingSystemFamily(OSFamily.WINDOWS_SERVER_2022_CORE)).cpu("1024").memory("2048"));
        assertEcsError(() -> runFargate(b -> { }), UnsupportedFeatureException.class,
                "ecs-emu runs Linux containers only; runtimePlatform.operatingSystemFamily WINDOWS_SERVER_2022_CORE is not supported. Use LINUX.");
    }

    @Test
    void taskSizeOverridesMustBeAFargateSize() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        fargateDefinition(b -> { });
        Task bigger = runFargate(b -> b.overrides(o -> o.cpu("512").memory("1024"))).get(0);
        assertThat(bigger.cpu()).isEqualTo("512");
        assertThat(bigger.memory()).isEqualTo("1024");
        assertEcsError(() -> runFargate(b -> b.overrides(o -> o.memory("8192"))), InvalidParameterException.class,
                "No Fargate configuration exists for given values: 256 CPU, 8192 memory. See the Amazon ECS documentation for the valid values.");
        assertThat(ecs.listTasks(b -> b.cluster(CLUSTER)).taskArns()).containsExactly(bigger.taskArn());
    }

    @Test
    void taskSizeOverridesInVcpuAndGbAreNormalised() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        fargateDefinition(b -> { });
        Task t = runFargate(b -> b.overrides(o -> o.cpu("0.5 vCPU").memory("1 GB"))).get(0);
        assertThat(t.cpu()).isEqualTo("512");
        assertThat(t.memory()).isEqualTo("1024");
        assertEcsError(() -> runFargate(b -> b.overrides(o -> o.cpu("half"))), ClientException.class,
                "Invalid 'cpu' setting for task. Got 'half'. Give CPU units (for example 1024) or vCPUs (for example '1 vCPU').");
    }

    @Test
    void fargateRefusesWhatEcsRefuses() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        fargateDefinition(b -> { });
        ecs.registerTaskDefinition(b -> b.family("bridge").containerDefinitions(app("web", 80).toBuilder().memory(64).build()));
        ecs.registerTaskDefinition(b -> b.family("host").networkMode(NetworkMode.HOST).containerDefinitions(app("web", 80).toBuilder()
                .memory(64).build()));
        ecs.registerTaskDefinition(b -> b.family("ec2vpc").networkMode(NetworkMode.AWSVPC).requiresCompatibilities(Compatibility.EC2)
                .containerDefinitions(app("web", 80).toBuilder().memory(64).build()));

        for (String family : List.of("bridge", "host", "ec2vpc")) {
            assertEcsError(() -> runFargate(b -> b.taskDefinition(family)), InvalidParameterException.class,
                    "Task definition does not support launch_type FARGATE.");
        }
        assertEcsError(() -> runFargate(b -> b.placementStrategy(PlacementStrategy.builder().type(PlacementStrategyType.SPREAD)
                .field("attribute:ecs.availability-zone").build())), InvalidParameterException.class,
                "Placement strategies are not supported with FARGATE launch type.");
        assertEcsError(() -> runFargate(b -> b.placementConstraints(PlacementConstraint.builder()
                .type(PlacementConstraintType.DISTINCT_INSTANCE).build())), InvalidParameterException.class,
                "Placement constraints are not supported with FARGATE launch type.");
        assertEcsError(() -> runFargate(b -> b.networkConfiguration((NetworkConfiguration) null)), InvalidParameterException.class,
                "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        assertThat(ecs.listTasks(b -> b.cluster(CLUSTER)).taskArns()).isEmpty();
    }

    @Test
    void awsvpcConfigurationIsValidatedAsEcsDoes() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        fargateDefinition(b -> { });
        assertEcsError(() -> runFargate(b -> b.networkConfiguration(network(v -> v.subnets(List.of())))), InvalidParameterException.class,
                "subnets can not be empty.");
        List<String> seventeen = java.util.stream.IntStream.range(0, 17).mapToObj(i -> "subnet-" + i).toList();
        assertEcsError(() -> runFargate(b -> b.networkConfiguration(network(v -> v.subnets(seventeen)))), InvalidParameterException.class,
                "subnets can have at most 16 items; 17 were given.");
        assertEcsError(() -> runFargate(b -> b.networkConfiguration(network(v -> v.subnets("subnet-1")
                .securityGroups("sg-1", "sg-2", "sg-3", "sg-4", "sg-5", "sg-6")))), InvalidParameterException.class,
                "securityGroups can have at most 5 items; 6 were given.");
        assertEcsError(() -> runFargate(b -> b.networkConfiguration(network(v -> v.subnets("my-subnet")))), InvalidParameterException.class,
                "Error retrieving subnet information for [my-subnet]: The subnet ID 'my-subnet' is malformed (ErrorCode: InvalidSubnetID.Malformed)");
        assertEcsError(() -> runFargate(b -> b.networkConfiguration(network(v -> v.subnets("subnet-1").securityGroups("default")))),
                InvalidParameterException.class, "Error retrieving security group information for [default]: The security group 'default'"
                        + " is malformed (ErrorCode: InvalidGroupId.Malformed)");
        // Fargate may assign a public IP (ecs-emu has none to give: the task keeps its private address only).
        assertThat(runFargate(b -> b.networkConfiguration(network(v -> v.subnets("subnet-1").assignPublicIp(AssignPublicIp.ENABLED)))))
                .hasSize(1);
        assertThat(ecs.listTasks(b -> b.cluster(CLUSTER)).taskArns()).hasSize(1);
    }

    @Test
    void awsvpcTasksOnEc2GetAnInterfaceAndTakeNoHostPorts() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        String instance = emu.emulator().registerInstances(CLUSTER, 1, "m5.large", List.of("us-east-1b")).get(0);
        ecs.registerTaskDefinition(b -> b.family("ec2vpc").networkMode(NetworkMode.AWSVPC)
                .containerDefinitions(app("web", 80).toBuilder().memory(64).build()));
        ecs.registerTaskDefinition(b -> b.family("bridge").containerDefinitions(app("web", 80).toBuilder().memory(64).build()));

        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("ec2vpc")), InvalidParameterException.class,
                "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("ec2vpc").networkConfiguration(network(v -> v
                .subnets("subnet-1").assignPublicIp(AssignPublicIp.ENABLED)))), InvalidParameterException.class,
                "Assign public IP is not supported for this launch type.");
        assertEcsError(() -> ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("bridge").networkConfiguration(NETWORK)),
                InvalidParameterException.class, "Network Configuration is not valid for the given networkMode of this task definition.");

        // Two tasks with container port 80 on one instance: each has its own interface, so no port conflict.
        List<Task> tasks = ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("ec2vpc").count(2).networkConfiguration(NETWORK)).tasks();
        assertThat(tasks).hasSize(2);
        for (Task t : tasks) {
            assertThat(t.launchType()).isEqualTo(LaunchType.EC2);
            assertThat(t.containerInstanceArn()).isEqualTo(instance);
            assertThat(t.availabilityZone()).isEqualTo("us-east-1b");
            assertThat(t.platformVersion()).isNull();
            Task running = running(t.taskArn());
            assertThat(running.attachments().get(0).status()).isEqualTo("ATTACHED");
            assertThat(running.containers().get(0).networkInterfaces()).hasSize(1);
        }
    }

    @Test
    void aFargateServiceRunsItsTasksOnFargateAndKeepsPlatformVersionLatest() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        fargateDefinition(b -> { });
        Service created = ecs.createService(b -> b.cluster(CLUSTER).serviceName("api").taskDefinition("fg").desiredCount(2)
                .launchType(LaunchType.FARGATE).networkConfiguration(NETWORK)).service();
        assertThat(created.launchType()).isEqualTo(LaunchType.FARGATE);
        assertThat(created.platformVersion()).isEqualTo("LATEST");
        assertThat(created.platformFamily()).isEqualTo("Linux");
        assertThat(created.networkConfiguration()).isEqualTo(NETWORK);

        ecs.waiter().waitUntilServicesStable(r -> r.cluster(CLUSTER).services("api"),
                c -> c.waitTimeout(Duration.ofSeconds(60)).backoffStrategy(POLL));
        List<String> arns = ecs.listTasks(b -> b.cluster(CLUSTER).serviceName("api")).taskArns();
        assertThat(arns).hasSize(2);
        for (Task t : ecs.describeTasks(b -> b.cluster(CLUSTER).tasks(arns)).tasks()) {
            assertThat(t.launchType()).isEqualTo(LaunchType.FARGATE);
            assertThat(t.platformVersion()).isEqualTo("1.4.0");
            assertThat(t.group()).isEqualTo("service:api");
            assertThat(t.attachments().get(0).status()).isEqualTo("ATTACHED");
        }
        assertThat(ecs.listServices(b -> b.cluster(CLUSTER).launchType(LaunchType.FARGATE)).serviceArns()).hasSize(1);
    }

    @Test
    void createAndUpdateServiceRefuseWhatFargateAndAwsvpcRefuse() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        fargateDefinition(b -> { });
        ecs.registerTaskDefinition(b -> b.family("bridge").containerDefinitions(app("web", 80).toBuilder().memory(64).build()));

        assertEcsError(() -> ecs.createService(b -> b.cluster(CLUSTER).serviceName("s").taskDefinition("fg").desiredCount(1)
                .launchType(LaunchType.FARGATE)), InvalidParameterException.class,
                "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        assertEcsError(() -> ecs.createService(b -> b.cluster(CLUSTER).serviceName("s").taskDefinition("bridge").desiredCount(1)
                .launchType(LaunchType.FARGATE)), InvalidParameterException.class, "Task definition does not support launch_type FARGATE.");
        assertEcsError(() -> ecs.createService(b -> b.cluster(CLUSTER).serviceName("s").taskDefinition("fg").desiredCount(1)
                .launchType(LaunchType.FARGATE).networkConfiguration(NETWORK).placementStrategy(PlacementStrategy.builder()
                        .type(PlacementStrategyType.RANDOM).build())), InvalidParameterException.class,
                "Placement strategies are not supported with FARGATE launch type.");
        assertEcsError(() -> ecs.createService(b -> b.cluster(CLUSTER).serviceName("s").taskDefinition("fg").desiredCount(1)
                .launchType(LaunchType.FARGATE).networkConfiguration(NETWORK).platformVersion("0.1.0")), PlatformUnknownException.class,
                "The specified platform version 0.1.0 does not exist. Use LATEST, 1.4.0 or 1.3.0.");

        ecs.createService(b -> b.cluster(CLUSTER).serviceName("s").taskDefinition("fg").desiredCount(0).launchType(LaunchType.FARGATE)
                .networkConfiguration(NETWORK));
        assertEcsError(() -> ecs.updateService(b -> b.cluster(CLUSTER).service("s").taskDefinition("bridge")),
                InvalidParameterException.class, "Task definition does not support launch_type FARGATE.");
        assertEcsError(() -> ecs.updateService(b -> b.cluster(CLUSTER).service("s").networkConfiguration(network(v -> v.subnets(
                Collections.emptyList())))), InvalidParameterException.class, "subnets can not be empty.");
        Service updated = ecs.updateService(b -> b.cluster(CLUSTER).service("s").platformVersion("1.4.0")).service();
        assertThat(updated.platformVersion()).isEqualTo("1.4.0");
    }
}
