package dev.ecsemu.core.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.core.cluster.Clusters;
import dev.ecsemu.core.containerinstance.ContainerInstances;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.state.TaskLauncher;
import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.state.Stores;
import dev.ecsemu.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerCondition;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerDependency;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * {@link TaskLifecycle#interruptSpot}: SIGTERM to every running container at once, SIGKILL after its stopTimeout, or
 * when the warning is over if that comes first.
 */
class SpotInterruptionLifecycleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RegionState state = new Stores(clock).of(new Scope("123456789012", "eu-west-1")).write(s -> s);

    @Test
    void aContainerIsKilledAfterItsStopTimeoutWhenThatEndsBeforeTheWarning() {
        Task task = interruptible();
        List<RuntimeCommand> commands = state.lifecycle().interruptSpot(task, "Your Spot Task was interrupted.", Duration.ofMinutes(2));

        // As on Fargate Spot: stopTimeout (30 s unless set) decides when SIGKILL follows SIGTERM, within the two minutes.
        assertThat(commands).containsExactlyInAnyOrder(new RuntimeCommand.StopContainer(task.arn(), "app", Duration.ofSeconds(5)),
                new RuntimeCommand.StopContainer(task.arn(), "sidecar", Duration.ofSeconds(30)));
    }

    /** A task on an instance whose "app" (stopTimeout 5 s) and "sidecar" (no stopTimeout) run; "late" waits for "app" to complete. */
    private Task interruptible() {
        state.createCluster(new Clusters.Spec("prod", null, null, null, null, null));
        state.registerContainerInstance("prod", new ContainerInstances.Spec(null, null, null, 2048, 4096, null, Map.of()));
        state.taskDefinitions().register(TaskDefinition.builder().family("web").containerDefinitions(
                ContainerDefinition.builder().name("app").image("busybox").memory(64).stopTimeout(5).build(),
                ContainerDefinition.builder().name("sidecar").image("busybox").memory(64).essential(false).build(),
                ContainerDefinition.builder().name("late").image("busybox").memory(64).essential(false)
                        .dependsOn(ContainerDependency.builder().containerName("app").condition(ContainerCondition.COMPLETE).build())
                        .build()).build());
        Task task = state.taskLauncher().launch(new TaskLauncher.TaskRequest("prod", "web", 1, null, null, null, null, null, null)).tasks().get(0);
        state.lifecycle().onContainerStarted(task, "app", "c1", List.of());
        state.lifecycle().onContainerStarted(task, "sidecar", "c2", List.of());
        return task;
    }

    @Test
    void everyRunningContainerGetsTheWarningAsItsKillDeadlineWhenThatComesFirstAndTheRestNeverStarts() {
        Task task = interruptible();
        TaskLifecycle lifecycle = state.lifecycle();
        Duration warning = Duration.ofMillis(240);
        List<RuntimeCommand> commands = lifecycle.interruptSpot(task, "Your Spot Task was interrupted.", warning);

        assertThat(commands).containsExactlyInAnyOrder(new RuntimeCommand.StopContainer(task.arn(), "app", warning),
                new RuntimeCommand.StopContainer(task.arn(), "sidecar", warning));
        assertThat(task.desiredStatus()).isEqualTo(Task.DESIRED_STOPPED);
        assertThat(task.stopCode()).isEqualTo(TaskStopCode.SPOT_INTERRUPTION);
        assertThat(task.stoppedReason()).isEqualTo("Your Spot Task was interrupted.");
        assertThat(task.container("late").isStopped()).isTrue();
        assertThat(lifecycle.interruptSpot(task, "again", warning)).isEmpty();

        lifecycle.onContainerStopped(task, "app", 0, null);
        lifecycle.onContainerStopped(task, "sidecar", 0, null);
        assertThat(task.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(task.stopCode()).isEqualTo(TaskStopCode.SPOT_INTERRUPTION);
    }
}
