package dev.ecsemu.api.ecs;

import static dev.ecsemu.api.testing.EcsAssertions.assertEcsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.TestEmulator;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ProtectedTask;
import software.amazon.awssdk.services.ecs.model.UpdateTaskProtectionResponse;

/** UpdateTaskProtection, GetTaskProtection, SubmitTaskStateChange, SubmitContainerStateChange. */
class TaskStateOperationsIT {
    private static TestEmulator emu;
    private static EcsClient ecs;

    @BeforeAll
    static void start() {
        emu = TestEmulator.modelOnly();
        ecs = emu.ecs();
        emu.emulator().registerInstances("default", 1, "m5.large");
        ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("web").image("nginx").memory(64)));
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    private static String run(String group) {
        return ecs.runTask(r -> r.taskDefinition("web").group(group)).tasks().get(0).taskArn();
    }

    @Test
    void aServiceTaskIsProtectedUntilItsExpiryAndCanBeReleased() {
        String task = run("service:api");
        Instant before = Instant.now();
        UpdateTaskProtectionResponse on = ecs.updateTaskProtection(r -> r.cluster("default").tasks(task).protectionEnabled(true).expiresInMinutes(60));
        assertThat(on.failures()).isEmpty();
        ProtectedTask p = on.protectedTasks().get(0);
        assertThat(p.taskArn()).isEqualTo(task);
        assertThat(p.protectionEnabled()).isTrue();
        assertThat(p.expirationDate()).isBetween(before.plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(ecs.getTaskProtection(r -> r.cluster("default").tasks(task)).protectedTasks()).containsExactly(p);

        ProtectedTask off = ecs.updateTaskProtection(r -> r.cluster("default").tasks(task).protectionEnabled(false)).protectedTasks().get(0);
        assertThat(off.protectionEnabled()).isFalse();
        assertThat(off.expirationDate()).isNull();
    }

    @Test
    void standaloneAndUnknownTasksAreFailuresNotErrors() {
        String standalone = run(null);
        String unknown = "0123456789abcdef0123456789abcdef";
        UpdateTaskProtectionResponse r = ecs.updateTaskProtection(b -> b.cluster("default").tasks(standalone, unknown).protectionEnabled(true));
        assertThat(r.protectedTasks()).isEmpty();
        assertThat(r.failures()).extracting(Failure::reason).containsExactly("TASK_NOT_VALID", "MISSING");
        assertThat(r.failures().get(0).arn()).isEqualTo(standalone);
        assertThat(ecs.getTaskProtection(b -> b.cluster("default").tasks(unknown)).failures()).extracting(Failure::reason).containsExactly("MISSING");
    }

    @Test
    void refusesAnExpiryOutOfRangeAndAMissingCluster() {
        String task = run("service:api");
        assertEcsError(() -> ecs.updateTaskProtection(r -> r.cluster("default").tasks(task).protectionEnabled(true).expiresInMinutes(2881)),
                InvalidParameterException.class, "expiresInMinutes must be between 1 and 2880 (was 2881).");
        assertEcsError(() -> ecs.updateTaskProtection(r -> r.cluster("default").tasks(task).protectionEnabled(true).expiresInMinutes(0)),
                InvalidParameterException.class, "expiresInMinutes must be between 1 and 2880 (was 0).");
        assertEcsError(() -> ecs.getTaskProtection(r -> r.cluster("nope").tasks(task)), ClusterNotFoundException.class,
                "Cluster not found.");
    }

    @Test
    void stateChangeSubmissionsAreAcknowledgedForKnownTasks() {
        String task = run(null);
        assertThat(ecs.submitTaskStateChange(r -> r.task(task).status("RUNNING")).acknowledgment()).isEqualTo("ACK");
        assertThat(ecs.submitContainerStateChange(r -> r.task(task).containerName("web").status("RUNNING")).acknowledgment())
                .isEqualTo("ACK");
        assertEcsError(() -> ecs.submitTaskStateChange(r -> r.task("0123456789abcdef0123456789abcdef").status("RUNNING")),
                InvalidParameterException.class, "The referenced task was not found.");
    }
}
