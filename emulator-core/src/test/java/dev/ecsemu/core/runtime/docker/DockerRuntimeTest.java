package dev.ecsemu.core.runtime.docker;

import static dev.ecsemu.core.testing.RecordingListener.FAILED;
import static dev.ecsemu.core.testing.RecordingListener.HEALTH;
import static dev.ecsemu.core.testing.RecordingListener.PULL_STARTED;
import static dev.ecsemu.core.testing.RecordingListener.PULL_STOPPED;
import static dev.ecsemu.core.testing.RecordingListener.STARTED;
import static dev.ecsemu.core.testing.RecordingListener.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Ports;
import dev.ecsemu.core.runtime.ContainerSpec;
import dev.ecsemu.core.runtime.TaskNetworkSpec;
import dev.ecsemu.core.testing.EngineProxy;
import dev.ecsemu.core.testing.RecordingListener;
import dev.ecsemu.core.testing.RecordingListener.Report;
import dev.ecsemu.core.testing.RequiresDocker;
import dev.ecsemu.core.testing.TestDocker;
import dev.ecsemu.core.testing.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.EnvironmentFile;
import software.amazon.awssdk.services.ecs.model.EnvironmentFileType;
import software.amazon.awssdk.services.ecs.model.HealthCheck;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LinuxParameters;
import software.amazon.awssdk.services.ecs.model.MountPoint;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;
import software.amazon.awssdk.services.ecs.model.Volume;
import software.amazon.awssdk.services.ecs.model.VolumeFrom;

/** The Docker adapter against the real local engine, with a busybox image built locally. */
@RequiresDocker
class DockerRuntimeTest {
    private static final Duration START = Duration.ofSeconds(20);
    private static final Duration SHORT = Duration.ofSeconds(10);
    private static final String CLUSTER = "test-cluster";

    private static DockerRuntime runtime;
    private static RecordingListener listener;
    private static String image;
    private static DockerClient docker;

    private final List<String> tasks = new ArrayList<>();

    @BeforeAll
    static void startRuntime() throws Exception {
        image = TestImages.busybox();
        docker = TestDocker.client();
        listener = new RecordingListener();
        runtime = new DockerRuntime();
        runtime.start(listener);
        assertThat(runtime.firstCheck().get(20, TimeUnit.SECONDS).available()).isTrue();
    }

    @AfterAll
    static void closeRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** Every test's tasks are removed, and removeTask leaves neither container nor volume behind. */
    @AfterEach
    void removeTasks() throws Exception {
        for (String taskArn : tasks) {
            runtime.removeTaskAsync(taskArn).get(30, TimeUnit.SECONDS);
            assertThat(docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(RuntimeIdentity.TASK_ARN, taskArn)).exec()).as("containers of " + taskArn).isEmpty();
            assertThat(docker.listVolumesCmd().withFilter("label", List.of(RuntimeIdentity.TASK_ARN + "=" + taskArn))
                    .exec().getVolumes()).as("volumes of " + taskArn).isNullOrEmpty();
        }
    }

    // ---------------------------------------------------------------- helpers

    private String newTask() {
        String taskId = UUID.randomUUID().toString().replace("-", "");
        String arn = "arn:aws:ecs:us-east-1:000000000000:task/" + CLUSTER + "/" + taskId;
        tasks.add(arn);
        return arn;
    }

    private static String taskId(String taskArn) {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    private static ContainerDefinition.Builder container(String name, String... command) {
        ContainerDefinition.Builder b = ContainerDefinition.builder().name(name).image(image).essential(true);
        if (command.length > 0) {
            b.command(command);
        }
        return b;
    }

    private static ContainerSpec spec(String taskArn, ContainerDefinition def, Volume... volumes) {
        return spec(taskArn, def, NetworkMode.BRIDGE, null, volumes);
    }

    private static ContainerSpec spec(String taskArn, ContainerDefinition def, NetworkMode mode, Integer taskMemory,
            Volume... volumes) {
        return new ContainerSpec(taskArn, taskId(taskArn), CLUSTER, "fam", 1, def, mode, "127.0.0.1", List.of(volumes), null,
                taskMemory, Duration.ofSeconds(2), Map.of("com.amazonaws.ecs.task-arn", taskArn),
                Map.of("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/" + def.name()));
    }

    private static String logs(String containerId) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (out) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }
        }).awaitCompletion(10, TimeUnit.SECONDS);
        synchronized (out) {
            return out.toString();
        }
    }

    private static NetworkBinding binding(Report started, int containerPort) {
        return started.bindings().stream()
                .filter(b -> b.containerPort() != null && b.containerPort() == containerPort && "127.0.0.1".equals(b.bindIP()))
                .findFirst().orElseThrow(() -> new AssertionError("no binding of " + containerPort + " in " + started.bindings()));
    }

    // ---------------------------------------------------------------- cases

    @Test
    void httpdServesFromTheHostOnTheDynamicPortDockerBound() throws Exception {
        String task = newTask();
        runtime.startContainer(spec(task, container("web", "sh", "-c",
                "mkdir -p /www && echo hello-from-ecs-emu > /www/index.html && exec httpd -f -p 8080 -h /www")
                .portMappings(PortMapping.builder().containerPort(8080).build()).build()));

        Report started = listener.await(task, "web", STARTED, START);
        NetworkBinding web = binding(started, 8080);
        assertThat(web.hostPort()).isPositive();
        assertThat(web.protocol()).isEqualTo(TransportProtocol.TCP);
        assertThat(listener.kinds(task, "web")).containsExactly(PULL_STARTED, PULL_STOPPED, STARTED);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.hostPort() + "/index.html"))
                .timeout(Duration.ofSeconds(2)).build();
        // httpd may need a moment after the container started: retry within a bound.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HttpResponse<String> response = null;
        IOException last = null;
        while (response == null && System.nanoTime() < deadline) {
            try {
                response = http.send(get, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = e;
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        assertThat(response).as("HTTP answer from httpd (last error: %s)", last).isNotNull();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello-from-ecs-emu\n");
    }

    @Test
    void twoContainersWithHostPortZeroGetDifferentHostPorts() {
        String task = newTask();
        runtime.startContainer(spec(task, container("a", "sleep", "30")
                .portMappings(PortMapping.builder().containerPort(80).hostPort(0).build()).build()));
        runtime.startContainer(spec(task, container("b", "sleep", "30")
                .portMappings(PortMapping.builder().containerPort(80).hostPort(0).build()).build()));

        int a = binding(listener.await(task, "a", STARTED, START), 80).hostPort();
        int b = binding(listener.await(task, "b", STARTED, START), 80).hostPort();
        assertThat(a).isPositive().isNotEqualTo(b);
        assertThat(b).isPositive();
    }

    @Test
    void bindingsAreEveryEntryDockerReportsIpv4AndIpv6Alike() {
        String task = newTask();
        ContainerDefinition def = container("everywhere", "sleep", "30")
                .portMappings(PortMapping.builder().containerPort(80).build()).build();
        runtime.startContainer(new ContainerSpec(task, taskId(task), CLUSTER, "fam", 1, def, NetworkMode.BRIDGE, null, List.of(),
                null, null, null, Map.of(), Map.of()));

        Report started = listener.await(task, "everywhere", STARTED, START);
        Ports.Binding[] bound = docker.inspectContainerCmd(started.runtimeId()).exec().getNetworkSettings().getPorts()
                .getBindings().get(ExposedPort.tcp(80));
        assertThat(started.bindings()).extracting(NetworkBinding::bindIP, NetworkBinding::hostPort)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(bound)
                        .map(b -> org.assertj.core.groups.Tuple.tuple(b.getHostIp(), Integer.parseInt(b.getHostPortSpec())))
                        .toList());
        assertThat(started.bindings()).extracting(NetworkBinding::bindIP).contains("0.0.0.0");
    }

    @Test
    void aContainerPortRangeIsBoundToAContiguousHostPortRange() {
        String task = newTask();
        runtime.startContainer(spec(task, container("ranges", "sleep", "30")
                .portMappings(PortMapping.builder().containerPortRange("9000-9002").protocol(TransportProtocol.UDP).build())
                .build()));

        Report started = listener.await(task, "ranges", STARTED, START);
        NetworkBinding range = started.bindings().stream().filter(b -> "127.0.0.1".equals(b.bindIP())).findFirst().orElseThrow();
        assertThat(range.containerPortRange()).isEqualTo("9000-9002");
        assertThat(range.protocol()).isEqualTo(TransportProtocol.UDP);
        int[] host = Arrays.stream(range.hostPortRange().split("-")).mapToInt(Integer::parseInt).toArray();
        assertThat(host[1] - host[0]).isEqualTo(2);
    }

    @Test
    void anExitCodeIsReportedInOrderEvenWhenTheContainerExitsAtOnce() {
        String task = newTask();
        runtime.startContainer(spec(task, container("quick", "sh", "-c", "exit 3").build()));

        Report stopped = listener.await(task, "quick", STOPPED, START);
        assertThat(stopped.exitCode()).isEqualTo(3);
        assertThat(stopped.reason()).isNull();
        assertThat(listener.kinds(task, "quick")).containsExactly(PULL_STARTED, PULL_STOPPED, STARTED, STOPPED);
        assertThat(listener.reports(task, "quick").get(2).runtimeId()).isNotBlank();
    }

    @Test
    void aContainerKilledFromOutsideReports137() {
        String task = newTask();
        runtime.startContainer(spec(task, container("victim", "sleep", "30").build()));
        String id = listener.await(task, "victim", STARTED, START).runtimeId();

        docker.killContainerCmd(id).exec();

        Report stopped = listener.await(task, "victim", STOPPED, Duration.ofSeconds(2));
        assertThat(stopped.exitCode()).isEqualTo(137);
        assertThat(stopped.reason()).isNull();
    }

    @Test
    void stopHonoursTheTimeoutThenKills() {
        String task = newTask();
        runtime.startContainer(spec(task, container("stubborn", "sh", "-c", "trap '' TERM; while true; do sleep 0.1; done").build()));
        runtime.startContainer(spec(task, container("polite", "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done").build()));
        listener.await(task, "stubborn", STARTED, START);
        listener.await(task, "polite", STARTED, START);

        long before = System.nanoTime();
        runtime.stopContainer(task, "stubborn", Duration.ofSeconds(1));
        runtime.stopContainer(task, "polite", Duration.ofSeconds(1));

        Report polite = listener.await(task, "polite", STOPPED, SHORT);
        assertThat(polite.exitCode()).isIn(0, 143);
        assertThat(Duration.ofNanos(polite.atNanos() - before)).isLessThan(Duration.ofMillis(900));
        Report stubborn = listener.await(task, "stubborn", STOPPED, SHORT);
        assertThat(stubborn.exitCode()).isEqualTo(137);
        assertThat(Duration.ofNanos(stubborn.atNanos() - before)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
        assertThat(listener.kinds(task, "stubborn")).containsExactly(PULL_STARTED, PULL_STOPPED, STARTED, STOPPED);
    }

    @Test
    void stoppingAContainerThatNeverStartedReportsItStoppedOnce() throws Exception {
        String task = newTask();
        runtime.stopContainer(task, "ghost", Duration.ofSeconds(1));

        Report stopped = listener.await(task, "ghost", STOPPED, SHORT);
        assertThat(stopped.exitCode()).isNull();
        runtime.stopContainer(task, "ghost", Duration.ofSeconds(1));
        // A second stop reports nothing more: a later report of another container proves the queue moved on.
        runtime.stopContainer(task, "other", Duration.ofSeconds(1));
        listener.await(task, "other", STOPPED, SHORT);
        assertThat(listener.kinds(task, "ghost")).containsExactly(STOPPED);
    }

    @Test
    void aMissingImageFailsWithCannotPullContainerError() {
        String task = newTask();
        runtime.startContainer(spec(task, ContainerDefinition.builder().name("nope").image("localhost:1/nope:latest").build()));

        Report failed = listener.await(task, "nope", FAILED, START);
        assertThat(failed.reason()).startsWith("CannotPullContainerError: ").contains("localhost:1");
        assertThat(listener.kinds(task, "nope")).containsExactly(PULL_STARTED, FAILED);
    }

    @Test
    void anAwsvpcContainerWithoutItsTaskNetworkFailsPlainly() {
        String task = newTask();
        runtime.startContainer(spec(task, container("vpc", "sleep", "1").build(), NetworkMode.AWSVPC, null));

        Report failed = listener.await(task, "vpc", FAILED, SHORT);
        assertThat(failed.reason()).isEqualTo("CannotStartContainerError: the network namespace of this awsvpc task is gone");
    }

    @Test
    void anAwsvpcTaskGetsAnAddressAndItsContainersShareOneNamespace() throws Exception {
        String task = newTask();
        runtime.attachTaskNetwork(new TaskNetworkSpec(task, taskId(task), CLUSTER, "000000000000", "us-east-1",
                List.of(PortMapping.builder().containerPort(8080).build())));
        Report attached = listener.await(task, RecordingListener.TASK, RecordingListener.NETWORK_ATTACHED, START);
        String[] address = attached.runtimeId().split(" ");
        assertThat(address[0]).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(address[1]).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");

        runtime.startContainer(spec(task, container("web", "sh", "-c",
                "mkdir -p /www && echo shared > /www/index.html && exec httpd -f -p 8080 -h /www").build(), NetworkMode.AWSVPC, null));
        runtime.startContainer(spec(task, container("probe", "sh", "-c",
                "for i in $(seq 1 100); do wget -q -O- http://localhost:8080/ | grep -q shared && exit 0; sleep 0.1; done; exit 1")
                .build(), NetworkMode.AWSVPC, null));
        assertThat(listener.await(task, "web", STARTED, START).bindings()).isEmpty();
        Report probe = listener.await(task, "probe", STOPPED, START);
        assertThat(probe.exitCode()).as("the probe reached web on localhost").isZero();

        List<Container> holder = docker.listContainersCmd().withLabelFilter(Map.of(RuntimeIdentity.TASK_ARN, task,
                HolderImage.LABEL, "true")).exec();
        assertThat(holder).singleElement().satisfies(h -> assertThat(h.getImage()).isEqualTo(HolderImage.IMAGE));
        // removeTasks (after each test) checks that the holder goes with the task's containers.
    }

    @Test
    void anAwsvpcTaskWhoseNetworkCannotBeSetUpIsToldWhy() throws Exception {
        try (DockerRuntime unreachable = new DockerRuntime("tcp://127.0.0.1:1")) {
            RecordingListener seen = new RecordingListener();
            unreachable.start(seen);
            unreachable.firstCheck().get(20, TimeUnit.SECONDS);
            String task = "arn:aws:ecs:us-east-1:000000000000:task/" + CLUSTER + "/nowhere";
            unreachable.attachTaskNetwork(new TaskNetworkSpec(task, "nowhere", CLUSTER, "000000000000", "us-east-1", List.of()));
            Report failed = seen.await(task, RecordingListener.TASK, RecordingListener.NETWORK_FAILED, Duration.ofSeconds(60));
            assertThat(failed.reason()).startsWith("ResourceInitializationError: no Docker engine answers at tcp://127.0.0.1:1");
        }
    }

    @Test
    void healthChecksReportHealthyAndUnhealthy() {
        String task = newTask();
        runtime.startContainer(spec(task, container("fine", "sleep", "30")
                .healthCheck(HealthCheck.builder().command("CMD-SHELL", "exit 0").interval(1).timeout(1).retries(1).build())
                .build()));
        runtime.startContainer(spec(task, container("sick", "sleep", "30")
                .healthCheck(HealthCheck.builder().command("CMD-SHELL", "exit 1").interval(1).timeout(1).retries(1).build())
                .build()));

        assertThat(listener.await(task, "fine", HEALTH, START).health()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(listener.await(task, "sick", HEALTH, START).health()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(listener.kinds(task, "fine")).containsExactly(PULL_STARTED, PULL_STOPPED, STARTED, HEALTH);
    }

    @Test
    void environmentCommandWorkingDirectoryAndUserAreThoseOfTheDefinition(@TempDir Path dir) throws Exception {
        Path envFile = dir.resolve("app.env");
        Files.writeString(envFile, "# a comment\nFROM_FILE=yes\nOVERRIDDEN=by-file\n\nSPACES=a b c\n");
        String task = newTask();
        runtime.startContainer(spec(task, container("env")
                .entryPoint("sh", "-c")
                .command("env; echo cwd=$(pwd); echo uid=$(id -u)")
                .environment(KeyValuePair.builder().name("GREETING").value("hello").build(),
                        KeyValuePair.builder().name("OVERRIDDEN").value("by-definition").build())
                .environmentFiles(EnvironmentFile.builder().type(EnvironmentFileType.S3).value(envFile.toString()).build())
                .workingDirectory("/work")
                .user("1234")
                .build()));

        Report stopped = listener.await(task, "env", STOPPED, START);
        assertThat(stopped.exitCode()).isZero();
        String id = listener.await(task, "env", STARTED, SHORT).runtimeId();
        assertThat(logs(id).lines().toList()).contains("GREETING=hello", "FROM_FILE=yes", "OVERRIDDEN=by-definition",
                "SPACES=a b c", "ECS_CONTAINER_METADATA_URI_V4=http://169.254.170.2/v4/env", "cwd=/work", "uid=1234")
                .noneMatch(l -> l.contains("comment"));
    }

    @Test
    void aTaskVolumeIsSharedByTheTaskContainers() throws Exception {
        String task = newTask();
        Volume data = Volume.builder().name("data").build();
        MountPoint mount = MountPoint.builder().sourceVolume("data").containerPath("/data").build();
        runtime.startContainer(spec(task, container("writer", "sh", "-c", "echo shared-content > /data/f").mountPoints(mount).build(),
                data));
        assertThat(listener.await(task, "writer", STOPPED, START).exitCode()).isZero();

        runtime.startContainer(spec(task, container("reader", "cat", "/data/f")
                .mountPoints(mount.toBuilder().readOnly(true).build()).build(), data));
        runtime.startContainer(spec(task, container("borrower", "cat", "/data/f")
                .volumesFrom(VolumeFrom.builder().sourceContainer("writer").readOnly(true).build()).build(), data));
        assertThat(listener.await(task, "reader", STOPPED, START).exitCode()).isZero();
        assertThat(listener.await(task, "borrower", STOPPED, START).exitCode()).isZero();
        assertThat(logs(listener.await(task, "reader", STARTED, SHORT).runtimeId())).isEqualTo("shared-content\n");
        assertThat(logs(listener.await(task, "borrower", STARTED, SHORT).runtimeId())).isEqualTo("shared-content\n");

        String volumeName = "ecs-" + taskId(task) + "-data";
        assertThat(docker.inspectVolumeCmd(volumeName).exec().getLabels())
                .containsEntry(RuntimeIdentity.MANAGED, "true")
                .containsEntry(RuntimeIdentity.TASK_ARN, task)
                .containsEntry(RuntimeIdentity.PID, Long.toString(ProcessHandle.current().pid()));

        runtime.removeTaskAsync(task).get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> docker.inspectVolumeCmd(volumeName).exec()).isInstanceOf(NotFoundException.class);
    }

    @Test
    void containersCarryTheirLabelsNameAndResources() {
        String task = newTask();
        runtime.startContainer(spec(task, container("labelled", "sleep", "30")
                .dockerLabels(Map.of("app", "web"))
                .hostname("inside")
                .linuxParameters(LinuxParameters.builder().initProcessEnabled(false).sharedMemorySize(16).build())
                .build(), NetworkMode.BRIDGE, 64));
        String id = listener.await(task, "labelled", STARTED, START).runtimeId();

        InspectContainerResponse inspected = docker.inspectContainerCmd(id).exec();
        assertThat(inspected.getConfig().getLabels())
                .containsEntry(RuntimeIdentity.MANAGED, "true")
                .containsEntry(RuntimeIdentity.PID, Long.toString(ProcessHandle.current().pid()))
                .containsEntry(RuntimeIdentity.HOST, RuntimeIdentity.current().host())
                .containsEntry(RuntimeIdentity.TASK_ARN, task)
                .containsEntry(RuntimeIdentity.CONTAINER_NAME, "labelled")
                .containsEntry(RuntimeIdentity.CLUSTER, CLUSTER)
                .containsEntry("com.amazonaws.ecs.task-arn", task)
                .containsEntry("app", "web");
        assertThat(inspected.getName()).matches("/?ecs-fam-1-labelled-[0-9a-f]{20}");
        assertThat(inspected.getConfig().getHostName()).isEqualTo("inside");
        assertThat(inspected.getHostConfig().getCpuShares()).isEqualTo(2);
        assertThat(inspected.getHostConfig().getMemory()).isEqualTo(64L * 1024 * 1024);
        assertThat(inspected.getHostConfig().getShmSize()).isEqualTo(16L * 1024 * 1024);
    }

    @Test
    void anOutOfMemoryKillIsReportedWithEcsReason() {
        String task = newTask();
        runtime.startContainer(spec(task, container("hungry", "sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo ${#x}")
                .memory(8)
                .linuxParameters(LinuxParameters.builder().maxSwap(0).build())
                .build()));

        Report stopped = listener.await(task, "hungry", STOPPED, START);
        assertThat(stopped.exitCode()).isEqualTo(137);
        assertThat(stopped.reason()).isEqualTo(DockerRuntime.OOM_REASON);
    }

    @Test
    void whenTheEngineComesBackTheRuntimeCatchesUpAndFollowsItsEventsAgain() throws Exception {
        String task = newTask();
        RecordingListener seen = new RecordingListener();
        try (EngineProxy proxy = new EngineProxy(); DockerRuntime viaProxy = new DockerRuntime(proxy.dockerHost())) {
            viaProxy.start(seen);
            assertThat(viaProxy.firstCheck().get(20, TimeUnit.SECONDS).available()).isTrue();
            viaProxy.startContainer(spec(task, container("brief", "sh", "-c", "sleep 1; exit 7").build()));
            viaProxy.startContainer(spec(task, container("lasting", "sleep", "30").build()));
            String brief = seen.await(task, "brief", STARTED, START).runtimeId();
            String lasting = seen.await(task, "lasting", STARTED, START).runtimeId();

            proxy.down();
            // The container exits while the engine is out of reach.
            assertThat(docker.waitContainerCmd(brief).start().awaitStatusCode(10, TimeUnit.SECONDS)).isEqualTo(7);
            proxy.up();

            // Caught up once the stream is open again...
            assertThat(seen.await(task, "brief", STOPPED, SHORT).exitCode()).isEqualTo(7);
            // ...and later events arrive through the new stream.
            docker.killContainerCmd(lasting).exec();
            assertThat(seen.await(task, "lasting", STOPPED, Duration.ofSeconds(2)).exitCode()).isEqualTo(137);
            assertThat(seen.kinds(task, "brief")).containsExactly(PULL_STARTED, PULL_STOPPED, STARTED, STOPPED);
        }
    }

    @Test
    void aStopThatFailsWhileTheEngineIsAwayIsRetriedUntilItWorks() throws Exception {
        String task = newTask();
        RecordingListener seen = new RecordingListener();
        try (EngineProxy proxy = new EngineProxy(); DockerRuntime viaProxy = new DockerRuntime(proxy.dockerHost())) {
            viaProxy.start(seen);
            assertThat(viaProxy.firstCheck().get(20, TimeUnit.SECONDS).available()).isTrue();
            viaProxy.startContainer(spec(task, container("sleeper", "sleep", "30").build()));
            String id = seen.await(task, "sleeper", STARTED, START).runtimeId();

            proxy.down();
            viaProxy.stopContainer(task, "sleeper", Duration.ofSeconds(1));
            Thread.sleep(500);
            assertThat(docker.inspectContainerCmd(id).exec().getState().getRunning()).as("the stop could not reach the engine").isTrue();
            assertThat(seen.kinds(task, "sleeper")).doesNotContain(STOPPED);
            proxy.up();

            Report stopped = seen.await(task, "sleeper", STOPPED, Duration.ofSeconds(20));
            assertThat(stopped.exitCode()).isEqualTo(137);
            assertThat(docker.inspectContainerCmd(id).exec().getState().getRunning()).isFalse();
        }
    }

    @Test
    void aRemovalThatFailsWhileTheEngineIsAwayIsRetriedWhenItIsBack() throws Exception {
        String task = newTask();
        RecordingListener seen = new RecordingListener();
        try (EngineProxy proxy = new EngineProxy(); DockerRuntime viaProxy = new DockerRuntime(proxy.dockerHost())) {
            viaProxy.start(seen);
            assertThat(viaProxy.firstCheck().get(20, TimeUnit.SECONDS).available()).isTrue();
            viaProxy.startContainer(spec(task, container("leftover", "sleep", "30").build()));
            String id = seen.await(task, "leftover", STARTED, START).runtimeId();

            proxy.down();
            java.util.concurrent.CompletableFuture<Void> removal = viaProxy.removeTaskAsync(task);
            Thread.sleep(500);
            assertThat(removal).as("the engine is away").isNotDone();
            assertThat(docker.inspectContainerCmd(id).exec().getState().getRunning()).isTrue();
            proxy.up();

            removal.get(20, TimeUnit.SECONDS);
            assertThat(docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(id)).exec()).isEmpty();
        }
    }

    @Test
    void orphansOfDeadEmulatorsAreRemovedAtStart() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        String deadPid = Long.toString(gone.pid());
        String host = RuntimeIdentity.current().host();
        Map<String, String> orphanLabels = new HashMap<>(Map.of(RuntimeIdentity.MANAGED, "true", RuntimeIdentity.PID, deadPid,
                RuntimeIdentity.HOST, host, RuntimeIdentity.TASK_ARN, "arn:aws:ecs:us-east-1:000000000000:task/x/orphan"));
        Map<String, String> otherHost = new HashMap<>(orphanLabels);
        otherHost.put(RuntimeIdentity.HOST, "some-other-host-" + UUID.randomUUID());

        String orphan = docker.createContainerCmd(image).withCmd("sleep", "30").withLabels(orphanLabels).exec().getId();
        docker.startContainerCmd(orphan).exec();
        String foreign = docker.createContainerCmd(image).withCmd("sleep", "30").withLabels(otherHost).exec().getId();
        String orphanVolume = "ecs-emu-test-orphan-" + UUID.randomUUID();
        docker.createVolumeCmd().withName(orphanVolume).withLabels(orphanLabels).exec();
        // The network of a dead emulator's awsvpc tasks, with its holder attached.
        String orphanNetwork = "ecs-emu-test-orphan-" + UUID.randomUUID();
        docker.createNetworkCmd().withName(orphanNetwork).withLabels(orphanLabels).exec();
        String holder = docker.createContainerCmd(image).withCmd("sleep", "30").withLabels(orphanLabels)
                .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig().withNetworkMode(orphanNetwork)).exec().getId();
        docker.startContainerCmd(holder).exec();
        String foreignNetwork = "ecs-emu-test-foreign-" + UUID.randomUUID();
        docker.createNetworkCmd().withName(foreignNetwork).withLabels(otherHost).exec();
        try (DockerRuntime second = new DockerRuntime()) {
            second.start(new RecordingListener());
            OrphanCleanup.Result result = second.firstCleanup().get(30, TimeUnit.SECONDS);

            assertThat(result.containers()).isPositive();
            assertThatThrownBy(() -> docker.inspectContainerCmd(orphan).exec()).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> docker.inspectVolumeCmd(orphanVolume).exec()).isInstanceOf(NotFoundException.class);
            assertThat(docker.inspectContainerCmd(foreign).exec().getId()).isEqualTo(foreign);
            assertThat(result.networks()).isPositive();
            assertThatThrownBy(() -> docker.inspectContainerCmd(holder).exec()).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> docker.inspectNetworkCmd().withNetworkId(orphanNetwork).exec()).isInstanceOf(NotFoundException.class);
            assertThat(docker.inspectNetworkCmd().withNetworkId(foreignNetwork).exec().getName()).isEqualTo(foreignNetwork);
        } finally {
            docker.removeContainerCmd(foreign).withForce(true).exec();
            docker.removeNetworkCmd(foreignNetwork).exec();
            for (Container c : docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(holder)).exec()) {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            }
            try {
                docker.removeNetworkCmd(orphanNetwork).exec();
            } catch (NotFoundException removed) {
                // as it should be
            }
            for (Container c : docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(orphan)).exec()) {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            }
        }
    }
}
