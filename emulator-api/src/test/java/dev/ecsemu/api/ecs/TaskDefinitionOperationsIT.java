package dev.ecsemu.api.ecs;

import static dev.ecsemu.api.testing.EcsAssertions.assertEcsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.ModelOnlyIT;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerCondition;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.CPUArchitecture;
import software.amazon.awssdk.services.ecs.model.DeleteTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.DeviceCgroupPermission;
import software.amazon.awssdk.services.ecs.model.EFSAuthorizationConfigIAM;
import software.amazon.awssdk.services.ecs.model.EFSTransitEncryption;
import software.amazon.awssdk.services.ecs.model.EnvironmentFileType;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.FirelensConfigurationType;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.IpcMode;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionFamiliesResponse;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.OSFamily;
import software.amazon.awssdk.services.ecs.model.PidMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.ProxyConfigurationType;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.ResourceType;
import software.amazon.awssdk.services.ecs.model.Scope;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionFamilyStatus;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;
import software.amazon.awssdk.services.ecs.model.UlimitName;
import software.amazon.awssdk.services.ecs.model.VersionConsistency;

class TaskDefinitionOperationsIT extends ModelOnlyIT {
    private static final String TD_PREFIX = "arn:aws:ecs:us-east-1:000000000000:task-definition/";
    private static final String UNABLE = "Unable to describe task definition.";

    // ---- helpers ----

    private static ContainerDefinition container(String name) {
        return ContainerDefinition.builder().name(name).image("nginx:1.27").memory(128).build();
    }

    /** A minimal EC2 (bridge) registration of one container. */
    private static TaskDefinition register(String family) {
        return ecs.registerTaskDefinition(b -> b.family(family).containerDefinitions(container("app"))).taskDefinition();
    }

    private static TaskDefinition register(Consumer<RegisterTaskDefinitionRequest.Builder> request) {
        return ecs.registerTaskDefinition(request).taskDefinition();
    }

    private static TaskDefinition register(RegisterTaskDefinitionRequest.Builder request) {
        return ecs.registerTaskDefinition(request.build()).taskDefinition();
    }

    private static RegisterTaskDefinitionRequest.Builder fargate() {
        return RegisterTaskDefinitionRequest.builder().family("fg").requiresCompatibilities(Compatibility.FARGATE)
                .networkMode(NetworkMode.AWSVPC).cpu("256").memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("nginx").build());
    }

    @Test
    void fargateLogsWithAwslogsOrSplunkOrFirelensAndAwslogsNeedsTheExecutionRole() {
        for (LogDriver driver : List.of(LogDriver.AWSLOGS, LogDriver.SPLUNK, LogDriver.AWSFIRELENS)) {
            TaskDefinition td = register(fargate().family("logs-" + driver).executionRoleArn("arn:aws:iam::000000000000:role/exec")
                    .containerDefinitions(ContainerDefinition.builder().name("app").image("nginx")
                            .logConfiguration(l -> l.logDriver(driver).options(Map.of("awslogs-group", "/ecs/app"))).build()));
            assertThat(td.compatibilities()).contains(Compatibility.FARGATE);
            assertThat(td.containerDefinitions().get(0).logConfiguration().logDriver()).isEqualTo(driver);
        }
        // Only awslogs needs the role; the same definition for EC2 needs none (the instance role writes the logs).
        assertThat(register(fargate().family("splunk-no-role").containerDefinitions(ContainerDefinition.builder().name("app")
                .image("nginx").logConfiguration(l -> l.logDriver(LogDriver.SPLUNK)).build())).revision()).isEqualTo(1);
        assertThat(register(RegisterTaskDefinitionRequest.builder().family("ec2-awslogs").containerDefinitions(
                ContainerDefinition.builder().name("app").image("nginx").memory(64)
                        .logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS)).build())).revision()).isEqualTo(1);
    }

    private static void refused(RegisterTaskDefinitionRequest.Builder request, String message) {
        assertEcsError(() -> ecs.registerTaskDefinition(request.build()), ClientException.class, message);
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static KeyValuePair kv(String name, String value) {
        return KeyValuePair.builder().name(name).value(value).build();
    }

    private static String arn(String familyAndRevision) {
        return TD_PREFIX + familyAndRevision;
    }

    /** Asserts that every member of the pojo is set (lists and maps present), so a round trip covers them all. */
    private static void assertEveryMemberSet(SdkPojo pojo) {
        for (SdkField<?> f : pojo.sdkFields()) {
            Object v = f.getValueOrDefault(pojo);
            assertThat(v).as("member %s of %s is set", f.memberName(), pojo.getClass().getSimpleName()).isNotNull();
            assertThat(v).as("member %s is present", f.memberName()).isNotInstanceOf(SdkAutoConstructList.class)
                    .isNotInstanceOf(SdkAutoConstructMap.class);
        }
    }

    /** Every member a RegisterTaskDefinitionRequest shares with TaskDefinition comes back unchanged. */
    private static void assertSharedMembersEqual(RegisterTaskDefinitionRequest request, TaskDefinition td) {
        Map<String, SdkField<?>> tdFields = new java.util.HashMap<>();
        td.sdkFields().forEach(f -> tdFields.put(f.memberName(), f));
        int compared = 0;
        for (SdkField<?> f : request.sdkFields()) {
            if (f.memberName().equals("tags")) {
                continue;
            }
            SdkField<?> t = tdFields.get(f.memberName());
            assertThat(t).as("TaskDefinition has member %s", f.memberName()).isNotNull();
            assertThat(t.getValueOrDefault(td)).as(f.memberName()).isEqualTo(f.getValueOrDefault(request));
            compared++;
        }
        assertThat(compared).isEqualTo(request.sdkFields().size() - 1);
    }

    private static RegisterTaskDefinitionRequest richRequest() {
        ContainerDefinition main = ContainerDefinition.builder()
                .name("web")
                .image("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.2.3")
                .repositoryCredentials(r -> r.credentialsParameter("arn:aws:secretsmanager:us-east-1:000000000000:secret:creds"))
                .cpu(512)
                .memory(1024)
                .memoryReservation(512)
                .links("sidecar")
                .portMappings(PortMapping.builder().containerPort(8080).hostPort(8080).protocol(TransportProtocol.TCP)
                                .name("http").appProtocol("http").build(),
                        PortMapping.builder().containerPort(9000).hostPort(9000).protocol(TransportProtocol.UDP).build())
                .essential(true)
                .restartPolicy(r -> r.enabled(true).ignoredExitCodes(0, 143).restartAttemptPeriod(300))
                .entryPoint("/bin/sh", "-c")
                .command("exec web --port 8080")
                .environment(kv("MODE", "prod"), kv("EMPTY", ""))
                .environmentFiles(f -> f.value("arn:aws:s3:::bucket/web.env").type(EnvironmentFileType.S3))
                .mountPoints(m -> m.sourceVolume("data").containerPath("/data").readOnly(false))
                .volumesFrom(v -> v.sourceContainer("sidecar").readOnly(true))
                .linuxParameters(l -> l.capabilities(c -> c.add("NET_ADMIN").drop("MKNOD"))
                        .devices(d -> d.hostPath("/dev/fuse").containerPath("/dev/fuse")
                                .permissions(DeviceCgroupPermission.READ, DeviceCgroupPermission.WRITE))
                        .initProcessEnabled(true)
                        .sharedMemorySize(64)
                        .tmpfs(t -> t.containerPath("/tmp").size(128).mountOptions("rw", "noexec"))
                        .maxSwap(1024)
                        .swappiness(60))
                .secrets(s -> s.name("DB_PASSWORD").valueFrom("arn:aws:ssm:us-east-1:000000000000:parameter/db"))
                .dependsOn(d -> d.containerName("sidecar").condition(ContainerCondition.HEALTHY))
                .startTimeout(60)
                .stopTimeout(30)
                .versionConsistency(VersionConsistency.DISABLED)
                .hostname("web-host")
                .user("1000:1000")
                .workingDirectory("/srv")
                .disableNetworking(false)
                .privileged(false)
                .readonlyRootFilesystem(true)
                .dnsServers("10.0.0.2")
                .dnsSearchDomains("corp.example")
                .extraHosts(h -> h.hostname("db").ipAddress("10.0.0.5"))
                .dockerSecurityOptions("no-new-privileges")
                .interactive(false)
                .pseudoTerminal(false)
                .dockerLabels(Map.of("com.example.team", "web", "empty", ""))
                .ulimits(u -> u.name(UlimitName.NOFILE).softLimit(1024).hardLimit(4096))
                .logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS)
                        .options(Map.of("awslogs-group", "/ecs/web", "awslogs-region", "us-east-1", "awslogs-stream-prefix", "web"))
                        .secretOptions(s -> s.name("token").valueFrom("arn:aws:ssm:us-east-1:000000000000:parameter/token")))
                .healthCheck(h -> h.command("CMD-SHELL", "curl -f http://localhost:8080/ || exit 1")
                        .interval(10).timeout(3).retries(5).startPeriod(15))
                .systemControls(s -> s.namespace("net.core.somaxconn").value("1024"))
                .resourceRequirements(r -> r.type(ResourceType.GPU).value("1"))
                .firelensConfiguration(f -> f.type(FirelensConfigurationType.FLUENTBIT).options(Map.of("enable-ecs-log-metadata", "true")))
                .credentialSpecs("credentialspecdomainless:arn:aws:s3:::bucket/spec.json")
                .build();
        ContainerDefinition sidecar = ContainerDefinition.builder()
                .name("sidecar").image("busybox").cpu(0).memoryReservation(64).essential(false)
                .portMappings(List.of()).environment(List.of()).mountPoints(List.of()).volumesFrom(List.of())
                .healthCheck(h -> h.command("CMD", "true"))
                .build();
        return RegisterTaskDefinitionRequest.builder()
                .family("rich")
                .taskRoleArn("arn:aws:iam::000000000000:role/task")
                .executionRoleArn("arn:aws:iam::000000000000:role/exec")
                .networkMode(NetworkMode.BRIDGE) // awsvpc refuses hostname and links
                .containerDefinitions(main, sidecar)
                .volumes(v -> v.name("data").host(h -> h.sourcePath("/mnt/data")),
                        v -> v.name("docker").dockerVolumeConfiguration(d -> d.scope(Scope.SHARED).autoprovision(true)
                                .driver("local").driverOpts(Map.of("type", "nfs")).labels(Map.of("l", "v"))),
                        v -> v.name("efs").efsVolumeConfiguration(e -> e.fileSystemId("fs-12345678").rootDirectory("/")
                                .transitEncryption(EFSTransitEncryption.ENABLED).transitEncryptionPort(2049)
                                .authorizationConfig(a -> a.accessPointId("fsap-1").iam(EFSAuthorizationConfigIAM.ENABLED))),
                        v -> v.name("later").configuredAtLaunch(true))
                .placementConstraints(p -> p.type(TaskDefinitionPlacementConstraintType.MEMBER_OF)
                        .expression("attribute:ecs.instance-type =~ t3.*"))
                .requiresCompatibilities(Compatibility.EC2)
                .cpu("2048")
                .memory("4096")
                .tags(tag("team", "web"))
                .pidMode(PidMode.TASK)
                .ipcMode(IpcMode.TASK)
                .proxyConfiguration(p -> p.type(ProxyConfigurationType.APPMESH).containerName("sidecar")
                        .properties(kv("AppPorts", "8080"), kv("ProxyIngressPort", "15000")))
                .inferenceAccelerators(i -> i.deviceName("device1").deviceType("eia2.medium"))
                .ephemeralStorage(e -> e.sizeInGiB(30))
                .runtimePlatform(r -> r.cpuArchitecture(CPUArchitecture.ARM64).operatingSystemFamily(OSFamily.LINUX))
                .enableFaultInjection(true)
                .build();
    }

    // ---- RegisterTaskDefinition ----

    @Test
    void revisionsCountUpPerFamily() {
        assertThat(register("alpha").revision()).isEqualTo(1);
        assertThat(register("alpha").revision()).isEqualTo(2);
        assertThat(register("beta").revision()).isEqualTo(1);
        TaskDefinition third = register("alpha");
        assertThat(third.revision()).isEqualTo(3);
        assertThat(third.taskDefinitionArn()).isEqualTo(arn("alpha:3"));
        assertThat(third.family()).isEqualTo("alpha");
        assertThat(third.status()).isEqualTo(TaskDefinitionStatus.ACTIVE);
        assertThat(third.registeredBy()).isEqualTo("arn:aws:iam::000000000000:root");
        assertThat(third.registeredAt()).isBetween(Instant.now().minus(Duration.ofMinutes(1)), Instant.now().plusSeconds(5));
        assertThat(third.deregisteredAt()).isNull();
    }

    @Test
    void revisionNumbersAreNeverReused() {
        register("r");
        register("r");
        ecs.deregisterTaskDefinition(b -> b.taskDefinition("r:2"));
        ecs.deleteTaskDefinitions(b -> b.taskDefinitions("r:2"));
        assertThat(register("r").revision()).isEqualTo(3);
    }

    @Test
    void everyRegisteredMemberRoundTripsUnchanged() {
        RegisterTaskDefinitionRequest request = richRequest();
        assertEveryMemberSet(request);
        assertEveryMemberSet(request.containerDefinitions().get(0));

        RegisterTaskDefinitionResponse registered = ecs.registerTaskDefinition(request);
        assertSharedMembersEqual(request, registered.taskDefinition());
        assertThat(registered.tags()).containsExactly(tag("team", "web"));

        DescribeTaskDefinitionResponse described = ecs.describeTaskDefinition(b -> b.taskDefinition("rich:1"));
        TaskDefinition td = described.taskDefinition();
        assertSharedMembersEqual(request, td);
        assertThat(td.containerDefinitions()).isEqualTo(request.containerDefinitions());
        assertThat(td).isEqualTo(registered.taskDefinition());
        assertThat(td.compatibilities()).containsExactly(Compatibility.EXTERNAL, Compatibility.EC2);
        assertThat(td.requiresAttributes()).extracting(Attribute::name).contains(
                "com.amazonaws.ecs.capability.logging-driver.awslogs",
                "com.amazonaws.ecs.capability.docker-remote-api.1.19",
                "ecs.capability.container-health-check",
                "ecs.capability.container-ordering");
    }

    @Test
    void registrationFillsInEcsDefaults() {
        TaskDefinition td = register(b -> b.family("defaults").networkMode(NetworkMode.AWSVPC).memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("nginx")
                        .portMappings(p -> p.containerPort(80), p -> p.containerPort(53).protocol(TransportProtocol.UDP),
                                p -> p.containerPort(443).hostPort(443))
                        .build()));

        ContainerDefinition c = td.containerDefinitions().get(0);
        assertThat(c.essential()).isTrue();
        assertThat(c.cpu()).isZero();
        assertThat(c.portMappings()).containsExactly(
                PortMapping.builder().containerPort(80).hostPort(80).protocol(TransportProtocol.TCP).build(),
                PortMapping.builder().containerPort(53).hostPort(53).protocol(TransportProtocol.UDP).build(),
                PortMapping.builder().containerPort(443).hostPort(443).protocol(TransportProtocol.TCP).build());
        assertThat(c.hasEnvironment()).isTrue();
        assertThat(c.environment()).isEmpty();
        assertThat(c.hasMountPoints()).isTrue();
        assertThat(c.mountPoints()).isEmpty();
        assertThat(c.hasVolumesFrom()).isTrue();
        assertThat(c.volumesFrom()).isEmpty();
        assertThat(td.hasVolumes()).isTrue();
        assertThat(td.volumes()).isEmpty();
        assertThat(td.hasPlacementConstraints()).isTrue();
        assertThat(td.placementConstraints()).isEmpty();
        assertThat(td.cpu()).isNull();
        assertThat(td.memory()).isEqualTo("512");
        assertThat(td.compatibilities()).containsExactly(Compatibility.EC2, Compatibility.MANAGED_INSTANCES);
        assertThat(td.requiresAttributes()).extracting(Attribute::name).containsExactly("ecs.capability.task-eni");

        // Described, the defaults are the same.
        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("defaults")).taskDefinition()).isEqualTo(td);
    }

    @Test
    void bridgeModeKeepsHostPortAsGivenAndIsEc2AndExternalCompatible() {
        TaskDefinition td = register(b -> b.family("bridge").networkMode(NetworkMode.BRIDGE)
                .containerDefinitions(ContainerDefinition.builder().name("app").image("nginx").memory(64).essential(false).build(),
                        ContainerDefinition.builder().name("app2").image("nginx").memoryReservation(64)
                                .portMappings(p -> p.containerPort(80), p -> p.containerPort(81).hostPort(8081)).build()));

        assertThat(td.containerDefinitions().get(0).essential()).isFalse();
        assertThat(td.containerDefinitions().get(1).essential()).isTrue();
        assertThat(td.containerDefinitions().get(1).portMappings()).containsExactly(
                PortMapping.builder().containerPort(80).protocol(TransportProtocol.TCP).build(),
                PortMapping.builder().containerPort(81).hostPort(8081).protocol(TransportProtocol.TCP).build());
        assertThat(td.compatibilities()).containsExactly(Compatibility.EXTERNAL, Compatibility.EC2);
        assertThat(td.networkMode()).isEqualTo(NetworkMode.BRIDGE);
        assertThat(td.requiresAttributes()).isEmpty();

        TaskDefinition noMode = register("nomode");
        assertThat(noMode.networkMode()).isNull();
        assertThat(noMode.compatibilities()).containsExactly(Compatibility.EXTERNAL, Compatibility.EC2);
    }

    @Test
    void taskSizesAreNormalisedToIntegers() {
        TaskDefinition td = register(fargate().family("sizes").cpu("1 vCPU").memory("2GB"));
        assertThat(td.cpu()).isEqualTo("1024");
        assertThat(td.memory()).isEqualTo("2048");
        assertThat(td.compatibilities()).containsExactly(Compatibility.EC2, Compatibility.MANAGED_INSTANCES, Compatibility.FARGATE);
        assertThat(td.requiresCompatibilities()).containsExactly(Compatibility.FARGATE);

        TaskDefinition quarter = register(fargate().family("quarter").cpu("0.25 vcpu").memory("0.5 GB"));
        assertThat(quarter.cpu()).isEqualTo("256");
        assertThat(quarter.memory()).isEqualTo("512");

        TaskDefinition big = register(fargate().family("big").cpu(" 2 VCPU ").memory("16gb"));
        assertThat(big.cpu()).isEqualTo("2048");
        assertThat(big.memory()).isEqualTo("16384");

        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("sizes:1")).taskDefinition().cpu()).isEqualTo("1024");
    }

    @Test
    void everyFargateSizeInTheTableIsAcceptedAndItsNeighboursAreNot() {
        int[][] accepted = {{256, 512}, {256, 2048}, {512, 1024}, {512, 4096}, {1024, 2048}, {1024, 8192}, {2048, 4096},
                {2048, 16384}, {4096, 8192}, {4096, 30720}, {8192, 16384}, {8192, 61440}, {16384, 32768}, {16384, 122880}};
        for (int[] pair : accepted) {
            TaskDefinition td = register(fargate().cpu(Integer.toString(pair[0])).memory(Integer.toString(pair[1])));
            assertThat(td.cpu()).isEqualTo(Integer.toString(pair[0]));
        }
        int[][] refused = {{256, 256}, {256, 1536}, {256, 3072}, {512, 512}, {512, 5120}, {1024, 1024}, {1024, 9216},
                {2048, 17408}, {4096, 31744}, {8192, 18432}, {8192, 65536}, {16384, 36864}, {16384, 131072}, {128, 512},
                {3072, 8192}};
        for (int[] pair : refused) {
            refused(fargate().cpu(Integer.toString(pair[0])).memory(Integer.toString(pair[1])),
                    "No Fargate configuration exists for given values: " + pair[0] + " CPU, " + pair[1] + " memory."
                            + " See the Amazon ECS documentation for the valid values.");
        }
        assertThat(ecs.listTaskDefinitions(b -> b.familyPrefix("fg")).taskDefinitionArns()).hasSize(accepted.length);
    }

    @Test
    void everyRegistrationRefusalHasItsTypeAndMessageAndLeavesNoTrace() {
        ContainerDefinition ok = container("app");
        RegisterTaskDefinitionRequest.Builder ec2 = RegisterTaskDefinitionRequest.builder().family("bad").containerDefinitions(ok);

        refused(ec2.copy().family(""), "Family can not be blank.");
        refused(ec2.copy().family("   "), "Family can not be blank.");
        refused(ec2.copy().family("my family"), "Family contains invalid characters. Up to 255 letters (uppercase and lowercase),"
                + " numbers, hyphens, and underscores are allowed; got 'my family'.");
        refused(ec2.copy().family("f".repeat(256)), "Family contains invalid characters. Up to 255 letters (uppercase and"
                + " lowercase), numbers, hyphens, and underscores are allowed; got '" + "f".repeat(256) + "'.");
        refused(ec2.copy().containerDefinitions(List.of()), "Container list cannot be empty.");
        List<ContainerDefinition> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(container("c" + i));
        }
        refused(ec2.copy().containerDefinitions(eleven), "Too many containers. A task definition can have at most 10; this one has 11.");
        refused(ec2.copy().cpu("lots"), "Invalid 'cpu' setting for task. Got 'lots'. Give CPU units (for example 1024) or vCPUs"
                + " (for example '1 vCPU').");
        refused(ec2.copy().cpu("-1"), "Invalid 'cpu' setting for task. Got '-1'. Give CPU units (for example 1024) or vCPUs"
                + " (for example '1 vCPU').");
        refused(ec2.copy().memory("2 TB"), "Invalid 'memory' setting for task. Got '2 TB'. Give MiB (for example 2048) or GB"
                + " (for example '2GB').");

        // Fargate
        refused(fargate().networkMode(NetworkMode.BRIDGE), "Fargate only supports network mode \u2018awsvpc\u2019.");
        refused(fargate().networkMode((NetworkMode) null), "Fargate only supports network mode \u2018awsvpc\u2019.");
        refused(fargate().networkMode(NetworkMode.HOST), "Fargate only supports network mode \u2018awsvpc\u2019.");
        refused(fargate().cpu(null), "Fargate requires that 'cpu' be defined at the task level.");
        refused(fargate().memory(null), "Fargate requires that 'memory' be defined at the task level.");
        refused(fargate().cpu(null).memory(null), "Fargate requires that 'cpu' be defined at the task level.");
        refused(fargate().cpu("512").memory("8192"), "No Fargate configuration exists for given values: 512 CPU, 8192 memory."
                + " See the Amazon ECS documentation for the valid values.");
        refused(fargate().cpu("0.25 vCPU").memory("4GB"), "No Fargate configuration exists for given values: 256 CPU, 4096 memory."
                + " See the Amazon ECS documentation for the valid values.");
        refused(fargate().containerDefinitions(ContainerDefinition.builder().name("app").image("nginx")
                        .logConfiguration(l -> l.logDriver(LogDriver.JSON_FILE)).build()),
                "json-file is not a valid log driver. Must be one of [awslogs,splunk,awsfirelens]");
        refused(fargate().containerDefinitions(ContainerDefinition.builder().name("app").image("nginx")
                        .logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS).options(Map.of("awslogs-group", "/ecs/app"))).build()),
                "Fargate requires task definition to have execution role ARN to support log driver awslogs.");

        // Containers
        refused(ec2.copy().containerDefinitions(ContainerDefinition.builder().image("nginx").memory(64).build()),
                "Container.name should not be null or empty.");
        refused(ec2.copy().containerDefinitions(ContainerDefinition.builder().name("").image("nginx").memory(64).build()),
                "Container.name should not be null or empty.");
        refused(ec2.copy().containerDefinitions(ContainerDefinition.builder().name("web app").image("nginx").memory(64).build()),
                "Container.name contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and"
                        + " underscores are allowed; got 'web app'.");
        refused(ec2.copy().containerDefinitions(container("app"), container("side"), container("app")),
                "Container names must be unique within a Task Definition. 'app' is used more than once.");
        refused(ec2.copy().containerDefinitions(ContainerDefinition.builder().name("app").memory(64).build()),
                "Container.image should not be null or empty.");
        refused(ec2.copy().containerDefinitions(ContainerDefinition.builder().name("app").image(" ").memory(64).build()),
                "Container.image should not be null or empty.");
        refused(ec2.copy().containerDefinitions(ContainerDefinition.builder().name("app").image("nginx").build()),
                "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.");
        refused(ec2.copy().containerDefinitions(ContainerDefinition.builder().name("app").image("nginx").memory(256)
                        .memoryReservation(512).build()),
                "Invalid setting for container 'app'. 'memory' must be greater than or equal to 'memoryReservation' (256 < 512).");
        refused(ec2.copy().memory("1024").containerDefinitions(ContainerDefinition.builder().name("app").image("nginx")
                        .memory(2048).build()),
                "The 'memory' setting for container 'app' is greater than for the task.");
        refused(ec2.copy().containerDefinitions(ok.toBuilder().essential(false).build(),
                        container("other").toBuilder().essential(false).build()),
                "Task definition doesn't have any essential container.");
        refused(ec2.copy().memory("2GB").containerDefinitions(
                        ContainerDefinition.builder().name("a").image("nginx").memoryReservation(2048).build(),
                        ContainerDefinition.builder().name("b").image("nginx").memoryReservation(1024).build()),
                "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'."
                        + " The containers reserve 3072 MiB; the task has 2048 MiB.");
        refused(ec2.copy().networkMode(NetworkMode.AWSVPC).containerDefinitions(ok.toBuilder()
                        .portMappings(p -> p.containerPort(80).hostPort(8080)).build()),
                "When networkMode=awsvpc, the host ports and container ports in port mappings must match.");
        refused(ec2.copy().networkMode(NetworkMode.HOST).containerDefinitions(ok.toBuilder()
                        .portMappings(p -> p.containerPort(80).hostPort(81)).build()),
                "When networkMode=host, the host ports and container ports in port mappings must match.");
        refused(fargate().containerDefinitions(ContainerDefinition.builder().name("app").image("nginx")
                        .portMappings(p -> p.containerPort(80).hostPort(81)).build()),
                "When networkMode=awsvpc, the host ports and container ports in port mappings must match.");
        refused(fargate().containerDefinitions(ContainerDefinition.builder().name("app").image("nginx").hostname("web").build()),
                "hostname is not supported on container when networkMode=awsvpc.");
        refused(ec2.copy().networkMode(NetworkMode.AWSVPC).containerDefinitions(ok.toBuilder().links("db").build(),
                        container("db").toBuilder().essential(false).build()),
                "Links are not supported when networkMode=awsvpc.");

        assertEcsError(() -> ecs.registerTaskDefinition(ec2.copy().tags(tag("aws:cloudformation:stack", "x")).build()),
                InvalidParameterException.class,
                "Tag keys may not begin with 'aws:', which is reserved for AWS use: aws:cloudformation:stack");

        // Nothing was registered: no family exists and the next registration is revision 1.
        assertThat(ecs.listTaskDefinitionFamilies().families()).isEmpty();
        assertThat(ecs.listTaskDefinitions().taskDefinitionArns()).isEmpty();
        assertThat(ecs.registerTaskDefinition(ec2.build()).taskDefinition().revision()).isEqualTo(1);
    }

    @Test
    void fargateNeedsNoContainerMemoryAndAwsvpcHostPortZeroIsAccepted() {
        TaskDefinition td = register(fargate().containerDefinitions(ContainerDefinition.builder().name("app").image("nginx")
                .portMappings(p -> p.containerPort(80).hostPort(0)).build()));
        assertThat(td.containerDefinitions().get(0).portMappings().get(0).hostPort()).isEqualTo(80);
        assertThat(td.containerDefinitions().get(0).memory()).isNull();
    }

    @Test
    void registrationTagsAreStoredAndReturned() {
        RegisterTaskDefinitionResponse r = ecs.registerTaskDefinition(b -> b.family("tagged")
                .containerDefinitions(container("app")).tags(tag("a", "1"), tag("b", "2")));
        assertThat(r.tags()).containsExactly(tag("a", "1"), tag("b", "2"));
        RegisterTaskDefinitionResponse untagged = ecs.registerTaskDefinition(b -> b.family("tagged").containerDefinitions(container("app")));
        assertThat(untagged.tags()).isEmpty();
        assertThat(ecs.listTagsForResource(b -> b.resourceArn(arn("tagged:1"))).tags()).containsExactly(tag("a", "1"), tag("b", "2"));
        assertThat(ecs.listTagsForResource(b -> b.resourceArn(arn("tagged:2"))).tags()).isEmpty();
    }

    // ---- DescribeTaskDefinition ----

    @Test
    void describeByFamilyFamilyRevisionAndArn() {
        ecs.registerTaskDefinition(b -> b.family("d").containerDefinitions(container("app")).tags(tag("rev", "1")));
        ecs.registerTaskDefinition(b -> b.family("d").containerDefinitions(container("app2")).tags(tag("rev", "2")));

        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("d")).taskDefinition().revision()).isEqualTo(2);
        DescribeTaskDefinitionResponse byRevision = ecs.describeTaskDefinition(b -> b.taskDefinition("d:1"));
        assertThat(byRevision.taskDefinition().revision()).isEqualTo(1);
        assertThat(byRevision.taskDefinition().containerDefinitions().get(0).name()).isEqualTo("app");
        assertThat(byRevision.hasTags()).isFalse();
        DescribeTaskDefinitionResponse byArn = ecs.describeTaskDefinition(b -> b.taskDefinition(arn("d:1")).include(TaskDefinitionField.TAGS));
        assertThat(byArn.taskDefinition()).isEqualTo(byRevision.taskDefinition());
        assertThat(byArn.tags()).containsExactly(tag("rev", "1"));
        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("d").include(TaskDefinitionField.TAGS)).tags())
                .containsExactly(tag("rev", "2"));
    }

    @Test
    void describeOfUnknownDefinitionsIsUnableToDescribe() {
        register("known");
        for (String ref : List.of("unknown", "known:2", "known:0", "known:x", "unknown:1", arn("known:7"),
                "arn:aws:ecs:eu-west-1:000000000000:task-definition/known:1",
                "arn:aws:ecs:us-east-1:111111111111:task-definition/known:1", TD_PREFIX + "known")) {
            assertEcsError(() -> ecs.describeTaskDefinition(b -> b.taskDefinition(ref)), ClientException.class, UNABLE);
        }
        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition(arn("known:1"))).taskDefinition().revision()).isEqualTo(1);
    }

    // ---- ListTaskDefinitions ----

    private static void registerListFixture() {
        register("web");
        register("api");
        register("web-x");
        register("web");
        register("web-x");
        register("web");
    }

    @Test
    void listTaskDefinitionsSortsByFamilyThenNumericRevision() {
        registerListFixture();
        for (int i = 0; i < 10; i++) {
            register("api");
        }
        List<String> asc = ecs.listTaskDefinitions().taskDefinitionArns();
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
            expected.add(arn("api:" + i));
        }
        expected.addAll(List.of(arn("web:1"), arn("web:2"), arn("web:3"), arn("web-x:1"), arn("web-x:2")));
        assertThat(asc).containsExactlyElementsOf(expected);
        assertThat(ecs.listTaskDefinitions(b -> b.sort(SortOrder.ASC)).taskDefinitionArns()).containsExactlyElementsOf(expected);

        List<String> desc = ecs.listTaskDefinitions(b -> b.sort(SortOrder.DESC)).taskDefinitionArns();
        List<String> reversed = new ArrayList<>(expected);
        java.util.Collections.reverse(reversed);
        assertThat(desc).containsExactlyElementsOf(reversed);
    }

    @Test
    void listTaskDefinitionsFamilyPrefixIsAnExactFamily() {
        registerListFixture();
        assertThat(ecs.listTaskDefinitions(b -> b.familyPrefix("web")).taskDefinitionArns())
                .containsExactly(arn("web:1"), arn("web:2"), arn("web:3"));
        assertThat(ecs.listTaskDefinitions(b -> b.familyPrefix("web").sort(SortOrder.DESC)).taskDefinitionArns())
                .containsExactly(arn("web:3"), arn("web:2"), arn("web:1"));
        assertThat(ecs.listTaskDefinitions(b -> b.familyPrefix("we")).taskDefinitionArns()).isEmpty();
        assertThat(ecs.listTaskDefinitions(b -> b.familyPrefix("web-x")).taskDefinitionArns())
                .containsExactly(arn("web-x:1"), arn("web-x:2"));
    }

    @Test
    void listTaskDefinitionsFiltersByStatus() {
        registerListFixture();
        ecs.deregisterTaskDefinition(b -> b.taskDefinition("web:2"));
        ecs.deregisterTaskDefinition(b -> b.taskDefinition(arn("api:1")));

        assertThat(ecs.listTaskDefinitions().taskDefinitionArns())
                .containsExactly(arn("web:1"), arn("web:3"), arn("web-x:1"), arn("web-x:2"));
        assertThat(ecs.listTaskDefinitions(b -> b.status(TaskDefinitionStatus.ACTIVE).familyPrefix("web")).taskDefinitionArns())
                .containsExactly(arn("web:1"), arn("web:3"));
        assertThat(ecs.listTaskDefinitions(b -> b.status(TaskDefinitionStatus.INACTIVE)).taskDefinitionArns())
                .containsExactly(arn("api:1"), arn("web:2"));
        ecs.deleteTaskDefinitions(b -> b.taskDefinitions("api:1"));
        assertThat(ecs.listTaskDefinitions(b -> b.status(TaskDefinitionStatus.INACTIVE)).taskDefinitionArns())
                .containsExactly(arn("web:2"));
        assertThat(ecs.listTaskDefinitions(b -> b.status(TaskDefinitionStatus.DELETE_IN_PROGRESS)).taskDefinitionArns())
                .containsExactly(arn("api:1"));
    }

    @Test
    void listTaskDefinitionsPaginatesInBothOrders() {
        registerListFixture();
        List<String> all = ecs.listTaskDefinitions().taskDefinitionArns();
        assertThat(all).hasSize(6);

        ListTaskDefinitionsResponse p1 = ecs.listTaskDefinitions(b -> b.maxResults(4));
        assertThat(p1.taskDefinitionArns()).containsExactlyElementsOf(all.subList(0, 4));
        assertThat(p1.nextToken()).isNotNull();
        ListTaskDefinitionsResponse p2 = ecs.listTaskDefinitions(b -> b.maxResults(4).nextToken(p1.nextToken()));
        assertThat(p2.taskDefinitionArns()).containsExactlyElementsOf(all.subList(4, 6));
        assertThat(p2.nextToken()).isNull();

        List<String> desc = new ArrayList<>(all);
        java.util.Collections.reverse(desc);
        List<String> paged = ecs.listTaskDefinitionsPaginator(b -> b.sort(SortOrder.DESC).maxResults(4)).taskDefinitionArns()
                .stream().toList();
        assertThat(paged).containsExactlyElementsOf(desc);
        assertThat(ecs.listTaskDefinitionsPaginator(b -> b.maxResults(1)).stream().count()).isEqualTo(6);

        assertEcsError(() -> ecs.listTaskDefinitions(b -> b.maxResults(0)), InvalidParameterException.class,
                "maxResults must be between 1 and 100 (was 0).");
        assertEcsError(() -> ecs.listTaskDefinitions(b -> b.maxResults(101)), InvalidParameterException.class,
                "maxResults must be between 1 and 100 (was 101).");
        assertEcsError(() -> ecs.listTaskDefinitions(b -> b.nextToken("%%%")), InvalidParameterException.class,
                "Invalid nextToken: pass the nextToken of the previous response unchanged.");
    }

    // ---- ListTaskDefinitionFamilies ----

    @Test
    void listFamiliesMatchesPrefixAndStatus() {
        registerListFixture();
        register("other");
        ecs.deregisterTaskDefinition(b -> b.taskDefinition("api:1"));
        ecs.deregisterTaskDefinition(b -> b.taskDefinition("web:1"));

        assertThat(ecs.listTaskDefinitionFamilies().families()).containsExactly("api", "other", "web", "web-x");
        assertThat(ecs.listTaskDefinitionFamilies(b -> b.status(TaskDefinitionFamilyStatus.ALL)).families())
                .containsExactly("api", "other", "web", "web-x");
        assertThat(ecs.listTaskDefinitionFamilies(b -> b.status(TaskDefinitionFamilyStatus.ACTIVE)).families())
                .containsExactly("other", "web", "web-x");
        assertThat(ecs.listTaskDefinitionFamilies(b -> b.status(TaskDefinitionFamilyStatus.INACTIVE)).families())
                .containsExactly("api");
        assertThat(ecs.listTaskDefinitionFamilies(b -> b.familyPrefix("web")).families()).containsExactly("web", "web-x");
        assertThat(ecs.listTaskDefinitionFamilies(b -> b.familyPrefix("we")).families()).containsExactly("web", "web-x");
        assertThat(ecs.listTaskDefinitionFamilies(b -> b.familyPrefix("web-")).families()).containsExactly("web-x");
        assertThat(ecs.listTaskDefinitionFamilies(b -> b.familyPrefix("zzz")).families()).isEmpty();
        assertThat(ecs.listTaskDefinitionFamilies(b -> b.familyPrefix("a").status(TaskDefinitionFamilyStatus.ACTIVE)).families())
                .isEmpty();
    }

    @Test
    void listFamiliesPaginates() {
        for (String f : List.of("e", "b", "d", "a", "c")) {
            register(f);
        }
        ListTaskDefinitionFamiliesResponse p1 = ecs.listTaskDefinitionFamilies(b -> b.maxResults(2));
        assertThat(p1.families()).containsExactly("a", "b");
        ListTaskDefinitionFamiliesResponse p2 = ecs.listTaskDefinitionFamilies(b -> b.maxResults(2).nextToken(p1.nextToken()));
        assertThat(p2.families()).containsExactly("c", "d");
        ListTaskDefinitionFamiliesResponse p3 = ecs.listTaskDefinitionFamilies(b -> b.maxResults(2).nextToken(p2.nextToken()));
        assertThat(p3.families()).containsExactly("e");
        assertThat(p3.nextToken()).isNull();
        assertThat(ecs.listTaskDefinitionFamiliesPaginator(b -> b.maxResults(2)).families().stream().toList())
                .containsExactly("a", "b", "c", "d", "e");
        assertEcsError(() -> ecs.listTaskDefinitionFamilies(b -> b.maxResults(101)), InvalidParameterException.class,
                "maxResults must be between 1 and 100 (was 101).");
    }

    // ---- DeregisterTaskDefinition ----

    @Test
    void deregisterMakesARevisionInactiveButDescribable() {
        register("dr");
        register("dr");
        register("dr");

        TaskDefinition deregistered = ecs.deregisterTaskDefinition(b -> b.taskDefinition("dr:3")).taskDefinition();
        assertThat(deregistered.status()).isEqualTo(TaskDefinitionStatus.INACTIVE);
        assertThat(deregistered.revision()).isEqualTo(3);
        assertThat(deregistered.deregisteredAt()).isNotNull();

        TaskDefinition described = ecs.describeTaskDefinition(b -> b.taskDefinition("dr:3")).taskDefinition();
        assertThat(described.status()).isEqualTo(TaskDefinitionStatus.INACTIVE);
        assertThat(described.deregisteredAt()).isEqualTo(deregistered.deregisteredAt());
        // The family alone means its latest ACTIVE revision: 3 is skipped.
        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("dr")).taskDefinition().revision()).isEqualTo(2);
        ecs.deregisterTaskDefinition(b -> b.taskDefinition(arn("dr:2")));
        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("dr")).taskDefinition().revision()).isEqualTo(1);

        // Deregistering again answers the revision as it is.
        TaskDefinition again = ecs.deregisterTaskDefinition(b -> b.taskDefinition("dr:3")).taskDefinition();
        assertThat(again).isEqualTo(described);

        ecs.deregisterTaskDefinition(b -> b.taskDefinition("dr:1"));
        assertEcsError(() -> ecs.describeTaskDefinition(b -> b.taskDefinition("dr")), ClientException.class, UNABLE);
        // A new registration is ACTIVE again and becomes the latest.
        assertThat(register("dr").revision()).isEqualTo(4);
        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("dr")).taskDefinition().revision()).isEqualTo(4);
    }

    @Test
    void deregisterRefusals() {
        register("dr");
        assertEcsError(() -> ecs.deregisterTaskDefinition(b -> b.taskDefinition("dr")), InvalidParameterException.class,
                "Give the task definition to deregister as family:revision or as its full ARN (got 'dr').");
        assertEcsError(() -> ecs.deregisterTaskDefinition(b -> b.taskDefinition("dr:2")), ClientException.class,
                "The specified task definition does not exist.");
        assertEcsError(() -> ecs.deregisterTaskDefinition(b -> b.taskDefinition("nope:1")), ClientException.class,
                "The specified task definition does not exist.");
        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("dr:1")).taskDefinition().status())
                .isEqualTo(TaskDefinitionStatus.ACTIVE);
    }

    // ---- DeleteTaskDefinitions ----

    @Test
    void deleteTaskDefinitionsDeletesInactiveRevisionsAndReportsTheRest() {
        ecs.registerTaskDefinition(b -> b.family("del").containerDefinitions(container("app")).tags(tag("k", "v")));
        register("del");
        ecs.deregisterTaskDefinition(b -> b.taskDefinition("del:1"));

        DeleteTaskDefinitionsResponse r = ecs.deleteTaskDefinitions(b -> b.taskDefinitions(
                "del:1", "del:2", "del", "nope:3", arn("del:9"), "arn:aws:ecs:us-east-1:000000000000:cluster/x"));

        assertThat(r.taskDefinitions()).hasSize(1);
        TaskDefinition deleted = r.taskDefinitions().get(0);
        assertThat(deleted.taskDefinitionArn()).isEqualTo(arn("del:1"));
        assertThat(deleted.status()).isEqualTo(TaskDefinitionStatus.DELETE_IN_PROGRESS);
        String invalid = "The specified task definition identifier is invalid. Specify a valid name or ARN and try again.";
        String missing = "The specified task definition does not exist. Specify a valid account, family, revision and try again.";
        assertThat(r.failures()).containsExactly(
                Failure.builder().arn("del:2").reason("The specified task definition is still in ACTIVE status."
                        + " Please deregister the target and try again.").build(),
                Failure.builder().arn("del").reason(invalid).build(),
                Failure.builder().arn("nope:3").reason(missing).build(),
                Failure.builder().arn(arn("del:9")).reason(missing).build(),
                Failure.builder().arn("arn:aws:ecs:us-east-1:000000000000:cluster/x").reason(invalid).build());

        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("del:1")).taskDefinition().status())
                .isEqualTo(TaskDefinitionStatus.DELETE_IN_PROGRESS);
        // Its tags went with it, and it can no longer be tagged.
        assertEcsError(() -> ecs.listTagsForResource(b -> b.resourceArn(arn("del:1"))), ClientException.class, UNABLE);
        // Deleting it again answers it again, still DELETE_IN_PROGRESS.
        DeleteTaskDefinitionsResponse again = ecs.deleteTaskDefinitions(b -> b.taskDefinitions(arn("del:1")));
        assertThat(again.failures()).isEmpty();
        assertThat(again.taskDefinitions()).extracting(TaskDefinition::status).containsExactly(TaskDefinitionStatus.DELETE_IN_PROGRESS);
    }

    @Test
    void deleteTaskDefinitionsTakesOneToTenReferences() {
        assertEcsError(() -> ecs.deleteTaskDefinitions(b -> b.taskDefinitions(List.of())), InvalidParameterException.class,
                "size of TaskDefinition references list must be greater than 0");
        List<String> eleven = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
            eleven.add("x:" + i);
        }
        assertEcsError(() -> ecs.deleteTaskDefinitions(b -> b.taskDefinitions(eleven)), InvalidParameterException.class,
                "Size of TaskDefinition references list cannot exceed 10");
        assertThat(ecs.deleteTaskDefinitions(b -> b.taskDefinitions(eleven.subList(0, 10))).failures()).hasSize(10);
    }
}
