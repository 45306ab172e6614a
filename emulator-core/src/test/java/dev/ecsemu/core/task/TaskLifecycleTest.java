package dev.ecsemu.core.task;

import static dev.ecsemu.core.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.cluster.ClusterCounts;
import dev.ecsemu.core.cluster.Clusters;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.ContainerInstances;
import dev.ecsemu.core.runtime.ContainerSpec;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.state.TaskLauncher;
import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.state.Stores;
import dev.ecsemu.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerCondition;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerDependency;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.HealthCheck;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;
import software.amazon.awssdk.services.ecs.model.VolumeFrom;

/**
 * The task state machine, step by step, with a clock that only moves when the test moves it. Tasks
 * are made as RunTask makes them (through {@link TaskLauncher#launch}); the runtime's reports
 * are fed to {@link TaskLifecycle} directly and the runtime commands it answers with are checked.
 */
class TaskLifecycleTest {
    private static final Scope SCOPE = new Scope("123456789012", "eu-west-1");
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration STEP = Duration.ofSeconds(1);
    private static final int INSTANCE_CPU = 2048;
    private static final int INSTANCE_MEMORY = 4096;
    private static final String ESSENTIAL_EXITED = "Essential container in task exited";

    private MutableClock clock;
    private RegionState state;
    private TaskLifecycle lifecycle;
    private Cluster cluster;
    private ContainerInstance instance;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(T0);
        // The store's state, reached once through its lock; the test is single-threaded.
        state = new Stores(clock).of(SCOPE).write(s -> s);
        lifecycle = state.lifecycle();
        cluster = state.createCluster(new Clusters.Spec("prod", null, null, null, null, null));
        instance = state.registerContainerInstance("prod",
                new ContainerInstances.Spec("i-0123456789abcdef0", null, "eu-west-1b", INSTANCE_CPU, INSTANCE_MEMORY, null, Map.of()));
    }

    // ---- helpers ----

    private static ContainerDefinition.Builder container(String name) {
        return ContainerDefinition.builder().name(name).image("public.ecr.aws/docker/library/busybox:latest").memory(128);
    }

    private static ContainerDependency dependsOn(String name, ContainerCondition condition) {
        return ContainerDependency.builder().containerName(name).condition(condition).build();
    }

    private static HealthCheck healthCheck() {
        return HealthCheck.builder().command("CMD-SHELL", "true").build();
    }

    private TaskDefinition register(ContainerDefinition.Builder... containers) {
        return register(TaskDefinition.builder(), containers);
    }

    private TaskDefinition register(TaskDefinition.Builder td, ContainerDefinition.Builder... containers) {
        List<ContainerDefinition> defs = new ArrayList<>();
        for (ContainerDefinition.Builder c : containers) {
            defs.add(c.build());
        }
        return state.taskDefinitions().register(td.family("web").containerDefinitions(defs).build());
    }

    private TaskLauncher.Launch launch(TaskOverride overrides) {
        return state.taskLauncher().launch(new TaskLauncher.TaskRequest("prod", "web", 1, null, null, null, overrides, null, null));
    }

    /** Launches one task of the latest "web" revision; the StartContainer commands are in {@link #launched}. */
    private Task launchOne() {
        return launchOne(null);
    }

    private List<RuntimeCommand> launched;

    private Task launchOne(TaskOverride overrides) {
        TaskLauncher.Launch launch = launch(overrides);
        assertThat(launch.failures()).isEmpty();
        assertThat(launch.tasks()).hasSize(1);
        launched = launch.commands();
        return launch.tasks().get(0);
    }

    private static List<String> startsOf(List<RuntimeCommand> commands) {
        List<String> names = new ArrayList<>();
        for (RuntimeCommand c : commands) {
            if (c instanceof RuntimeCommand.StartContainer s) {
                names.add(s.spec().containerName());
            }
        }
        return names;
    }

    private static ContainerSpec specOf(List<RuntimeCommand> commands, String container) {
        for (RuntimeCommand c : commands) {
            if (c instanceof RuntimeCommand.StartContainer s && s.spec().containerName().equals(container)) {
                return s.spec();
            }
        }
        throw new AssertionError("no StartContainer for " + container + " in " + commands);
    }

    private static RuntimeCommand.StopContainer stop(Task task, String container, int seconds) {
        return new RuntimeCommand.StopContainer(task.arn(), container, Duration.ofSeconds(seconds));
    }

    /** The runtime's reports for a container that pulls and starts; answers the commands of the start step. */
    private List<RuntimeCommand> pullAndStart(Task task, String container) {
        lifecycle.onPullStarted(task, container);
        lifecycle.onPullStopped(task, container, null);
        return lifecycle.onContainerStarted(task, container, "rt-" + container, List.of());
    }

    private Task runningTask() {
        Task task = launchOne();
        for (String name : task.containerNames()) {
            pullAndStart(task, name);
        }
        assertThat(task.lastStatus()).isEqualTo(TaskStatus.RUNNING);
        return task;
    }

    private ClusterCounts counts() {
        return state.counts(cluster);
    }

    // ---- awsvpc: the task's network comes first ----

    @Nested
    class AwsvpcNetwork {
        private final software.amazon.awssdk.services.ecs.model.NetworkConfiguration network =
                software.amazon.awssdk.services.ecs.model.NetworkConfiguration.builder()
                        .awsvpcConfiguration(v -> v.subnets("subnet-1")).build();

        private Task launchAwsvpc() {
            register(TaskDefinition.builder().networkMode(software.amazon.awssdk.services.ecs.model.NetworkMode.AWSVPC),
                    container("app").portMappings(PortMapping.builder().containerPort(80).hostPort(80).build()), container("sidecar"));
            TaskLauncher.Launch launch = state.taskLauncher().launch(new TaskLauncher.TaskRequest("prod", "web", 1, null, null, null, null, null,
                    null, List.of(), List.of(), network, null));
            launched = launch.commands();
            return launch.tasks().get(0);
        }

        @Test
        void theNetworkIsAskedForFirstAndTheContainersStartOnceItIsAttached() {
            Task task = launchAwsvpc();
            assertThat(task.attachment().status()).isEqualTo(NetworkAttachment.PRECREATED);
            assertThat(launched).hasSize(1);
            var attach = (RuntimeCommand.AttachTaskNetwork) launched.get(0);
            assertThat(attach.spec().taskArn()).isEqualTo(task.arn());
            assertThat(attach.spec().account()).isEqualTo("123456789012");
            assertThat(attach.spec().region()).isEqualTo("eu-west-1");
            assertThat(attach.spec().portMappings()).extracting(PortMapping::containerPort).containsExactly(80);

            clock.advance(STEP);
            List<RuntimeCommand> next = lifecycle.onNetworkAttached(task, new dev.ecsemu.core.runtime.TaskAddress("172.18.0.5", "02:42:ac:12:00:05"));
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.PENDING);
            assertThat(task.attachment().status()).isEqualTo(NetworkAttachment.ATTACHED);
            assertThat(task.attachment().privateDnsName()).isEqualTo("ip-172-18-0-5.eu-west-1.compute.internal");
            assertThat(startsOf(next)).containsExactly("app", "sidecar");
            // A second report (a retry) changes nothing.
            assertThat(lifecycle.onNetworkAttached(task, new dev.ecsemu.core.runtime.TaskAddress("172.18.0.6", "x"))).isEmpty();
            assertThat(task.attachment().privateIpv4Address()).isEqualTo("172.18.0.5");

            pullAndStart(task, "app");
            pullAndStart(task, "sidecar");
            lifecycle.requestStop(task, TaskStopCode.USER_INITIATED, "bye");
            lifecycle.onContainerStopped(task, "app", 0, null);
            List<RuntimeCommand> last = lifecycle.onContainerStopped(task, "sidecar", 0, null);
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
            assertThat(task.attachment().status()).isEqualTo(NetworkAttachment.DELETED);
            // The address is released as the task stops; the containers stay for their logs until the removal.
            assertThat(last).containsExactly(new RuntimeCommand.ReleaseTaskNetwork(task.arn()), new RuntimeCommand.RemoveTaskLater(task.arn()));
        }

        @Test
        void aNetworkThatCannotBeSetUpStopsTheTaskBeforeAnyContainerStarts() {
            Task task = launchAwsvpc();
            List<RuntimeCommand> next = lifecycle.onNetworkFailed(task, "ResourceInitializationError: no network");
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
            assertThat(task.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
            assertThat(task.stoppedReason()).isEqualTo("ResourceInitializationError: no network");
            assertThat(task.attachment().status()).isEqualTo(NetworkAttachment.FAILED);
            assertThat(startsOf(next)).isEmpty();
            assertThat(next).containsExactly(new RuntimeCommand.RemoveTaskLater(task.arn()));
            assertThat(instance.remainingCpu()).isEqualTo(INSTANCE_CPU);
        }

        @Test
        void aTaskStoppedWhileItsNetworkIsSetUpStopsAtOnceAndItsLateNetworkIsRemoved() {
            Task task = launchAwsvpc();
            List<RuntimeCommand> stop = lifecycle.requestStop(task, TaskStopCode.USER_INITIATED, "changed my mind");
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
            assertThat(stop).containsExactly(new RuntimeCommand.RemoveTaskLater(task.arn()));

            List<RuntimeCommand> late = lifecycle.onNetworkAttached(task, new dev.ecsemu.core.runtime.TaskAddress("172.18.0.5", "m"));
            assertThat(late).as("the holder created after the removal goes too").containsExactly(
                    new RuntimeCommand.ReleaseTaskNetwork(task.arn()), new RuntimeCommand.RemoveTaskLater(task.arn()));
            assertThat(startsOf(late)).isEmpty();
        }
    }

    // ---- the way up ----

    @Nested
    class StartingUp {

        @Test
        void aNewTaskIsProvisioningWithPendingContainersAndStartsItsContainers() {
            TaskDefinition td = register(container("app").cpu(256), container("sidecar").essential(false).memoryReservation(64));
            Task task = launchOne();

            assertThat(task.lastStatus()).isEqualTo(TaskStatus.PROVISIONING);
            assertThat(task.desiredStatus()).isEqualTo("RUNNING");
            assertThat(task.version()).isEqualTo(1);
            assertThat(task.createdAt()).isEqualTo(T0);
            assertThat(task.group()).isEqualTo("family:web");
            assertThat(task.launchType()).isEqualTo(LaunchType.EC2);
            assertThat(task.containerInstance()).isSameAs(instance);
            assertThat(task.arn()).isEqualTo("arn:aws:ecs:eu-west-1:123456789012:task/prod/" + task.id());
            assertThat(task.id()).matches("[0-9a-f]{32}");
            assertThat(task.pullStartedAt()).isNull();
            assertThat(task.startedAt()).isNull();
            assertThat(task.stopCode()).isNull();
            assertThat(task.containers()).extracting(TaskContainer::lastStatus).containsExactly("PENDING", "PENDING");
            assertThat(task.container("app").arn())
                    .startsWith("arn:aws:ecs:eu-west-1:123456789012:container/prod/" + task.id() + "/");

            assertThat(startsOf(launched)).containsExactly("app", "sidecar");
            ContainerSpec spec = specOf(launched, "app");
            assertThat(spec.taskArn()).isEqualTo(task.arn());
            assertThat(spec.taskId()).isEqualTo(task.id());
            assertThat(spec.clusterName()).isEqualTo("prod");
            assertThat(spec.family()).isEqualTo("web");
            assertThat(spec.revision()).isEqualTo(td.revision());
            assertThat(spec.hostIp()).as("the instance's own bind address").isEqualTo(instance.bindAddress()).startsWith("127.1.");
            assertThat(spec.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(spec.labels()).containsEntry("com.amazonaws.ecs.task-arn", task.arn())
                    .containsEntry("com.amazonaws.ecs.container-name", "app")
                    .containsEntry("com.amazonaws.ecs.cluster", "prod")
                    .containsEntry("com.amazonaws.ecs.task-definition-family", "web")
                    .containsEntry("com.amazonaws.ecs.task-definition-version", String.valueOf(td.revision()));

            // The instance is reserved for it at once: cpu 256, memory 128 (hard limit) + 64 (reservation).
            assertThat(instance.remainingCpu()).isEqualTo(INSTANCE_CPU - 256);
            assertThat(instance.remainingMemory()).isEqualTo(INSTANCE_MEMORY - 128 - 64);
            assertThat(instance.pendingTasks()).isEqualTo(1);
            assertThat(instance.runningTasks()).isZero();
            assertThat(counts().ec2().pendingTasks()).isEqualTo(1);
            assertThat(counts().runningTasks()).isZero();
        }

        @Test
        void statusesMoveProvisioningPendingActivatingRunningWithTimestampsAndVersions() {
            register(container("app"), container("sidecar").essential(false));
            Task task = launchOne();
            List<TaskStatus> seen = new ArrayList<>(List.of(task.lastStatus()));
            long version = task.version();

            clock.advance(STEP);
            lifecycle.onPullStarted(task, "app");
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.PENDING);
            assertThat(task.pullStartedAt()).isEqualTo(T0.plusSeconds(1));
            assertThat(task.version()).isGreaterThan(version);
            version = task.version();
            seen.add(task.lastStatus());

            clock.advance(STEP);
            lifecycle.onPullStarted(task, "sidecar");
            assertThat(task.pullStartedAt()).as("the first pull's start is kept").isEqualTo(T0.plusSeconds(1));
            assertThat(task.version()).as("no status change, no new version").isEqualTo(version);

            clock.advance(STEP);
            lifecycle.onPullStopped(task, "app", "sha256:" + "a".repeat(64));
            assertThat(task.pullStoppedAt()).isEqualTo(T0.plusSeconds(3));
            assertThat(task.container("app").imageDigest()).isEqualTo("sha256:" + "a".repeat(64));

            clock.advance(STEP);
            NetworkBinding binding = NetworkBinding.builder().bindIP("0.0.0.0").containerPort(80).hostPort(32768)
                    .protocol(TransportProtocol.TCP).build();
            assertThat(lifecycle.onContainerStarted(task, "app", "rt-app", List.of(binding))).isEmpty();
            assertThat(task.lastStatus()).as("one container of two runs").isEqualTo(TaskStatus.ACTIVATING);
            assertThat(task.connectivityAt()).isEqualTo(T0.plusSeconds(4));
            assertThat(task.startedAt()).isNull();
            assertThat(task.container("app").lastStatus()).isEqualTo("RUNNING");
            assertThat(task.container("app").runtimeId()).isEqualTo("rt-app");
            assertThat(task.container("app").networkBindings()).containsExactly(binding);
            assertThat(task.container("sidecar").lastStatus()).isEqualTo("PENDING");
            assertThat(task.version()).isGreaterThan(version);
            version = task.version();
            seen.add(task.lastStatus());
            assertThat(instance.pendingTasks()).isEqualTo(1);

            clock.advance(STEP);
            lifecycle.onPullStopped(task, "sidecar", null);
            assertThat(task.pullStoppedAt()).as("the last pull's end").isEqualTo(T0.plusSeconds(5));
            clock.advance(STEP);
            assertThat(lifecycle.onContainerStarted(task, "sidecar", "rt-sidecar", List.of())).isEmpty();
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.RUNNING);
            assertThat(task.startedAt()).isEqualTo(T0.plusSeconds(6));
            assertThat(task.connectivityAt()).as("connected when it began activating").isEqualTo(T0.plusSeconds(4));
            assertThat(task.version()).isGreaterThan(version);
            seen.add(task.lastStatus());

            assertThat(seen).containsExactly(TaskStatus.PROVISIONING, TaskStatus.PENDING, TaskStatus.ACTIVATING, TaskStatus.RUNNING);
            assertThat(task.createdAt()).isBeforeOrEqualTo(task.pullStartedAt());
            assertThat(task.pullStartedAt()).isBeforeOrEqualTo(task.pullStoppedAt());
            assertThat(task.pullStoppedAt()).isBeforeOrEqualTo(task.startedAt());
            assertThat(task.desiredStatus()).isEqualTo("RUNNING");
            assertThat(instance.pendingTasks()).isZero();
            assertThat(instance.runningTasks()).isEqualTo(1);
            assertThat(counts().ec2().runningTasks()).isEqualTo(1);
            assertThat(counts().pendingTasks()).isZero();
        }

        @Test
        void reportsAboutUnknownContainersChangeNothing() {
            register(container("app"));
            Task task = launchOne();
            long version = task.version();

            assertThat(lifecycle.onContainerStarted(task, "ghost", "x", List.of())).isEmpty();
            assertThat(lifecycle.onContainerStopped(task, "ghost", 0, null)).isEmpty();
            assertThat(lifecycle.onContainerFailed(task, "ghost", "CannotPullContainerError: x")).isEmpty();
            assertThat(lifecycle.onContainerHealth(task, "ghost", HealthStatus.HEALTHY)).isEmpty();

            assertThat(task.version()).isEqualTo(version);
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.PROVISIONING);
        }
    }

    // ---- the way down ----

    @Nested
    class EssentialContainers {

        @Test
        void anEssentialExitStopsTheOthersAndTheTaskStopsWhenAllHaveStopped() {
            register(container("app").cpu(512).portMappings(PortMapping.builder().containerPort(80).hostPort(8080).build()),
                    container("sidecar").essential(false).stopTimeout(5),
                    container("log").memoryReservation(32));
            Task task = runningTask();
            assertThat(instance.remainingCpu()).isEqualTo(INSTANCE_CPU - 512);
            assertThat(instance.remainingMemory()).isEqualTo(INSTANCE_MEMORY - 128 - 128 - 32);
            assertThat(instance.usedTcpPorts()).containsExactly(8080);

            clock.advance(Duration.ofMinutes(5));
            Instant exit = clock.instant();
            long version = task.version();
            List<RuntimeCommand> commands = lifecycle.onContainerStopped(task, "app", 1, null);

            assertThat(commands).containsExactly(stop(task, "sidecar", 5), stop(task, "log", 30));
            assertThat(task.desiredStatus()).isEqualTo("STOPPED");
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPING);
            assertThat(task.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
            assertThat(task.stoppedReason()).isEqualTo(ESSENTIAL_EXITED);
            assertThat(task.stoppingAt()).isEqualTo(exit);
            assertThat(task.executionStoppedAt()).isEqualTo(exit);
            assertThat(task.stoppedAt()).isNull();
            assertThat(task.version()).isGreaterThan(version);
            assertThat(task.container("app").lastStatus()).isEqualTo("STOPPED");
            assertThat(task.container("app").exitCode()).isEqualTo(1);
            assertThat(task.container("sidecar").lastStatus()).isEqualTo("RUNNING");
            assertThat(instance.runningTasks()).as("still counted until it has stopped").isEqualTo(1);
            assertThat(instance.usedTcpPorts()).containsExactly(8080);

            clock.advance(STEP);
            assertThat(lifecycle.onContainerStopped(task, "sidecar", 143, null)).isEmpty();
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPING);

            clock.advance(STEP);
            Instant last = clock.instant();
            assertThat(lifecycle.onContainerStopped(task, "log", 0, null)).containsExactly(new RuntimeCommand.RemoveTaskLater(task.arn()));
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
            assertThat(task.isStopped()).isTrue();
            assertThat(task.stoppedAt()).isEqualTo(last);
            assertThat(task.executionStoppedAt()).as("when the essential container stopped").isEqualTo(exit);
            assertThat(task.stoppedReason()).isEqualTo(ESSENTIAL_EXITED);
            assertThat(task.containers()).extracting(TaskContainer::exitCode).containsExactly(1, 143, 0);

            assertThat(instance.remainingCpu()).isEqualTo(INSTANCE_CPU);
            assertThat(instance.remainingMemory()).isEqualTo(INSTANCE_MEMORY);
            assertThat(instance.usedTcpPorts()).isEmpty();
            assertThat(instance.runningTasks()).isZero();
            assertThat(instance.pendingTasks()).isZero();
            assertThat(counts().runningTasks()).isZero();
            assertThat(counts().pendingTasks()).isZero();

            // Late reports change nothing more.
            long finalVersion = task.version();
            assertThat(lifecycle.onContainerStopped(task, "log", 0, null)).isEmpty();
            assertThat(lifecycle.requestStop(task, TaskStopCode.USER_INITIATED, "again")).isEmpty();
            assertThat(task.version()).isEqualTo(finalVersion);
            assertThat(instance.remainingMemory()).as("released once only").isEqualTo(INSTANCE_MEMORY);
        }

        @Test
        void aNonEssentialExitKeepsTheTaskRunning() {
            register(container("app"), container("job").essential(false));
            Task task = runningTask();

            List<RuntimeCommand> commands = lifecycle.onContainerStopped(task, "job", 2, null);

            assertThat(commands).isEmpty();
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.RUNNING);
            assertThat(task.desiredStatus()).isEqualTo("RUNNING");
            assertThat(task.stopCode()).isNull();
            assertThat(task.stoppedReason()).isNull();
            assertThat(task.executionStoppedAt()).isNull();
            assertThat(task.container("job").lastStatus()).isEqualTo("STOPPED");
            assertThat(task.container("job").exitCode()).isEqualTo(2);
            assertThat(task.container("app").lastStatus()).isEqualTo("RUNNING");
            assertThat(instance.runningTasks()).isEqualTo(1);
        }

        @Test
        void anExitReasonIsKeptOnTheContainerAndCutTo1024Characters() {
            register(container("app"));
            Task task = runningTask();

            lifecycle.onContainerStopped(task, "app", 137, "OutOfMemoryError: Container killed due to memory usage" + "x".repeat(2000));

            assertThat(task.container("app").reason()).hasSize(1024).startsWith("OutOfMemoryError: Container killed due to memory usage");
            assertThat(task.container("app").exitCode()).isEqualTo(137);
            assertThat(task.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        }

        @Test
        void aStartFailureStopsTheTaskAsFailedToStart() {
            register(container("app"));
            Task task = launchOne();
            clock.advance(STEP);
            lifecycle.onPullStarted(task, "app");

            clock.advance(STEP);
            String reason = "CannotPullContainerError: pull access denied for nosuch/image, repository does not exist";
            List<RuntimeCommand> commands = lifecycle.onContainerFailed(task, "app", reason);

            assertThat(commands).containsExactly(new RuntimeCommand.RemoveTaskLater(task.arn()));
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
            assertThat(task.desiredStatus()).isEqualTo("STOPPED");
            assertThat(task.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
            assertThat(task.stoppedReason()).isEqualTo(reason);
            assertThat(task.startedAt()).isNull();
            assertThat(task.stoppedAt()).isEqualTo(T0.plusSeconds(2));
            assertThat(task.executionStoppedAt()).isEqualTo(T0.plusSeconds(2));
            assertThat(task.container("app").lastStatus()).isEqualTo("STOPPED");
            assertThat(task.container("app").reason()).isEqualTo(reason);
            assertThat(task.container("app").exitCode()).isNull();
            assertThat(instance.pendingTasks()).isZero();
            assertThat(instance.runningTasks()).isZero();
            assertThat(instance.remainingMemory()).isEqualTo(INSTANCE_MEMORY);
        }

        @Test
        void aStartFailureStopsTheContainersAlreadyAskedFor() {
            register(container("app"), container("sidecar").essential(false).stopTimeout(7));
            Task task = launchOne();
            pullAndStart(task, "sidecar");

            List<RuntimeCommand> commands = lifecycle.onContainerFailed(task, "app", "CannotStartContainerError: boom");

            assertThat(commands).containsExactly(stop(task, "sidecar", 7));
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPING);
            assertThat(task.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
            assertThat(task.stoppedReason()).isEqualTo("CannotStartContainerError: boom");

            assertThat(lifecycle.onContainerStopped(task, "sidecar", 143, null)).containsExactly(new RuntimeCommand.RemoveTaskLater(task.arn()));
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
            assertThat(task.stoppedReason()).as("the first cause is kept").isEqualTo("CannotStartContainerError: boom");
            assertThat(instance.pendingTasks()).as("it never ran: counted as pending until stopped").isZero();
            assertThat(instance.runningTasks()).isZero();
        }
    }

    // ---- dependsOn ----

    @Nested
    class Dependencies {

        @Test
        void startWaitsForTheDependencyToStart() {
            register(container("app").dependsOn(dependsOn("db", ContainerCondition.START)), container("db"));
            Task task = launchOne();
            assertThat(startsOf(launched)).containsExactly("db");

            lifecycle.onPullStarted(task, "db");
            List<RuntimeCommand> commands = lifecycle.onContainerStarted(task, "db", "rt-db", List.of());

            assertThat(startsOf(commands)).containsExactly("app");
            assertThat(task.lastStatus()).as("app has not started yet").isEqualTo(TaskStatus.ACTIVATING);
            assertThat(pullAndStart(task, "app")).isEmpty();
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.RUNNING);
        }

        @Test
        void startTimeoutGivesUpOnADependencyThatIsNotMetInTime() {
            register(container("app").startTimeout(10).dependsOn(dependsOn("db", ContainerCondition.HEALTHY)),
                    container("db").healthCheck(healthCheck()));
            Task task = launchOne();
            assertThat(launched).contains(new RuntimeCommand.CheckStartTimeout(task.arn(), "app", Duration.ofSeconds(10)));
            pullAndStart(task, "db");

            List<RuntimeCommand> commands = lifecycle.onStartTimeout(task, "app");

            assertThat(task.desiredStatus()).isEqualTo("STOPPED");
            assertThat(task.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
            assertThat(task.stoppedReason()).isEqualTo(
                    "CannotStartContainerError: dependency graph: container ordering dependency [db] for target [app] has timed out.");
            assertThat(commands).contains(stop(task, "db", 30));
            assertThat(task.container("app").isStopped()).isTrue();
        }

        @Test
        void startTimeoutDoesNothingOnceTheContainerStarted() {
            register(container("app").startTimeout(10).dependsOn(dependsOn("db", ContainerCondition.START)), container("db"));
            Task task = launchOne();
            pullAndStart(task, "db");
            pullAndStart(task, "app");
            long version = task.version();

            assertThat(lifecycle.onStartTimeout(task, "app")).isEmpty();
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.RUNNING);
            assertThat(task.version()).isEqualTo(version);
        }

        @Test
        void completeWaitsForTheDependencyToExitWithAnyCode() {
            register(container("app").dependsOn(dependsOn("migrate", ContainerCondition.COMPLETE)),
                    container("migrate").essential(false));
            Task task = launchOne();
            assertThat(startsOf(launched)).containsExactly("migrate");

            assertThat(startsOf(pullAndStart(task, "migrate"))).isEmpty();
            List<RuntimeCommand> commands = lifecycle.onContainerStopped(task, "migrate", 3, null);

            assertThat(startsOf(commands)).containsExactly("app");
            assertThat(task.desiredStatus()).isEqualTo("RUNNING");
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.ACTIVATING);
            pullAndStart(task, "app");
            assertThat(task.lastStatus()).as("a finished init container does not keep the task from running")
                    .isEqualTo(TaskStatus.RUNNING);
        }

        @Test
        void successStartsTheDependentAfterExitCodeZero() {
            register(container("app").dependsOn(dependsOn("migrate", ContainerCondition.SUCCESS)),
                    container("migrate").essential(false));
            Task task = launchOne();
            pullAndStart(task, "migrate");

            assertThat(startsOf(lifecycle.onContainerStopped(task, "migrate", 0, null))).containsExactly("app");
            assertThat(task.desiredStatus()).isEqualTo("RUNNING");
        }

        @Test
        void successWithANonZeroExitFailsTheTask() {
            register(container("app").dependsOn(dependsOn("migrate", ContainerCondition.SUCCESS)),
                    container("migrate").essential(false));
            Task task = launchOne();
            pullAndStart(task, "migrate");

            List<RuntimeCommand> commands = lifecycle.onContainerStopped(task, "migrate", 1, null);

            assertThat(startsOf(commands)).isEmpty();
            assertThat(commands).containsExactly(new RuntimeCommand.RemoveTaskLater(task.arn()));
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
            assertThat(task.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
            assertThat(task.stoppedReason()).startsWith("CannotStartContainerError: dependency graph:")
                    .contains("[app]", "[migrate]", "SUCCESS", "exit code 1");
            assertThat(task.container("app").lastStatus()).isEqualTo("STOPPED");
            assertThat(task.container("app").everStarted()).isFalse();
            assertThat(task.container("app").reason()).isEqualTo(task.stoppedReason());
            assertThat(task.startedAt()).isNull();
            assertThat(instance.pendingTasks()).isZero();
            assertThat(instance.remainingMemory()).isEqualTo(INSTANCE_MEMORY);
        }

        @Test
        void healthyOnAContainerWithoutAHealthCheckCanNeverBeMet() {
            register(container("app").dependsOn(dependsOn("db", ContainerCondition.HEALTHY)), container("db"));
            Task task = launchOne();
            assertThat(task.desiredStatus()).isEqualTo("STOPPED");
            assertThat(task.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
            assertThat(task.stoppedReason()).startsWith("CannotStartContainerError: dependency graph:").contains("[db] did not reach HEALTHY");
        }

        @Test
        void healthyWaitsForTheDependencysHealthCheckToPass() {
            register(container("app").dependsOn(dependsOn("db", ContainerCondition.HEALTHY)), container("db").healthCheck(healthCheck()));
            Task task = launchOne();
            assertThat(startsOf(launched)).containsExactly("db");

            assertThat(startsOf(pullAndStart(task, "db"))).as("started is not healthy").isEmpty();
            assertThat(startsOf(lifecycle.onContainerHealth(task, "db", HealthStatus.UNKNOWN))).isEmpty();
            List<RuntimeCommand> commands = lifecycle.onContainerHealth(task, "db", HealthStatus.HEALTHY);

            assertThat(startsOf(commands)).containsExactly("app");
            pullAndStart(task, "app");
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.RUNNING);

            // Evaluated at startup only: the dependency turning unhealthy later does not stop the task.
            assertThat(lifecycle.onContainerHealth(task, "db", HealthStatus.UNHEALTHY)).isEmpty();
            assertThat(task.desiredStatus()).isEqualTo("RUNNING");
            assertThat(task.health()).isEqualTo(HealthStatus.UNHEALTHY);
        }

        @Test
        void healthyFailsTheTaskWhenTheDependencyIsUnhealthy() {
            register(container("app").dependsOn(dependsOn("db", ContainerCondition.HEALTHY)),
                    container("db").healthCheck(healthCheck()).stopTimeout(12));
            Task task = launchOne();
            pullAndStart(task, "db");

            List<RuntimeCommand> commands = lifecycle.onContainerHealth(task, "db", HealthStatus.UNHEALTHY);

            assertThat(commands).containsExactly(stop(task, "db", 12));
            assertThat(task.desiredStatus()).isEqualTo("STOPPED");
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPING);
            assertThat(task.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
            assertThat(task.stoppedReason()).contains("[app]", "[db]", "HEALTHY");
            assertThat(task.container("app").lastStatus()).isEqualTo("STOPPED");

            assertThat(lifecycle.onContainerStopped(task, "db", 143, null)).containsExactly(new RuntimeCommand.RemoveTaskLater(task.arn()));
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        }

        @Test
        void healthyFailsTheTaskWhenTheDependencyStopsBeforeItIsHealthy() {
            register(container("app").dependsOn(dependsOn("db", ContainerCondition.HEALTHY)),
                    container("db").essential(false).healthCheck(healthCheck()));
            Task task = launchOne();
            pullAndStart(task, "db");

            List<RuntimeCommand> commands = lifecycle.onContainerStopped(task, "db", 0, null);

            assertThat(startsOf(commands)).isEmpty();
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
            assertThat(task.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
        }

        @Test
        void linksAndVolumesFromImplyStartOrdering() {
            register(container("worker").volumesFrom(VolumeFrom.builder().sourceContainer("app").build()),
                    container("app").links("db:database"),
                    container("db"));
            Task task = launchOne();
            assertThat(startsOf(launched)).containsExactly("db");

            assertThat(startsOf(pullAndStart(task, "db"))).containsExactly("app");
            assertThat(startsOf(pullAndStart(task, "app"))).containsExactly("worker");
            assertThat(startsOf(pullAndStart(task, "worker"))).isEmpty();
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.RUNNING);
        }

        @Test
        void theDependencyMapJoinsLinksVolumesFromAndDependsOn() {
            ContainerDefinition d = container("app").links("db:database", "cache")
                    .volumesFrom(VolumeFrom.builder().sourceContainer("data").build())
                    .dependsOn(dependsOn("init", ContainerCondition.SUCCESS), dependsOn("db", ContainerCondition.HEALTHY))
                    .build();

            assertThat(TaskLifecycle.dependencies(d)).containsExactly(
                    Map.entry("db", ContainerCondition.HEALTHY),
                    Map.entry("cache", ContainerCondition.START),
                    Map.entry("data", ContainerCondition.START),
                    Map.entry("init", ContainerCondition.SUCCESS));
        }
    }

    // ---- StopTask ----

    @Nested
    class StopRequests {

        @Test
        void requestStopLeavesLastStatusForBeginStoppingAndStopsRunningContainers() {
            register(container("app").stopTimeout(10), container("sidecar").essential(false));
            Task task = runningTask();
            clock.advance(Duration.ofMinutes(1));
            long version = task.version();

            List<RuntimeCommand> commands = lifecycle.requestStop(task, TaskStopCode.USER_INITIATED, "Task stopped by user");

            assertThat(commands).containsExactly(stop(task, "app", 10), stop(task, "sidecar", 30));
            assertThat(task.lastStatus()).as("StopTask answers with lastStatus unchanged").isEqualTo(TaskStatus.RUNNING);
            assertThat(task.desiredStatus()).isEqualTo("STOPPED");
            assertThat(task.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
            assertThat(task.stoppedReason()).isEqualTo("Task stopped by user");
            assertThat(task.stoppingAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
            assertThat(task.version()).isGreaterThan(version);

            lifecycle.beginStopping(task);
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPING);

            // A second request changes nothing: the first reason stands.
            assertThat(lifecycle.requestStop(task, TaskStopCode.USER_INITIATED, "other reason")).isEmpty();
            assertThat(task.stoppedReason()).isEqualTo("Task stopped by user");

            lifecycle.onContainerStopped(task, "sidecar", 0, null);
            assertThat(task.stopCode()).as("a container stopping on request is not an essential exit")
                    .isEqualTo(TaskStopCode.USER_INITIATED);
            assertThat(lifecycle.onContainerStopped(task, "app", 143, null)).containsExactly(new RuntimeCommand.RemoveTaskLater(task.arn()));
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
            assertThat(task.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
            assertThat(task.stoppedReason()).isEqualTo("Task stopped by user");
            assertThat(instance.runningTasks()).isZero();
            assertThat(instance.remainingMemory()).isEqualTo(INSTANCE_MEMORY);
        }

        @Test
        void beginStoppingDoesNothingUnlessAStopWasRequested() {
            register(container("app"));
            Task task = runningTask();
            long version = task.version();

            lifecycle.beginStopping(task);

            assertThat(task.lastStatus()).isEqualTo(TaskStatus.RUNNING);
            assertThat(task.version()).isEqualTo(version);
        }

        @Test
        void containersStopInTheReverseOfTheirStartOrder() {
            register(container("app").dependsOn(dependsOn("db", ContainerCondition.START)).links("cache:cache"),
                    container("db"), container("cache"));
            Task task = launchOne();
            for (String name : List.of("db", "cache")) {
                pullAndStart(task, name);
            }
            pullAndStart(task, "app");
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.RUNNING);

            List<RuntimeCommand> first = lifecycle.requestStop(task, TaskStopCode.USER_INITIATED, "Task stopped by user");
            assertThat(first).as("only app: db and cache are still needed by it").containsExactly(stop(task, "app", 30));

            List<RuntimeCommand> then = lifecycle.onContainerStopped(task, "app", 143, null);
            assertThat(then).as("app is gone, so what it depended on stops now")
                    .containsExactlyInAnyOrder(stop(task, "db", 30), stop(task, "cache", 30));

            lifecycle.onContainerStopped(task, "db", 0, null);
            assertThat(lifecycle.onContainerStopped(task, "cache", 0, null)).containsExactly(new RuntimeCommand.RemoveTaskLater(task.arn()));
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        }

        @Test
        void containersNotYetAskedToStartAreMarkedStoppedWithoutAStopCommand() {
            register(container("app").dependsOn(dependsOn("db", ContainerCondition.START)), container("db"));
            Task task = launchOne();
            assertThat(startsOf(launched)).containsExactly("db");

            List<RuntimeCommand> commands = lifecycle.requestStop(task, TaskStopCode.USER_INITIATED, "Task stopped by user");

            assertThat(commands).as("db was asked to start, app never was").containsExactly(stop(task, "db", 30));
            assertThat(task.container("app").lastStatus()).isEqualTo("STOPPED");
            assertThat(task.container("app").exitCode()).isNull();
            assertThat(task.container("db").lastStatus()).isEqualTo("PENDING");

            // The runtime may still report db as started: it is stopped at once, app is not started.
            List<RuntimeCommand> late = lifecycle.onContainerStarted(task, "db", "rt-db", List.of());
            assertThat(late).containsExactly(stop(task, "db", 30));
            assertThat(task.lastStatus()).as("a task told to stop does not come up").isEqualTo(TaskStatus.PROVISIONING);

            assertThat(lifecycle.onContainerStopped(task, "db", 0, null)).containsExactly(new RuntimeCommand.RemoveTaskLater(task.arn()));
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
            assertThat(task.startedAt()).isNull();
            assertThat(instance.pendingTasks()).isZero();
            assertThat(instance.runningTasks()).isZero();
        }

        @Test
        void aTaskWhoseContainersWereNeverAskedForStopsAtOnce() {
            TaskDefinition td = register(container("app"), container("sidecar").essential(false));
            Task task = state.tasks().create(cluster, new Tasks.Spec(td, null, LaunchType.EC2, null, null), instance);
            assertThat(instance.pendingTasks()).isEqualTo(1);
            clock.advance(STEP);

            List<RuntimeCommand> commands = lifecycle.requestStop(task, TaskStopCode.USER_INITIATED, "Task stopped by user");

            assertThat(commands).containsExactly(new RuntimeCommand.RemoveTaskLater(task.arn()));
            assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
            assertThat(task.stoppedAt()).isEqualTo(T0.plusSeconds(1));
            assertThat(task.containers()).extracting(TaskContainer::lastStatus).containsOnly("STOPPED");
            assertThat(instance.pendingTasks()).isZero();
            assertThat(instance.remainingMemory()).isEqualTo(INSTANCE_MEMORY);
        }

        @Test
        void theStopTimeoutIsTheContainersOrThirtySeconds() {
            register(container("app").stopTimeout(2), container("slow").stopTimeout(120), container("plain"));
            Task task = launchOne();
            assertThat(specOf(launched, "app").stopTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(specOf(launched, "slow").stopTimeout()).isEqualTo(Duration.ofSeconds(120));
            assertThat(specOf(launched, "plain").stopTimeout()).isEqualTo(TaskLifecycle.DEFAULT_STOP_TIMEOUT)
                    .isEqualTo(Duration.ofSeconds(30));
            for (String name : task.containerNames()) {
                pullAndStart(task, name);
            }

            assertThat(lifecycle.requestStop(task, TaskStopCode.USER_INITIATED, "x"))
                    .containsExactly(stop(task, "app", 2), stop(task, "slow", 120), stop(task, "plain", 30));
        }

        @Test
        void fargateWaitsAtMostTwoMinutesForAContainerToStop() {
            register(TaskDefinition.builder().networkMode(software.amazon.awssdk.services.ecs.model.NetworkMode.AWSVPC)
                            .requiresCompatibilities(software.amazon.awssdk.services.ecs.model.Compatibility.FARGATE).cpu("256").memory("512"),
                    container("app").stopTimeout(300), container("quick").stopTimeout(5));
            TaskLauncher.Launch launch = state.taskLauncher().launch(new TaskLauncher.TaskRequest("prod", "web", 1,
                    software.amazon.awssdk.services.ecs.model.LaunchType.FARGATE, null, null, null, null, null, List.of(), List.of(),
                    software.amazon.awssdk.services.ecs.model.NetworkConfiguration.builder()
                            .awsvpcConfiguration(v -> v.subnets("subnet-1")).build(), null));
            Task task = launch.tasks().get(0);
            lifecycle.onNetworkAttached(task, new dev.ecsemu.core.runtime.TaskAddress("172.18.0.5", "02:42:ac:12:00:05"));
            assertThat(task.launchType()).isEqualTo(software.amazon.awssdk.services.ecs.model.LaunchType.FARGATE);
            for (String name : task.containerNames()) {
                pullAndStart(task, name);
            }

            assertThat(lifecycle.requestStop(task, TaskStopCode.USER_INITIATED, "x"))
                    .containsExactly(stop(task, "app", 120), stop(task, "quick", 5));
        }
    }

    // ---- health ----

    @Nested
    class Health {

        @Test
        void aTaskWithoutChecksIsUnknown() {
            register(container("app"));
            Task task = runningTask();
            assertThat(task.health()).isEqualTo(HealthStatus.UNKNOWN);
            assertThat(task.container("app").health()).isEqualTo(HealthStatus.UNKNOWN);
        }

        @Test
        void onlyEssentialContainersCountAndUnhealthyBeatsUnknownBeatsHealthy() {
            register(container("a").healthCheck(healthCheck()), container("b").healthCheck(healthCheck()),
                    container("side").essential(false).healthCheck(healthCheck()));
            Task task = runningTask();

            lifecycle.onContainerHealth(task, "a", HealthStatus.HEALTHY);
            assertThat(task.health()).as("b undecided").isEqualTo(HealthStatus.UNKNOWN);

            lifecycle.onContainerHealth(task, "b", HealthStatus.HEALTHY);
            lifecycle.onContainerHealth(task, "side", HealthStatus.UNHEALTHY);
            assertThat(task.health()).as("the non-essential container does not count").isEqualTo(HealthStatus.HEALTHY);

            lifecycle.onContainerHealth(task, "b", HealthStatus.UNKNOWN);
            assertThat(task.health()).isEqualTo(HealthStatus.UNKNOWN);

            lifecycle.onContainerHealth(task, "a", HealthStatus.UNHEALTHY);
            assertThat(task.health()).as("UNHEALTHY wins over UNKNOWN").isEqualTo(HealthStatus.UNHEALTHY);

            lifecycle.onContainerHealth(task, "b", HealthStatus.HEALTHY);
            assertThat(task.health()).as("UNHEALTHY wins over HEALTHY").isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(task.lastStatus()).as("the lifecycle itself does not stop unhealthy tasks").isEqualTo(TaskStatus.RUNNING);
        }

        @Test
        void aHealthChangeIsANewVersionARepeatedVerdictIsNot() {
            register(container("app").healthCheck(healthCheck()));
            Task task = runningTask();
            long version = task.version();

            lifecycle.onContainerHealth(task, "app", HealthStatus.HEALTHY);
            assertThat(task.version()).isEqualTo(version + 1);
            lifecycle.onContainerHealth(task, "app", HealthStatus.HEALTHY);
            assertThat(task.version()).isEqualTo(version + 1);
        }
    }

    // ---- container instance accounting ----

    @Nested
    class InstanceResources {

        @Test
        void countsAndRemainingResourcesFollowEveryTaskThroughItsLife() {
            register(TaskDefinition.builder().cpu("512").memory("1024"), container("app").memory(null).memoryReservation(256));
            Task first = launchOne();
            Task second = launchOne();
            assertThat(instance.pendingTasks()).isEqualTo(2);
            assertThat(instance.remainingCpu()).as("task-level cpu is what is reserved").isEqualTo(INSTANCE_CPU - 1024);
            assertThat(instance.remainingMemory()).as("task-level memory is what is reserved").isEqualTo(INSTANCE_MEMORY - 2048);

            pullAndStart(first, "app");
            assertThat(instance.pendingTasks()).isEqualTo(1);
            assertThat(instance.runningTasks()).isEqualTo(1);

            pullAndStart(second, "app");
            assertThat(instance.pendingTasks()).isZero();
            assertThat(instance.runningTasks()).isEqualTo(2);
            assertThat(counts().runningTasks()).isEqualTo(2);

            lifecycle.onContainerStopped(first, "app", 0, null);
            assertThat(instance.runningTasks()).isEqualTo(1);
            assertThat(instance.remainingCpu()).isEqualTo(INSTANCE_CPU - 512);
            assertThat(instance.remainingMemory()).isEqualTo(INSTANCE_MEMORY - 1024);
            assertThat(counts().runningTasks()).isEqualTo(1);
        }

        @Test
        void aTaskThatDoesNotFitFailsWithTheResourceItLacks() {
            register(TaskDefinition.builder().memory("3000"), container("app").memory(null).memoryReservation(100));
            launchOne();

            TaskLauncher.Launch launch = launch(null);

            assertThat(launch.tasks()).isEmpty();
            assertThat(launch.commands()).isEmpty();
            assertThat(launch.failures()).singleElement().satisfies(f -> {
                assertThat(f.arn()).isEqualTo(instance.arn());
                assertThat(f.reason()).isEqualTo("RESOURCE:MEMORY");
            });
            assertThat(instance.pendingTasks()).isEqualTo(1);
        }

        @Test
        void aFixedHostPortIsTakenUntilTheTaskStops() {
            register(container("app").portMappings(PortMapping.builder().containerPort(80).hostPort(8080).build(),
                    PortMapping.builder().containerPort(53).hostPort(5353).protocol(TransportProtocol.UDP).build()));
            Task first = launchOne();
            assertThat(instance.usedTcpPorts()).containsExactly(8080);
            assertThat(instance.usedUdpPorts()).containsExactly(5353);

            TaskLauncher.Launch second = launch(null);
            assertThat(second.tasks()).isEmpty();
            assertThat(second.failures()).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("RESOURCE:PORTS"));

            lifecycle.requestStop(first, TaskStopCode.USER_INITIATED, "x");
            lifecycle.onContainerStopped(first, "app", 0, null);
            assertThat(instance.usedTcpPorts()).isEmpty();
            assertThat(instance.usedUdpPorts()).isEmpty();
            assertThat(launch(null).tasks()).hasSize(1);
        }
    }

    // ---- retention ----

    @Nested
    class Retention {

        @Test
        void stoppedTasksAreFoundForAnHourThenForgotten() {
            register(container("app"));
            Task stopped = runningTask();
            Task running = runningTask();
            Tasks tasks = state.tasks();
            clock.advance(Duration.ofMinutes(3));
            lifecycle.requestStop(stopped, TaskStopCode.USER_INITIATED, "x");
            lifecycle.onContainerStopped(stopped, "app", 0, null);
            Instant stoppedAt = stopped.stoppedAt();
            assertThat(stoppedAt).isEqualTo(T0.plus(Duration.ofMinutes(3)));

            clock.advance(Duration.ofMinutes(60));
            assertThat(clock.instant()).isEqualTo(stoppedAt.plus(Tasks.STOPPED_RETENTION));
            assertThat(tasks.find(cluster, stopped.arn())).containsSame(stopped);
            assertThat(tasks.find(cluster, stopped.id())).containsSame(stopped);
            assertThat(tasks.inCluster(cluster.arn())).contains(stopped, running);

            clock.advance(Duration.ofMillis(1));
            assertThat(tasks.find(cluster, stopped.arn())).isEmpty();
            assertThat(tasks.find(cluster, stopped.id())).isEmpty();
            assertThat(tasks.inCluster(cluster.arn())).containsExactly(running);
            assertThat(tasks.byArn(stopped.arn())).as("not yet purged").isPresent();

            state.tags().tagManaged(stopped.arn(), "team", "web");
            state.purgeExpiredTasks();
            assertThat(tasks.byArn(stopped.arn())).isEmpty();
            assertThat(state.tags().of(stopped.arn())).as("tags are forgotten with the task").isEmpty();
            assertThat(tasks.all()).containsExactly(running);

            clock.advance(Duration.ofDays(30));
            assertThat(tasks.find(cluster, running.arn())).as("tasks that have not stopped are kept").containsSame(running);
        }

        @Test
        void tasksAreFoundByArnByIdAndByLegacyArnInTheirClusterOnly() {
            register(container("app"));
            Task task = launchOne();
            Cluster other = state.createCluster(new Clusters.Spec("other", null, null, null, null, null));
            Tasks tasks = state.tasks();

            assertThat(tasks.find(cluster, task.arn())).containsSame(task);
            assertThat(tasks.find(cluster, task.id())).containsSame(task);
            assertThat(tasks.find(cluster, "arn:aws:ecs:eu-west-1:123456789012:task/" + task.id())).containsSame(task);
            assertThat(tasks.find(other, task.arn())).isEmpty();
            assertThat(tasks.find(other, task.id())).isEmpty();
            assertThat(tasks.find(cluster, "0".repeat(32))).isEmpty();
            assertThat(tasks.find(cluster, "")).isEmpty();
            assertThat(tasks.find(cluster, null)).isEmpty();
        }
    }

    // ---- overrides ----

    @Nested
    class TaskOverrides {

        @Test
        void commandEnvironmentAndContainerSizeAreOverridden() {
            register(container("app").command("serve").environment(kv("A", "1"), kv("B", "2")).cpu(128),
                    container("sidecar").essential(false).command("tail"));
            TaskOverride overrides = TaskOverride.builder().containerOverrides(ContainerOverride.builder().name("app")
                    .command("migrate", "--dry-run").environment(kv("B", "3"), kv("C", "4")).cpu(256).memory(512)
                    .memoryReservation(300).build()).build();

            Task task = launchOne(overrides);

            ContainerDefinition app = specOf(launched, "app").definition();
            assertThat(app.command()).containsExactly("migrate", "--dry-run");
            assertThat(app.environment()).containsExactly(kv("A", "1"), kv("B", "3"), kv("C", "4"));
            assertThat(app.cpu()).isEqualTo(256);
            assertThat(app.memory()).isEqualTo(512);
            assertThat(app.memoryReservation()).isEqualTo(300);
            assertThat(task.container("app").definition()).isEqualTo(app);
            assertThat(specOf(launched, "sidecar").definition().command()).as("not overridden").containsExactly("tail");
            assertThat(task.overrides()).isEqualTo(overrides);
            assertThat(task.reservation().cpu()).isEqualTo(256);
            assertThat(task.reservation().memory()).as("300 (app reservation) + 128 (sidecar)").isEqualTo(428);
            assertThat(instance.remainingMemory()).isEqualTo(INSTANCE_MEMORY - 428);
        }

        @Test
        void anOverrideWithoutEnvironmentKeepsTheDefinitionsEnvironment() {
            register(container("app").environment(kv("A", "1")));
            launchOne(TaskOverride.builder().containerOverrides(ContainerOverride.builder().name("app").command("x").build()).build());
            assertThat(specOf(launched, "app").definition().environment()).containsExactly(kv("A", "1"));
        }

        @Test
        void taskLevelCpuAndMemoryOverridesAreReservedAndGivenToTheRuntime() {
            register(TaskDefinition.builder().cpu("256").memory("512"), container("app").memory(null).memoryReservation(128));

            Task task = launchOne(TaskOverride.builder().cpu("1024").memory("2048").build());

            assertThat(task.reservation().cpu()).isEqualTo(1024);
            assertThat(task.reservation().memory()).isEqualTo(2048);
            assertThat(instance.remainingCpu()).isEqualTo(INSTANCE_CPU - 1024);
            assertThat(instance.remainingMemory()).isEqualTo(INSTANCE_MEMORY - 2048);
            ContainerSpec spec = specOf(launched, "app");
            assertThat(spec.taskCpuUnits()).isEqualTo(1024);
            assertThat(spec.taskMemoryMiB()).isEqualTo(2048);
        }

        @Test
        void anOverrideForAnUnknownContainerIsRefusedAndNothingIsReserved() {
            register(container("app"));
            TaskOverride overrides = TaskOverride.builder()
                    .containerOverrides(ContainerOverride.builder().name("nope").command("x").build()).build();

            assertRefused(() -> launch(overrides), "InvalidParameterException",
                    "Override for container named nope is not a container in the TaskDefinition.");

            assertThat(state.tasks().all()).isEmpty();
            assertThat(instance.pendingTasks()).isZero();
            assertThat(instance.remainingMemory()).isEqualTo(INSTANCE_MEMORY);
        }

        @Test
        void anOverrideWithoutContainerNameIsRefused() {
            register(container("app"));
            TaskOverride overrides = TaskOverride.builder().containerOverrides(ContainerOverride.builder().command("x").build()).build();

            assertRefused(() -> launch(overrides), "InvalidParameterException", "Container override name must be specified.");
            assertThat(state.tasks().all()).isEmpty();
        }
    }

    private static KeyValuePair kv(String name, String value) {
        return KeyValuePair.builder().name(name).value(value).build();
    }
}
