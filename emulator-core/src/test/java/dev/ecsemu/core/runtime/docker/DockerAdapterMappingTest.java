package dev.ecsemu.core.runtime.docker;

import static dev.ecsemu.core.testing.RecordingListener.FAILED;
import static dev.ecsemu.core.testing.RecordingListener.HEALTH;
import static dev.ecsemu.core.testing.RecordingListener.PULL_STARTED;
import static dev.ecsemu.core.testing.RecordingListener.STARTED;
import static dev.ecsemu.core.testing.RecordingListener.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.command.CreateContainerCmdImpl;
import dev.ecsemu.core.runtime.ContainerSpec;
import dev.ecsemu.core.runtime.docker.ContainerConfigMapper.MappingException;
import dev.ecsemu.core.runtime.docker.ContainerConfigMapper.VolumeSource;
import dev.ecsemu.core.testing.RecordingListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Device;
import software.amazon.awssdk.services.ecs.model.DeviceCgroupPermission;
import software.amazon.awssdk.services.ecs.model.HealthCheck;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.HostEntry;
import software.amazon.awssdk.services.ecs.model.KernelCapabilities;
import software.amazon.awssdk.services.ecs.model.LinuxParameters;
import software.amazon.awssdk.services.ecs.model.MountPoint;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.SystemControl;
import software.amazon.awssdk.services.ecs.model.Tmpfs;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;
import software.amazon.awssdk.services.ecs.model.Ulimit;
import software.amazon.awssdk.services.ecs.model.UlimitName;
import software.amazon.awssdk.services.ecs.model.VolumeFrom;

/** The adapter's pure parts, without a Docker engine: mapping a definition, bindings, env files, report order. */
class DockerAdapterMappingTest {
    private static final String TASK = "arn:aws:ecs:us-east-1:000000000000:task/c/abc";
    private static final RuntimeIdentity IDENTITY = new RuntimeIdentity(4242, "host-a", 1000);
    private static final ContainerConfigMapper.Resolver RESOLVER = new ContainerConfigMapper.Resolver() {
        @Override
        public String dockerNameOf(String containerName) {
            return "db".equals(containerName) ? "ecs-fam-1-db-0123" : null;
        }

        @Override
        public VolumeSource volume(String volumeName) {
            return switch (volumeName) {
                case "logs" -> VolumeSource.bind("/var/log/app");
                case "data" -> VolumeSource.volume("ecs-abc-data");
                default -> null;
            };
        }
    };

    private static final CreateContainerCmd.Exec NOT_SENT = command -> {
        throw new AssertionError("a mapping test sends nothing to Docker");
    };

    private static ContainerSpec spec(ContainerDefinition def, Integer taskMemory) {
        return new ContainerSpec(TASK, "abc", "c", "fam", 1, def, null, "127.0.0.1", List.of(), null, taskMemory,
                Duration.ofSeconds(30), Map.of("com.amazonaws.ecs.cluster", "c"), Map.of("EXTRA", "1"));
    }

    private static CreateContainerCmd map(ContainerDefinition def, Integer taskMemory) throws MappingException {
        CreateContainerCmd cmd = new CreateContainerCmdImpl(NOT_SENT, null, def.image());
        ContainerConfigMapper.apply(cmd, spec(def, taskMemory), IDENTITY, RESOLVER);
        return cmd;
    }

    @Test
    void extraLabelsGoOnEveryContainerButNeverReplaceTheEmulatorsOwn() throws Exception {
        RuntimeIdentity identity = IDENTITY.withExtraLabels(Map.of("org.testcontainers.sessionId", "s-1", "org.testcontainers", "true"));
        ContainerDefinition def = ContainerDefinition.builder().name("app").image("img:1").dockerLabels(Map.of("team", "a")).build();
        CreateContainerCmd cmd = new CreateContainerCmdImpl(NOT_SENT, null, def.image());
        ContainerConfigMapper.apply(cmd, spec(def, null), identity, RESOLVER);

        assertThat(cmd.getLabels()).containsEntry("org.testcontainers.sessionId", "s-1").containsEntry("org.testcontainers", "true")
                .containsEntry("team", "a").containsEntry(RuntimeIdentity.PID, "4242").containsEntry(RuntimeIdentity.TASK_ARN, TASK);
        assertThatThrownBy(() -> IDENTITY.withExtraLabels(Map.of(RuntimeIdentity.PID, "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ecs-emu.pid");
    }

    @Test
    void everythingDockerCanDoIsMapped() throws Exception {
        ContainerDefinition def = ContainerDefinition.builder().name("app").image("img:1")
                .entryPoint("/bin/sh", "-c").command("run it").workingDirectory("/w").user("1000:1000").hostname("h")
                .cpu(512).memory(256).memoryReservation(128)
                .ulimits(Ulimit.builder().name(UlimitName.NOFILE).softLimit(1024).hardLimit(4096).build())
                .linuxParameters(LinuxParameters.builder()
                        .capabilities(KernelCapabilities.builder().add("NET_ADMIN", "CAP_SYS_TIME").drop("MKNOD").build())
                        .initProcessEnabled(true).sharedMemorySize(64).maxSwap(0).swappiness(10)
                        .tmpfs(Tmpfs.builder().containerPath("/scratch").size(32).mountOptions("noexec", "nosuid").build())
                        .devices(Device.builder().hostPath("/dev/fuse").permissions(DeviceCgroupPermission.READ,
                                DeviceCgroupPermission.WRITE).build())
                        .build())
                .readonlyRootFilesystem(true).privileged(true).dockerLabels(Map.of("team", "a"))
                .extraHosts(HostEntry.builder().hostname("db.local").ipAddress("10.0.0.5").build())
                .dnsServers("1.1.1.1").dnsSearchDomains("corp").dockerSecurityOptions("no-new-privileges", "credentialspec:x")
                .systemControls(SystemControl.builder().namespace("net.core.somaxconn").value("1024").build())
                .links("db:database")
                .mountPoints(MountPoint.builder().sourceVolume("logs").containerPath("/logs").build(),
                        MountPoint.builder().sourceVolume("data").containerPath("/data").readOnly(true).build())
                .volumesFrom(VolumeFrom.builder().sourceContainer("db").readOnly(true).build())
                .healthCheck(HealthCheck.builder().command("CMD-SHELL", "true").build())
                .portMappings(PortMapping.builder().containerPort(80).build(),
                        PortMapping.builder().containerPort(53).hostPort(5353).protocol(TransportProtocol.UDP).build())
                .build();
        CreateContainerCmd cmd = map(def, null);
        HostConfig host = cmd.getHostConfig();

        assertThat(cmd.getName()).matches("ecs-fam-1-app-[0-9a-f]{20}");
        assertThat(cmd.getEntrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(cmd.getCmd()).containsExactly("run it");
        assertThat(cmd.getWorkingDir()).isEqualTo("/w");
        assertThat(cmd.getUser()).isEqualTo("1000:1000");
        assertThat(cmd.getHostName()).isEqualTo("h");
        assertThat(cmd.getEnv()).containsExactly("EXTRA=1");
        assertThat(cmd.getLabels()).containsEntry("team", "a").containsEntry("com.amazonaws.ecs.cluster", "c")
                .containsEntry(RuntimeIdentity.MANAGED, "true").containsEntry(RuntimeIdentity.PID, "4242")
                .containsEntry(RuntimeIdentity.HOST, "host-a").containsEntry(RuntimeIdentity.TASK_ARN, TASK)
                .containsEntry(RuntimeIdentity.CONTAINER_NAME, "app").containsEntry(RuntimeIdentity.CLUSTER, "c");
        assertThat(host.getCpuShares()).isEqualTo(512);
        assertThat(host.getMemory()).isEqualTo(256L << 20);
        assertThat(host.getMemoryReservation()).isEqualTo(128L << 20);
        assertThat(host.getMemorySwap()).isEqualTo(256L << 20);
        assertThat(host.getMemorySwappiness()).isEqualTo(10L);
        assertThat(host.getUlimits()).singleElement().satisfies(u -> {
            assertThat(u.getName()).isEqualTo("nofile");
            assertThat(u.getSoftLong()).isEqualTo(1024L);
            assertThat(u.getHardLong()).isEqualTo(4096L);
        });
        assertThat(host.getCapAdd()).containsExactly(Capability.NET_ADMIN, Capability.SYS_TIME);
        assertThat(host.getCapDrop()).containsExactly(Capability.MKNOD);
        assertThat(host.getInit()).isTrue();
        assertThat(host.getShmSize()).isEqualTo(64L << 20);
        assertThat(host.getTmpFs()).containsEntry("/scratch", "size=32m,noexec,nosuid");
        assertThat(host.getDevices()).singleElement().satisfies(d -> {
            assertThat(d.getPathOnHost()).isEqualTo("/dev/fuse");
            assertThat(d.getPathInContainer()).isEqualTo("/dev/fuse");
            assertThat(d.getcGroupPermissions()).isEqualTo("rw");
        });
        assertThat(host.getReadonlyRootfs()).isTrue();
        assertThat(host.getPrivileged()).isTrue();
        assertThat(host.getExtraHosts()).containsExactly("db.local:10.0.0.5");
        assertThat(host.getDns()).containsExactly("1.1.1.1");
        assertThat(host.getDnsSearch()).containsExactly("corp");
        assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
        assertThat(host.getSysctls()).containsEntry("net.core.somaxconn", "1024");
        assertThat(host.getLinks()).singleElement().satisfies(l -> {
            assertThat(l.getName()).isEqualTo("ecs-fam-1-db-0123");
            assertThat(l.getAlias()).isEqualTo("database");
        });
        assertThat(host.getBinds()).extracting(Bind::getPath, b -> b.getVolume().getPath(), Bind::getAccessMode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/var/log/app", "/logs", AccessMode.rw),
                        org.assertj.core.groups.Tuple.tuple("ecs-abc-data", "/data", AccessMode.ro));
        assertThat(host.getVolumesFrom()).singleElement().satisfies(v -> {
            assertThat(v.getContainer()).isEqualTo("ecs-fam-1-db-0123");
            assertThat(v.getAccessMode()).isEqualTo(AccessMode.ro);
        });
        assertThat(cmd.getHealthcheck().getTest()).containsExactly("CMD-SHELL", "true");
        assertThat(cmd.getHealthcheck().getInterval()).isEqualTo(30_000_000_000L);
        assertThat(cmd.getHealthcheck().getTimeout()).isEqualTo(5_000_000_000L);
        assertThat(cmd.getHealthcheck().getRetries()).isEqualTo(3);
        assertThat(cmd.getHealthcheck().getStartPeriod()).isZero();
        assertThat(host.getNetworkMode()).isEqualTo("bridge");
        assertThat(cmd.getExposedPorts()).containsExactly(ExposedPort.tcp(80), ExposedPort.udp(53));
        Map<ExposedPort, Ports.Binding[]> bindings = host.getPortBindings().getBindings();
        assertThat(bindings.get(ExposedPort.tcp(80))).containsExactly(new Ports.Binding("127.0.0.1", ""));
        assertThat(bindings.get(ExposedPort.udp(53))).containsExactly(new Ports.Binding("127.0.0.1", "5353"));
    }

    @Test
    void defaultsFollowTheEcsAgent() throws Exception {
        CreateContainerCmd cmd = map(ContainerDefinition.builder().name("app").image("img").build(), 512);
        assertThat(cmd.getHostConfig().getCpuShares()).isEqualTo(2);
        assertThat(cmd.getHostConfig().getMemory()).as("task memory when the container sets none").isEqualTo(512L << 20);
        assertThat(cmd.getHostConfig().getMemoryReservation()).isNull();
        assertThat(cmd.getHealthcheck()).isNull();
        assertThat(cmd.getEntrypoint()).isNull();
        assertThat(cmd.getCmd()).isNull();

        CreateContainerCmd soft = map(ContainerDefinition.builder().name("app").image("img").cpu(1).memoryReservation(64).build(), 512);
        assertThat(soft.getHostConfig().getCpuShares()).isEqualTo(2);
        assertThat(soft.getHostConfig().getMemory()).as("a reservation alone sets no hard limit").isNull();
        assertThat(soft.getHostConfig().getMemoryReservation()).isEqualTo(64L << 20);
    }

    @Test
    void anAwsvpcContainerJoinsItsTaskHoldersNamespaceAndBindsNothing() throws Exception {
        ContainerDefinition def = ContainerDefinition.builder().name("app").image("img").hostname("web").links("db")
                .extraHosts(h -> h.hostname("x").ipAddress("10.0.0.1")).dnsServers("10.0.0.2")
                .portMappings(PortMapping.builder().containerPort(8080).hostPort(8080).build()).build();
        ContainerSpec spec = new ContainerSpec(TASK, "abc", "c", "fam", 1, def, NetworkMode.AWSVPC, "0.0.0.0", List.of(), 256, 512,
                null, Map.of(), Map.of());
        CreateContainerCmd cmd = new CreateContainerCmdImpl(NOT_SENT, null, "img");
        ContainerConfigMapper.apply(cmd, spec, IDENTITY, new ContainerConfigMapper.Resolver() {
            @Override
            public String dockerNameOf(String containerName) {
                return "other";
            }

            @Override
            public ContainerConfigMapper.VolumeSource volume(String volumeName) {
                return null;
            }

            @Override
            public String taskNetworkContainer() {
                return "holder-id";
            }
        });
        HostConfig host = cmd.getHostConfig();
        assertThat(host.getNetworkMode()).isEqualTo("container:holder-id");
        assertThat(cmd.getExposedPorts()).isNullOrEmpty();
        assertThat(host.getPortBindings()).isNull();
        // Docker refuses these in another container's namespace (and ECS refuses them for awsvpc).
        assertThat(cmd.getHostName()).isNull();
        assertThat(host.getLinks()).isNullOrEmpty();
        assertThat(host.getExtraHosts()).isNull();
        assertThat(host.getDns()).isNull();

        CreateContainerCmd orphaned = new CreateContainerCmdImpl(NOT_SENT, null, "img");
        assertThatThrownBy(() -> ContainerConfigMapper.apply(orphaned, spec, IDENTITY, RESOLVER))
                .hasMessage("CannotStartContainerError: the network namespace of this awsvpc task is gone");
    }

    @Test
    void taskLevelCpuBecomesACpuLimitBoundedByTheEngine() {
        assertThat(ContainerConfigMapper.nanoCpus(null, 2)).isNull();
        assertThat(ContainerConfigMapper.nanoCpus(256, 2)).isEqualTo(250_000_000L);
        assertThat(ContainerConfigMapper.nanoCpus(1024, 2)).isEqualTo(1_000_000_000L);
        assertThat(ContainerConfigMapper.nanoCpus(4096, 2)).as("Docker refuses more CPUs than the engine has").isEqualTo(2_000_000_000L);
    }

    @Test
    void hostAndNoneNetworkModesBindNothing() throws Exception {
        ContainerDefinition def = ContainerDefinition.builder().name("app").image("img")
                .portMappings(PortMapping.builder().containerPort(8080).build()).build();
        for (NetworkMode mode : List.of(NetworkMode.HOST, NetworkMode.NONE)) {
            CreateContainerCmd cmd = new CreateContainerCmdImpl(NOT_SENT, null, "img");
            ContainerConfigMapper.apply(cmd, new ContainerSpec(TASK, "abc", "c", "fam", 1, def, mode, "0.0.0.0", List.of(), null,
                    null, null, Map.of(), Map.of()), IDENTITY, RESOLVER);
            assertThat(cmd.getHostConfig().getNetworkMode()).isEqualTo(mode.toString());
            assertThat(cmd.getHostConfig().getPortBindings()).isNull();
        }
        assertThat(NetworkBindings.forHostMode(def.portMappings(), null)).containsExactly(NetworkBinding.builder()
                .bindIP("0.0.0.0").containerPort(8080).hostPort(8080).protocol(TransportProtocol.TCP).build());
    }

    @Test
    void definitionsDockerCannotTakeAreRefusedWithEcsReasons() {
        assertThatThrownBy(() -> map(ContainerDefinition.builder().name("app").image("img").links("nobody").build(), null))
                .hasMessageStartingWith("CannotCreateContainerError: linked container nobody");
        assertThatThrownBy(() -> map(ContainerDefinition.builder().name("app").image("img")
                .mountPoints(MountPoint.builder().sourceVolume("missing").containerPath("/m").build()).build(), null))
                .hasMessageContaining("names volume missing");
        assertThatThrownBy(() -> map(ContainerDefinition.builder().name("app").image("img")
                .linuxParameters(LinuxParameters.builder().capabilities(KernelCapabilities.builder().add("FLY").build()).build())
                .build(), null)).hasMessage("CannotCreateContainerError: unknown Linux capability FLY");
        assertThatThrownBy(() -> map(ContainerDefinition.builder().name("app").image("img")
                .environmentFiles(b -> b.type("s3").value("arn:aws:s3:::bucket/app.env")).build(), null))
                .hasMessageStartingWith("ResourceInitializationError: failed to download env files: ");
    }

    @Test
    void environmentFilesAreKeyValueLinesWithComments() {
        assertThat(EnvironmentFiles.parse("# c\nA=1\n\nB = two=2\nnot a pair\nC=\r\nD=quoted \"x\"\n"))
                .containsExactly(Map.entry("A", "1"), Map.entry("B", " two=2"), Map.entry("C", ""), Map.entry("D", "quoted \"x\""));
    }

    @Test
    void namesAndImageReferences() {
        assertThat(ContainerConfigMapper.sanitize("ecs-my fam-1-web/x")).isEqualTo("ecs-my-fam-1-web-x");
        assertThat(Images.withDefaultTag("busybox")).isEqualTo("busybox:latest");
        assertThat(Images.withDefaultTag("localhost:5000/app")).isEqualTo("localhost:5000/app:latest");
        assertThat(Images.withDefaultTag("localhost:5000/app:2")).isEqualTo("localhost:5000/app:2");
        assertThat(Images.withDefaultTag("app@sha256:abc")).isEqualTo("app@sha256:abc");
        assertThat(TaskVolumes.taskVolumeName("abc", "my data")).isEqualTo("ecs-abc-my-data");
    }

    @Test
    void bindingsAreWhatDockerBoundWithRangesCollapsed() {
        Ports ports = new Ports();
        ports.bind(ExposedPort.tcp(80), Ports.Binding.bindIpAndPort("0.0.0.0", 32768));
        ports.bind(ExposedPort.tcp(80), Ports.Binding.bindIpAndPort("::", 32768));
        for (int i = 0; i < 3; i++) {
            ports.bind(ExposedPort.udp(9000 + i), Ports.Binding.bindIpAndPort("0.0.0.0", 40000 + i));
        }
        ports.bind(ExposedPort.tcp(7000), Ports.Binding.bindIpAndPort("0.0.0.0", 41000));
        ports.bind(ExposedPort.tcp(7001), Ports.Binding.bindIpAndPort("0.0.0.0", 41005));

        List<NetworkBinding> bindings = NetworkBindings.fromDocker(ports,
                Set.of("9000/udp", "9001/udp", "9002/udp", "7000/tcp", "7001/tcp"));

        assertThat(bindings).containsExactly(
                NetworkBinding.builder().bindIP("0.0.0.0").containerPort(80).hostPort(32768).protocol(TransportProtocol.TCP).build(),
                NetworkBinding.builder().bindIP("0.0.0.0").containerPort(7000).hostPort(41000).protocol(TransportProtocol.TCP).build(),
                NetworkBinding.builder().bindIP("0.0.0.0").containerPort(7001).hostPort(41005).protocol(TransportProtocol.TCP).build(),
                NetworkBinding.builder().bindIP("0.0.0.0").containerPortRange("9000-9002").hostPortRange("40000-40002")
                        .protocol(TransportProtocol.UDP).build(),
                NetworkBinding.builder().bindIP("::").containerPort(80).hostPort(32768).protocol(TransportProtocol.TCP).build());
    }

    @Test
    void reportsKeepTheirOrderWhateverOrderDockerSpeaksIn() {
        RecordingListener listener = new RecordingListener();
        try (Reporter reporter = new Reporter()) {
            reporter.listener(listener);

            // Exit and health seen before the start was reported: held, then reported after it.
            TrackedContainer quick = new TrackedContainer(TASK, "quick");
            quick.hasHealthCheck = true;
            assertThat(quick.beginLaunch()).isTrue();
            reporter.pullStarted(TASK, "quick");
            quick.health(reporter, HealthStatus.HEALTHY);
            quick.exited(reporter, 3, null);
            quick.exited(reporter, 4, null);
            quick.started(reporter, "id", List.of());
            quick.launchEnded(reporter);
            quick.exited(reporter, 5, null);
            listener.await(TASK, "quick", STOPPED, Duration.ofSeconds(5));
            assertThat(listener.kinds(TASK, "quick")).containsExactly(PULL_STARTED, STARTED, HEALTH, STOPPED);
            assertThat(listener.reports(TASK, "quick").get(3).exitCode()).isEqualTo(3);

            // A launch that fails reports containerFailed only, even if Docker then says the container died.
            TrackedContainer broken = new TrackedContainer(TASK, "broken");
            broken.beginLaunch();
            broken.exited(reporter, 127, null);
            broken.failed(reporter, "CannotStartContainerError: x");
            broken.launchEnded(reporter);
            // ...but a stop asked for afterwards reports it stopped, once, so the task can finish.
            broken.stopRequested = true;
            broken.stoppedWithoutRunning(reporter);
            broken.stoppedWithoutRunning(reporter);
            listener.await(TASK, "broken", STOPPED, Duration.ofSeconds(5));
            assertThat(listener.kinds(TASK, "broken")).containsExactly(FAILED, STOPPED);
            assertThat(listener.reports(TASK, "broken").get(1).exitCode()).isNull();

            // A stop asked for during the pull: the launch reports the stop itself, without a start.
            TrackedContainer pulling = new TrackedContainer(TASK, "pulling");
            pulling.beginLaunch();
            pulling.stopRequested = true;
            pulling.stoppedWithoutRunning(reporter);
            pulling.launchEnded(reporter);
            listener.await(TASK, "pulling", STOPPED, Duration.ofSeconds(5));
            assertThat(pulling.beginLaunch()).isFalse();
            assertThat(pulling.finished()).isTrue();
        }
    }
}
