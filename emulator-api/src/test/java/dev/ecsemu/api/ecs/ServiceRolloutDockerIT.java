package dev.ecsemu.api.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.testing.ServiceProbe;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.runtime.docker.DockerRuntime;
import dev.ecsemu.core.service.ServiceScheduler;
import dev.ecsemu.core.testing.RequiresDocker;
import dev.ecsemu.core.testing.TestImages;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Rolling updates of a 4-task service on the Docker engine, driven and watched through the real
 * EcsClient. Each rollout is checked twice: at every poll of the API, and afterwards over the tasks'
 * own timestamps (createdAt, startedAt, stoppingAt, stoppedAt), which show every instant between polls.
 */
@RequiresDocker
class ServiceRolloutDockerIT {
    private static final TimeScale SCALE = new TimeScale(0.05);
    /** A task without health check counts as healthy this long after it reached RUNNING. */
    private static final Duration SETTLE = SCALE.of(ServiceScheduler.SETTLE_PERIOD);
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
        Process ps = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=ecs-emu.pid=" + ProcessHandle.current().pid())
                .redirectErrorStream(true).start();
        String left = new String(ps.getInputStream().readAllBytes()).trim();
        ps.waitFor(10, TimeUnit.SECONDS);
        assertThat(left).as("containers left behind").isEmpty();
    }

    /** Ignores SIGTERM: stopping it takes its whole stopTimeout. */
    private static final String SLOW_TO_STOP = "trap '' TERM; while true; do sleep 1; done";

    /** Registers the next revision of the family; the revisions differ only in an environment variable. */
    private static String revision(String family, int n) {
        return revision(family, n, SERVE, null);
    }

    private static String revision(String family, int n, String script, Integer stopTimeout) {
        return ecs.registerTaskDefinition(r -> r.family(family).networkMode("bridge").containerDefinitions(c -> c.name("main")
                .image(image).memory(32).command("sh", "-c", script).stopTimeout(stopTimeout)
                .environment(KeyValuePair.builder().name("REVISION").value(Integer.toString(n)).build())))
                .taskDefinition().taskDefinitionArn();
    }

    private static boolean completedOn(Service s, String taskDefinition) {
        return s.deployments().size() == 1 && s.deployments().get(0).rolloutState() == DeploymentRolloutState.COMPLETED
                && s.deployments().get(0).taskDefinition().equals(taskDefinition);
    }

    /** A service of 4 tasks at the given bounds, created and awaited until its first deployment completed; returns the ms to 4 RUNNING. */
    private static long steadyService(String name, String taskDefinition, int minPercent, int maxPercent) throws InterruptedException {
        long before = System.nanoTime();
        ecs.createService(r -> r.serviceName(name).taskDefinition(taskDefinition).desiredCount(DESIRED)
                .deploymentConfiguration(d -> d.minimumHealthyPercent(minPercent).maximumPercent(maxPercent)));
        ServiceProbe probe = new ServiceProbe(ecs, "default", name);
        probe.await(s -> s.runningCount() == DESIRED, TIMEOUT);
        long batch = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        probe.await(s -> completedOn(s, taskDefinition), TIMEOUT);
        return batch;
    }

    private static void delete(String name) {
        ecs.deleteService(r -> r.service(name).force(true));
    }

    private static String primaryId(Service s) {
        return s.deployments().stream().filter(d -> d.status().equals("PRIMARY")).findFirst().orElseThrow().id();
    }

    private static List<String> messages(Service s) {
        return s.events().stream().map(ServiceEvent::message).toList();
    }

    private static List<Task> ofRevision(List<Task> tasks, String taskDefinition) {
        return tasks.stream().filter(t -> t.taskDefinitionArn().equals(taskDefinition)).toList();
    }

    // ---- the rollout over the tasks' timestamps ------------------------------------------------------

    /** When the task stopped being RUNNING with desired status RUNNING: asked to stop, or stopped; null while it runs. */
    private static Instant leftRunning(Task t) {
        Instant out = null;
        for (Instant at : new Instant[] {t.stoppingAt(), t.executionStoppedAt(), t.stoppedAt()}) {
            if (at != null && (out == null || at.isBefore(out))) {
                out = at;
            }
        }
        return out;
    }

    private static Instant healthyFrom(Task t) {
        return t.startedAt() == null ? null : t.startedAt().plus(SETTLE);
    }

    private static int count(List<Task> tasks, Instant at, Function<Task, Instant> from,
            Function<Task, Instant> until) {
        int n = 0;
        for (Task t : tasks) {
            Instant start = from.apply(t);
            Instant end = until.apply(t);
            if (start != null && !start.isAfter(at) && (end == null || end.isAfter(at))) {
                n++;
            }
        }
        return n;
    }

    /** The most tasks not STOPPED at any one instant: a task counts from its createdAt until its stoppedAt. */
    private static int mostNotStopped(List<Task> tasks) {
        int most = 0;
        for (Task t : tasks) {
            most = Math.max(most, count(tasks, t.createdAt(), Task::createdAt, Task::stoppedAt));
        }
        return most;
    }

    /**
     * The fewest healthy tasks at any instant of [from, to]: a task counts from startedAt + the settle
     * period until it is asked to stop (or stops). The count only drops where a task leaves, so those
     * instants and {@code from} are the ones to look at.
     */
    private static int fewestHealthy(List<Task> tasks, Instant from, Instant to) {
        int fewest = count(tasks, from, ServiceRolloutDockerIT::healthyFrom, ServiceRolloutDockerIT::leftRunning);
        for (Task t : tasks) {
            Instant left = leftRunning(t);
            if (left != null && !left.isBefore(from) && !left.isAfter(to)) {
                fewest = Math.min(fewest, count(tasks, left, ServiceRolloutDockerIT::healthyFrom, ServiceRolloutDockerIT::leftRunning));
            }
        }
        return fewest;
    }

    // ---- the rollouts ------------------------------------------------------------------------------

    @Test
    void at50And200FourTasksRollToRevision2WithinTheBoundsAtEveryPoll() throws Exception {
        String rev1 = revision("roll-50-200", 1);
        String rev2 = revision("roll-50-200", 2);
        long batch = steadyService("roll-50-200", rev1, 50, 200);
        ServiceProbe probe = new ServiceProbe(ecs, "default", "roll-50-200");
        int maxTasks = DESIRED * 200 / 100;
        int minHealthy = (DESIRED * 50 + 99) / 100;

        Instant updatedAt = Instant.now();
        long before = System.nanoTime();
        String deployment = primaryId(ecs.updateService(r -> r.service("roll-50-200").taskDefinition(rev2)).service());
        boolean sawBoth = false;
        int polls = 0;
        Service s;
        while (true) {
            List<Task> tasks = probe.tasks();
            s = probe.service();
            polls++;
            assertThat(tasks.stream().filter(t -> !ServiceProbe.isStopped(t)).count()).as("tasks not STOPPED at poll %d", polls)
                    .isLessThanOrEqualTo(maxTasks);
            assertThat(tasks.stream().filter(ServiceProbe::isRunning).count()).as("RUNNING tasks at poll %d", polls)
                    .isGreaterThanOrEqualTo(minHealthy);
            assertThat(s.runningCount()).as("runningCount at poll %d", polls).isGreaterThanOrEqualTo(minHealthy);
            sawBoth |= s.deployments().size() == 2
                    && s.deployments().get(0).status().equals("PRIMARY") && s.deployments().get(0).taskDefinition().equals(rev2)
                    && s.deployments().get(1).status().equals("ACTIVE") && s.deployments().get(1).taskDefinition().equals(rev1);
            if (completedOn(s, rev2)) {
                break;
            }
            assertThat(System.nanoTime() - before).as("rollout done in time").isLessThan(TIMEOUT.toNanos());
            Thread.sleep(50);
        }
        long rollout = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        Instant doneAt = Instant.now();
        System.out.println("ROLLOUT-TIMING rollout=" + rollout + "ms batch=" + batch + "ms settle=" + SETTLE.toMillis() + "ms (polls "
                + polls + ", desired " + DESIRED + ", 50/200, time scale " + SCALE.factor() + ")");

        assertThat(sawBoth).as("PRIMARY on revision 2 and ACTIVE on revision 1 side by side at some poll").isTrue();
        Deployment only = s.deployments().get(0);
        assertThat(only.id()).isEqualTo(deployment);
        assertThat(only.status()).isEqualTo("PRIMARY");
        assertThat(only.rolloutStateReason()).isEqualTo("ECS deployment " + deployment + " completed.");
        assertThat(only.runningCount()).isEqualTo(DESIRED);
        assertThat(s.taskDefinition()).isEqualTo(rev2);
        List<String> events = messages(s);
        String completed = "(service roll-50-200) (deployment " + deployment + ") deployment completed.";
        assertThat(events).contains(completed, "(service roll-50-200) has reached a steady state.");
        assertThat(events.indexOf("(service roll-50-200) has reached a steady state.")).as("steady state after the completion")
                .isLessThan(events.indexOf(completed));

        // Between the polls too, from the tasks' own timestamps. The bounds are reached, not just kept:
        // the first pass stops 2 old tasks and starts 4 new ones at once.
        List<Task> tasks = probe.tasks();
        assertThat(mostNotStopped(tasks)).isEqualTo(maxTasks);
        assertThat(fewestHealthy(tasks, updatedAt, doneAt)).isEqualTo(minHealthy);
        assertThat(ofRevision(tasks, rev2)).hasSize(DESIRED).allMatch(ServiceProbe::isRunning);
        assertThat(ofRevision(tasks, rev1)).hasSize(DESIRED).allMatch(ServiceProbe::isStopped);

        ecs.waiter().waitUntilServicesStable(r -> r.services("roll-50-200"),
                c -> c.waitTimeout(Duration.ofSeconds(30)).backoffStrategy(POLL)).matched().response().orElseThrow();
        delete("roll-50-200");
    }

    @Test
    void at100And200NoOldTaskStopsBeforeANewOneIsHealthyAndTheServiceIsStableOnlyOnceTheyAreStopped() throws Exception {
        // Revision 1 takes its 2 s stopTimeout to stop: its deployment stays listed until its tasks are STOPPED.
        String rev1 = revision("roll-100-200", 1, SLOW_TO_STOP, 2);
        String rev2 = revision("roll-100-200", 2);
        steadyService("roll-100-200", rev1, 100, 200);
        ServiceProbe probe = new ServiceProbe(ecs, "default", "roll-100-200");

        Instant updatedAt = Instant.now();
        ecs.updateService(r -> r.service("roll-100-200").taskDefinition(rev2));
        // The real waiter: one deployment left and runningCount == desiredCount.
        Service stable = ecs.waiter().waitUntilServicesStable(r -> r.services("roll-100-200"),
                c -> c.waitTimeout(Duration.ofSeconds(30)).backoffStrategy(POLL)).matched().response().orElseThrow().services().get(0);
        assertThat(stable.deployments()).singleElement().satisfies(d -> assertThat(d.taskDefinition()).isEqualTo(rev2));
        assertThat(ofRevision(probe.tasks(), rev1)).as("revision 1 tasks once the service is stable").hasSize(DESIRED)
                .allMatch(ServiceProbe::isStopped);
        Service s = probe.await(x -> completedOn(x, rev2), TIMEOUT);
        Instant doneAt = Instant.now();
        assertThat(s.runningCount()).isEqualTo(DESIRED);

        List<Task> tasks = probe.tasks();
        List<Task> old = ofRevision(tasks, rev1);
        List<Task> fresh = ofRevision(tasks, rev2);
        assertThat(old).hasSize(DESIRED);
        assertThat(fresh).hasSize(DESIRED);
        Instant firstHealthy = fresh.stream().map(ServiceRolloutDockerIT::healthyFrom).min(Instant::compareTo).orElseThrow();
        for (Task t : old) {
            assertThat(t.stoppingAt()).as("old task %s asked to stop after a new one was healthy", t.taskArn())
                    .isAfterOrEqualTo(firstHealthy);
        }
        assertThat(fewestHealthy(tasks, updatedAt, doneAt)).as("healthy tasks never below 100% of 4").isGreaterThanOrEqualTo(DESIRED);
        assertThat(mostNotStopped(tasks)).isLessThanOrEqualTo(2 * DESIRED);
        delete("roll-100-200");
    }

    @Test
    void at0And100TheOldTasksStopBeforeNewOnesStart() throws Exception {
        String rev1 = revision("roll-0-100", 1);
        String rev2 = revision("roll-0-100", 2);
        steadyService("roll-0-100", rev1, 0, 100);
        ServiceProbe probe = new ServiceProbe(ecs, "default", "roll-0-100");

        long before = System.nanoTime();
        ecs.updateService(r -> r.service("roll-0-100").taskDefinition(rev2));
        int polls = 0;
        while (true) {
            List<Task> tasks = probe.tasks();
            Service s = probe.service();
            polls++;
            assertThat(tasks.stream().filter(t -> !ServiceProbe.isStopped(t)).count()).as("tasks not STOPPED at poll %d", polls)
                    .isLessThanOrEqualTo(DESIRED);
            if (completedOn(s, rev2)) {
                break;
            }
            assertThat(System.nanoTime() - before).as("rollout done in time").isLessThan(TIMEOUT.toNanos());
            Thread.sleep(50);
        }
        List<Task> tasks = probe.tasks();
        assertThat(mostNotStopped(tasks)).as("tasks not STOPPED at any instant").isLessThanOrEqualTo(DESIRED);
        List<Task> fresh = ofRevision(tasks, rev2);
        assertThat(fresh).hasSize(DESIRED).allMatch(ServiceProbe::isRunning);
        // With room for no extra task, each new task waited for an old one to be STOPPED.
        Instant firstCreated = fresh.stream().map(Task::createdAt).min(Instant::compareTo).orElseThrow();
        assertThat(ofRevision(tasks, rev1)).hasSize(DESIRED)
                .anyMatch(t -> !t.stoppedAt().isAfter(firstCreated));
        delete("roll-0-100");
    }
}
