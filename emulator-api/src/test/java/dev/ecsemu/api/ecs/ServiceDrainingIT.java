package dev.ecsemu.api.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.runtime.NoContainerRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.SchedulingStrategy;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * Container instances and services: a DRAINING instance's service tasks are replaced elsewhere
 * within the service's deployment bounds (standalone tasks stay), and a DAEMON service follows the
 * instances. Engine {@code none}: this is the scheduler's decision, not a container's behaviour.
 */
class ServiceDrainingIT {
    private static final String CLUSTER = "prod";
    private static TestEmulator emu;
    private static EcsClient ecs;

    @BeforeAll
    static void start() {
        // 0.01: a new task counts as healthy 0.4 s after RUNNING instead of 40 s.
        emu = TestEmulator.with(new NoContainerRuntime(), EmulatorSettings.defaults().withTimeScale(new TimeScale(0.01)));
        ecs = emu.ecs();
    }

    @AfterAll
    static void stop() {
        ecs.close();
        emu.close();
    }

    @BeforeEach
    void fresh() {
        emu.emulator().stores().reset();
        ecs.registerTaskDefinition(b -> b.family("web").containerDefinitions(
                ContainerDefinition.builder().name("app").image("nginx").cpu(256).memory(256).build()));
    }

    private static Service service(String name) {
        return ecs.describeServices(b -> b.cluster(CLUSTER).services(name)).services().get(0);
    }

    private static List<Task> tasks(String service, DesiredStatus desired) {
        List<String> arns = ecs.listTasks(b -> b.cluster(CLUSTER).serviceName(service).desiredStatus(desired)).taskArns();
        return arns.isEmpty() ? List.of() : ecs.describeTasks(b -> b.cluster(CLUSTER).tasks(arns)).tasks();
    }

    /** Polls until the service satisfies {@code done}, checking {@code always} at every poll; answers the polls. */
    private static List<Service> pollUntil(String name, Predicate<Service> done, Predicate<Service> always) throws InterruptedException {
        List<Service> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Service s = service(name);
            seen.add(s);
            assertThat(always).as("at poll %d: %s", seen.size(), s).accepts(s);
            if (done.test(s)) {
                return seen;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("service " + name + " did not get there in 20 s; last: " + seen.get(seen.size() - 1));
    }

    private static boolean steady(Service s) {
        return s.deployments().size() == 1 && "COMPLETED".equals(s.deployments().get(0).rolloutStateAsString())
                && s.runningCount().equals(s.desiredCount()) && s.pendingCount() == 0;
    }

    @Test
    void drainingAnInstanceMovesTheServiceTasksElsewhereWithinTheBounds() throws Exception {
        List<String> instances = emu.emulator().registerInstances(CLUSTER, 3, "m5.large");
        String drained = instances.get(0);
        ecs.createService(b -> b.cluster(CLUSTER).serviceName("web").taskDefinition("web").desiredCount(3));
        pollUntil("web", ServiceDrainingIT::steady, s -> true);
        List<Task> before = tasks("web", DesiredStatus.RUNNING);
        assertThat(before).extracting(Task::containerInstanceArn).as("spread: one per instance").containsExactlyInAnyOrderElementsOf(instances);
        Task onDrained = before.stream().filter(t -> t.containerInstanceArn().equals(drained)).findFirst().orElseThrow();
        String standalone = ecs.startTask(b -> b.cluster(CLUSTER).taskDefinition("web").containerInstances(drained)).tasks().get(0).taskArn();

        ecs.updateContainerInstancesState(b -> b.cluster(CLUSTER).containerInstances(drained).status(ContainerInstanceStatus.DRAINING));

        // Defaults 100/200: the replacement runs (and is healthy) before the drained task stops, so 3 keep running.
        pollUntil("web", s -> steady(s) && tasks("web", DesiredStatus.RUNNING).stream().noneMatch(t -> t.containerInstanceArn().equals(drained)),
                s -> s.runningCount() >= 3 && s.runningCount() + s.pendingCount() <= 6);
        Task stopped = ecs.describeTasks(b -> b.cluster(CLUSTER).tasks(onDrained.taskArn())).tasks().get(0);
        assertThat(stopped.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.SERVICE_SCHEDULER_INITIATED);
        List<Task> after = tasks("web", DesiredStatus.RUNNING);
        assertThat(after).hasSize(3).extracting(Task::containerInstanceArn).doesNotContain(drained);
        assertThat(service("web").deployments()).as("draining replaces tasks without a new deployment").hasSize(1);
        assertThat(ecs.describeTasks(b -> b.cluster(CLUSTER).tasks(standalone)).tasks().get(0).desiredStatus())
                .as("a standalone task keeps running on a draining instance").isEqualTo("RUNNING");

        // Back to ACTIVE: nothing moves back, and new tasks may go there again.
        ecs.updateContainerInstancesState(b -> b.cluster(CLUSTER).containerInstances(drained).status(ContainerInstanceStatus.ACTIVE));
        ecs.updateService(b -> b.cluster(CLUSTER).service("web").desiredCount(4));
        pollUntil("web", s -> steady(s) && s.runningCount() == 4, s -> true);
        assertThat(tasks("web", DesiredStatus.RUNNING)).extracting(Task::containerInstanceArn).contains(drained);
    }

    @Test
    void aDaemonServiceRunsOneTaskOnEveryActiveInstanceAndFollowsThem() throws Exception {
        List<String> instances = emu.emulator().registerInstances(CLUSTER, 2, "m5.large");
        ecs.createService(b -> b.cluster(CLUSTER).serviceName("agent").taskDefinition("web").schedulingStrategy(SchedulingStrategy.DAEMON));
        pollUntil("agent", s -> steady(s) && s.desiredCount() == 2, s -> true);
        assertThat(tasks("agent", DesiredStatus.RUNNING)).extracting(Task::containerInstanceArn).containsExactlyInAnyOrderElementsOf(instances);

        String third = emu.emulator().registerInstances(CLUSTER, 1, "m5.large").get(0);
        pollUntil("agent", s -> steady(s) && s.desiredCount() == 3, s -> true);
        assertThat(tasks("agent", DesiredStatus.RUNNING)).extracting(Task::containerInstanceArn).contains(third).hasSize(3);

        ecs.updateContainerInstancesState(b -> b.cluster(CLUSTER).containerInstances(instances.get(0)).status(ContainerInstanceStatus.DRAINING));
        pollUntil("agent", s -> steady(s) && s.desiredCount() == 2, s -> true);
        assertThat(tasks("agent", DesiredStatus.RUNNING)).extracting(Task::containerInstanceArn)
                .containsExactlyInAnyOrder(instances.get(1), third);
    }
}
