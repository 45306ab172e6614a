package dev.ecsemu.api.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.testing.ServiceProbe;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.runtime.docker.DockerRuntime;
import dev.ecsemu.core.testing.RequiresDocker;
import dev.ecsemu.core.testing.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * A service on the Docker engine that loses a task, fails a deployment, and is deleted, driven and
 * watched through the real EcsClient.
 */
@RequiresDocker
class ServiceRecoveryDockerIT {
    private static final TimeScale SCALE = new TimeScale(0.05);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final FixedDelayBackoffStrategy POLL = FixedDelayBackoffStrategy.create(Duration.ofMillis(200));
    /** Stops at once on SIGTERM: `wait` returns when the signal arrives, a foreground `sleep` would not. */
    private static final String SERVE = "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done";
    private static final int DESIRED = 4;

    private static TestEmulator emu;
    private static EcsClient ecs;
    private static String image;

    @BeforeAll
    static void start() throws Exception {
        image = TestImages.busybox();
        DockerRuntime docker = new DockerRuntime();
        emu = TestEmulator.with(docker, EmulatorSettings.defaults().withTimeScale(SCALE));
        docker.firstCheck().get(20, TimeUnit.SECONDS);
        ecs = emu.ecs();
        emu.emulator().registerInstances("default", 2, "m5.large");
    }

    @AfterAll
    static void stop() throws Exception {
        if (emu != null) {
            emu.close();
        }
        assertThat(docker("ps", "-aq", "--filter", "label=ecs-emu.pid=" + ProcessHandle.current().pid())).as("containers left behind")
                .isEmpty();
    }

    private static String docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("docker %s: %s", args, out).isZero();
        return out;
    }

    private static String register(String family, String script) {
        return ecs.registerTaskDefinition(r -> r.family(family).networkMode("bridge").containerDefinitions(c -> c.name("main")
                .image(image).memory(32).command("sh", "-c", script))).taskDefinition().taskDefinitionArn();
    }

    private static boolean completedOn(Service s, String taskDefinition) {
        return s.deployments().size() == 1 && s.deployments().get(0).rolloutState() == DeploymentRolloutState.COMPLETED
                && s.deployments().get(0).taskDefinition().equals(taskDefinition);
    }

    private static List<String> messages(Service s) {
        return s.events().stream().map(ServiceEvent::message).toList();
    }

    @Test
    void aTaskKilledWithDockerKillIsReplaced() throws Exception {
        String td = register("killed", SERVE);
        ecs.createService(r -> r.serviceName("killed").taskDefinition(td).desiredCount(DESIRED));
        ServiceProbe probe = new ServiceProbe(ecs, "default", "killed");
        ecs.waiter().waitUntilServicesStable(r -> r.services("killed"), c -> c.waitTimeout(TIMEOUT).backoffStrategy(POLL));
        probe.await(s -> completedOn(s, td), TIMEOUT);
        List<Task> before = probe.tasks();
        assertThat(before).hasSize(DESIRED).allMatch(ServiceProbe::isRunning);

        // The container of one task, found the way an operator would: by the labels the runtime puts on it.
        Task victim = before.get(0);
        String container = docker("ps", "-q", "--filter", "label=ecs-emu.task-arn=" + victim.taskArn());
        assertThat(container).as("one running container for task %s", victim.taskArn()).isNotEmpty().doesNotContain("\n");
        docker("kill", container);

        Set<String> first = before.stream().map(Task::taskArn).collect(Collectors.toSet());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<Task> tasks = probe.tasks();
        while (tasks.stream().filter(ServiceProbe::isRunning).count() != DESIRED || tasks.size() != DESIRED + 1) {
            assertThat(System.nanoTime()).as("back to 4 RUNNING tasks in time: %s", tasks).isLessThan(deadline);
            Thread.sleep(50);
            tasks = probe.tasks();
        }
        Task killed = tasks.stream().filter(t -> t.taskArn().equals(victim.taskArn())).findFirst().orElseThrow();
        assertThat(killed.lastStatus()).isEqualTo("STOPPED");
        assertThat(killed.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(killed.containers().get(0).exitCode()).isEqualTo(137);
        Task replacement = tasks.stream().filter(t -> !first.contains(t.taskArn())).findFirst().orElseThrow();
        assertThat(replacement.lastStatus()).isEqualTo("RUNNING");
        assertThat(replacement.startedBy()).isEqualTo(victim.startedBy());
        assertThat(replacement.group()).isEqualTo("service:killed");
        // Each RUNNING task has its container running on the engine.
        for (Task t : tasks.stream().filter(ServiceProbe::isRunning).toList()) {
            assertThat(docker("ps", "-q", "--filter", "label=ecs-emu.task-arn=" + t.taskArn())).as("container of %s", t.taskArn())
                    .isNotEmpty();
        }
        Service s = probe.await(x -> x.runningCount() == DESIRED && completedOn(x, td), TIMEOUT);
        assertThat(messages(s)).contains("(service killed) has started 1 tasks: (task " + replacement.taskArn()
                .substring(replacement.taskArn().lastIndexOf('/') + 1) + ").");
        ecs.deleteService(r -> r.service("killed").force(true));
    }

    @Test
    void aRevisionWhoseTasksExitAtOnceTripsTheCircuitBreakerAndRollsBack() throws Exception {
        String good = register("breaker", SERVE);
        // The essential container exits at once. A non-essential sidecar that takes its 2 s stopTimeout to
        // stop keeps each failed task (and so its deployment, FAILED, listed) a moment longer than the trip.
        String bad = ecs.registerTaskDefinition(r -> r.family("breaker").networkMode("bridge").containerDefinitions(
                ContainerDefinition.builder().name("main").image(image).memory(32).command("sh", "-c", "exit 1").build(),
                ContainerDefinition.builder().name("side").image(image).memory(32).essential(false).stopTimeout(2)
                        .command("sh", "-c", "trap '' TERM; while true; do sleep 1; done").build()))
                .taskDefinition().taskDefinitionArn();
        ecs.createService(r -> r.serviceName("breaker").taskDefinition(good).desiredCount(DESIRED)
                .deploymentConfiguration(d -> d.minimumHealthyPercent(100).maximumPercent(200)
                        .deploymentCircuitBreaker(b -> b.enable(true).rollback(true))));
        ServiceProbe probe = new ServiceProbe(ecs, "default", "breaker");
        Service steady = probe.await(s -> completedOn(s, good), TIMEOUT);
        String goodDeployment = steady.deployments().get(0).id();

        Service updated = ecs.updateService(r -> r.service("breaker").taskDefinition(bad)).service();
        String badDeployment = updated.deployments().get(0).id();
        assertThat(updated.deployments().get(0).taskDefinition()).isEqualTo(bad);

        // Every state each deployment was seen in, polled as fast as is reasonable.
        Map<String, List<Deployment>> seen = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Service s = probe.service();
        while (!(completedOn(s, good) && !s.deployments().get(0).id().equals(goodDeployment))) {
            s.deployments().forEach(d -> seen.computeIfAbsent(d.id(), k -> new ArrayList<>()).add(d));
            assertThat(System.nanoTime()).as("rolled back in time: %s", s).isLessThan(deadline);
            Thread.sleep(20);
            s = probe.service();
        }

        assertThat(seen.get(badDeployment)).as("the failed deployment while it was listed")
                .anySatisfy(d -> {
                    assertThat(d.status()).isEqualTo("ACTIVE");
                    assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.FAILED);
                    assertThat(d.rolloutStateReason()).isEqualTo("ECS deployment circuit breaker: tasks failed to start.");
                    assertThat(d.failedTasks()).isGreaterThanOrEqualTo(3);
                });
        Deployment rollback = s.deployments().get(0);
        assertThat(rollback.id()).isNotIn(goodDeployment, badDeployment);
        assertThat(rollback.status()).isEqualTo("PRIMARY");
        assertThat(rollback.taskDefinition()).isEqualTo(good);
        assertThat(s.taskDefinition()).isEqualTo(good);
        List<String> events = messages(s);
        assertThat(events).contains(
                "(service breaker) (deployment " + badDeployment + ") deployment failed: tasks failed to start.",
                "(service breaker) rolling back to deployment " + goodDeployment + ".",
                "(service breaker) (deployment " + rollback.id() + ") deployment completed.",
                "(service breaker) has reached a steady state.");
        assertThat(probe.tasks()).filteredOn(t -> t.taskDefinitionArn().equals(bad)).allMatch(ServiceProbe::isStopped);
        assertThat(probe.tasks()).filteredOn(ServiceProbe::isRunning).hasSize(DESIRED)
                .allMatch(t -> t.taskDefinitionArn().equals(good));
        ecs.deleteService(r -> r.service("breaker").force(true));
    }

    @Test
    void deleteServiceNeedsForceWhileScaledAboveZeroThenDrainsToInactive() throws Exception {
        String td = register("deleted", SERVE);
        ecs.createService(r -> r.serviceName("deleted").taskDefinition(td).desiredCount(DESIRED));
        ServiceProbe probe = new ServiceProbe(ecs, "default", "deleted");
        probe.await(s -> s.runningCount() == DESIRED, TIMEOUT);

        assertThatThrownBy(() -> ecs.deleteService(r -> r.service("deleted")))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The service cannot be stopped while it is scaled above 0.");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        assertThat(probe.service().status()).isEqualTo("ACTIVE");

        Service deleting = ecs.deleteService(r -> r.service("deleted").force(true)).service();
        assertThat(deleting.status()).isEqualTo("DRAINING");
        assertThat(deleting.desiredCount()).isZero();
        ecs.waiter().waitUntilServicesInactive(r -> r.services("deleted"), c -> c.waitTimeout(TIMEOUT).backoffStrategy(POLL));
        List<Task> tasks = probe.tasks();
        assertThat(tasks).hasSize(DESIRED).allMatch(t -> "STOPPED".equals(t.desiredStatus()));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!tasks.stream().allMatch(ServiceProbe::isStopped)) {
            assertThat(System.nanoTime()).as("all tasks STOPPED in time: %s", tasks).isLessThan(deadline);
            Thread.sleep(50);
            tasks = probe.tasks();
        }
        assertThat(tasks).allMatch(t -> t.stopCode() == TaskStopCode.SERVICE_SCHEDULER_INITIATED);
        assertThat(ecs.listServices(r -> r.cluster("default")).serviceArns()).noneMatch(a -> a.endsWith("/deleted"));

        // The name is free again.
        Service again = ecs.createService(r -> r.serviceName("deleted").taskDefinition(td).desiredCount(1)).service();
        assertThat(again.status()).isEqualTo("ACTIVE");
        assertThat(again.serviceArn()).isEqualTo(deleting.serviceArn());
        probe.await(x -> x.runningCount() == 1, TIMEOUT);
        Set<String> drained = tasks.stream().map(Task::taskArn).collect(Collectors.toSet());
        assertThat(probe.tasks()).filteredOn(ServiceProbe::isRunning).singleElement()
                .satisfies(t -> assertThat(drained).doesNotContain(t.taskArn()));
        ecs.deleteService(r -> r.service("deleted").force(true));
    }
}
