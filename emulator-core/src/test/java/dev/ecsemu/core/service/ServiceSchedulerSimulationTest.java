package dev.ecsemu.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.cluster.Clusters;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.ContainerInstances;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.state.Stores;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.TaskController;
import dev.ecsemu.core.task.TaskStatus;
import dev.ecsemu.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.HealthCheck;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.SchedulingStrategy;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * The service scheduler over the real store, task state machine and controllers, with a clock that
 * moves only when the test moves it and a runtime the test plays: every container start or stop the
 * scheduler causes is answered one report at a time, each followed by a scheduler pass, in an order
 * a seeded random picks. After every report and every pass the rollout's bounds are checked.
 */
class ServiceSchedulerSimulationTest {
    private static final Scope SCOPE = new Scope("123456789012", "eu-west-1");
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final TimeScale SCALE = new TimeScale(0.05);
    /** The 40 s settle period, scaled: a task without a health check counts as healthy this long after RUNNING. */
    private static final Duration SETTLE = SCALE.of(ServiceScheduler.SETTLE_PERIOD);
    /** Time between two reports of the runtime: several fit in a settle period, so tasks settle mid-rollout. */
    private static final Duration STEP = Duration.ofMillis(150);
    private static final int MAX_REPORTS = 5_000;
    private static final String NAME = "web";

    private static final String STEADY = "(service web) has reached a steady state.";
    private static final String STALLED = "(service web) was unable to stop or start tasks during a deployment because of the service"
            + " deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.";
    private static final String THROTTLED = "(service web) is unable to consistently start tasks successfully.";
    private static final Pattern STARTED = Pattern.compile("\\(service web\\) has started (\\d+) tasks:.*");
    private static final Pattern STOPPED = Pattern.compile("\\(service web\\) has stopped (\\d+) running tasks:.*");

    private static final DeploymentCircuitBreaker NO_BREAKER = DeploymentCircuitBreaker.builder().enable(false).rollback(false).build();

    /** What the engine does with the containers of a task definition. */
    enum Behaviour {
        /** Pulls, starts and runs until stopped. */
        RUNS,
        /** Runs, and its health check says HEALTHY once it has started. */
        RUNS_HEALTHY,
        /** Starts, then exits with code 1 at once. */
        EXITS_AT_ONCE,
        /** Cannot be started: the task never reaches RUNNING. */
        FAILS_TO_START
    }

    private MutableClock clock;
    private RegionState state;
    private RecordingRuntime runtime;
    private TaskController tasks;
    private ServiceController controller;
    private Cluster cluster;
    private Random random;
    private TaskDefinition rev1;
    private TaskDefinition rev2;
    private TaskDefinition crashing;
    private TaskDefinition unstartable;
    private TaskDefinition healthChecked;
    /** The bounds checked after every report and pass, or null while they are not (creation, scale-in). */
    private RolloutBounds checked;
    private String context = "";
    private int reports;

    @BeforeEach
    void setUp() {
        setUp(1);
    }

    private void setUp(long seed) {
        if (tasks != null) {
            tasks.close();
        }
        clock = new MutableClock(T0);
        Stores stores = new Stores(clock);
        // The store's state, reached once through its lock; the test and both controllers run on this thread.
        state = stores.of(SCOPE).write(s -> s);
        runtime = new RecordingRuntime();
        tasks = new TaskController(stores, runtime, Duration.ofHours(1));
        controller = new ServiceController(stores, tasks, clock, SCALE);
        // Closed at once: its own wake-ups and tick never run a pass; the test runs every pass with reconcile.
        controller.close();
        random = new Random(seed);
        checked = null;
        reports = 0;
        cluster = state.createCluster(new Clusters.Spec("prod", null, null, null, null, null));
        for (int i = 0; i < 3; i++) {
            instance(i);
        }
        rev1 = register("web");
        rev2 = register("web");
        crashing = register("crashing");
        unstartable = register("unstartable");
        healthChecked = state.taskDefinitions().register(TaskDefinition.builder().family("health-checked")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("busybox").memory(64)
                        .healthCheck(HealthCheck.builder().command("CMD-SHELL", "true").build()).build()).build());
    }

    @AfterEach
    void tearDown() {
        tasks.close();
    }

    // ---- the world ----

    private ContainerInstance instance(int i) {
        return state.registerContainerInstance("prod",
                new ContainerInstances.Spec("i-0123456789abcde" + String.format("%02d", i), null, "eu-west-1a", 4096, 8192, null,
                        Map.of()));
    }

    private TaskDefinition register(String family) {
        return state.taskDefinitions().register(TaskDefinition.builder().family(family)
                .containerDefinitions(ContainerDefinition.builder().name("app").image("busybox").memory(64).build()).build());
    }

    private Behaviour behaviourOf(Task t) {
        String family = t.taskDefinition().family();
        switch (family) {
            case "crashing":
                return Behaviour.EXITS_AT_ONCE;
            case "unstartable":
                return Behaviour.FAILS_TO_START;
            case "health-checked":
                return Behaviour.RUNS_HEALTHY;
            default:
                return Behaviour.RUNS;
        }
    }

    private static ServiceRevision.Config config(TaskDefinition td, SchedulingStrategy strategy) {
        return new ServiceRevision.Config(td, software.amazon.awssdk.services.ecs.model.LaunchType.EC2, null, null, null, null, null);
    }

    /** Creates the service as CreateService does, then runs the pass its kick asks for. */
    private Service create(SchedulingStrategy strategy, Integer desired, Integer min, Integer max, DeploymentCircuitBreaker breaker) {
        DeploymentConfiguration requested = DeploymentConfiguration.builder().minimumHealthyPercent(min).maximumPercent(max)
                .deploymentCircuitBreaker(breaker).build();
        Service.Settings settings = new Service.Settings(ServiceRules.desiredCount(strategy, desired),
                ServiceRules.deploymentConfiguration(strategy, requested, null), List.of(), ServiceRules.placementStrategy(strategy, null),
                0, PropagateTags.NONE, false, false, null);
        Service service = state.services().create(cluster, new Services.Spec(NAME, config(rev1, strategy), settings, strategy,
                ServiceRules.controller(null), null, null));
        pass();
        return service;
    }

    private Service replica(int desired, int min, int max, DeploymentCircuitBreaker breaker) {
        return create(SchedulingStrategy.REPLICA, desired, min, max, breaker);
    }

    /** Creates the service and waits until it is steady on revision 1. */
    private Service steadyReplica(int desired, int min, int max, DeploymentCircuitBreaker breaker) {
        Service service = replica(desired, min, max, breaker);
        runUntilQuiet(service);
        assertSteady(service, rev1, desired);
        return service;
    }

    /** UpdateService with a new task definition: a new deployment, then the pass its kick asks for. */
    private Deployment deploy(Service service, TaskDefinition td) {
        Deployment d = state.services().deploy(service, config(td, service.schedulingStrategy()));
        pass();
        return d;
    }

    /** UpdateService with a new desired count only. */
    private void scale(Service service, int desired) {
        state.services().update(service, service.settings().withDesiredCount(desired));
        pass();
    }

    // ---- the engine and the passes ----

    private void pass() {
        controller.reconcile(SCOPE);
        checkBounds("after a pass");
    }

    /** One report of the runtime, then the pass the task controller's kick asks for; then time moves on a little. */
    private void report(Runnable report) {
        report.run();
        reports++;
        checkBounds("after a report");
        pass();
        clock.advance(STEP);
    }

    /** Answers one outstanding start or stop, chosen at random; false when there is none. */
    private boolean answerOne() {
        List<RecordingRuntime.Request> outstanding = runtime.outstanding();
        if (outstanding.isEmpty()) {
            return false;
        }
        RecordingRuntime.Request r = outstanding.remove(random.nextInt(outstanding.size()));
        String arn = r.taskArn();
        String name = r.containerName();
        if (!r.start()) {
            report(() -> tasks.containerStopped(arn, name, 143, null));
            return true;
        }
        Task task = state.tasks().byArn(arn).orElseThrow();
        report(() -> tasks.pullStarted(arn, name));
        switch (behaviourOf(task)) {
            case RUNS:
                report(() -> tasks.pullStopped(arn, name, null));
                report(() -> tasks.containerStarted(arn, name, "rt-" + task.id(), List.of()));
                break;
            case RUNS_HEALTHY:
                report(() -> tasks.pullStopped(arn, name, null));
                report(() -> tasks.containerStarted(arn, name, "rt-" + task.id(), List.of()));
                report(() -> tasks.containerHealth(arn, name, HealthStatus.HEALTHY));
                break;
            case EXITS_AT_ONCE:
                report(() -> tasks.pullStopped(arn, name, null));
                report(() -> tasks.containerStarted(arn, name, "rt-" + task.id(), List.of()));
                report(() -> tasks.containerStopped(arn, name, 1, null));
                break;
            case FAILS_TO_START:
                report(() -> tasks.containerFailed(arn, name, "CannotPullContainerError: pull image manifest has been retried 5 time(s)"));
                break;
            default:
                throw new IllegalStateException();
        }
        return true;
    }

    /**
     * Answers the runtime and lets time pass until the service rests: nothing is outstanding and a pass
     * a settle period later changes nothing.
     */
    private void runUntilQuiet(Service service) {
        while (reports < MAX_REPORTS) {
            if (answerOne()) {
                continue;
            }
            long version = service.version();
            clock.advance(SETTLE);
            pass();
            if (runtime.outstanding().isEmpty() && service.version() == version) {
                return;
            }
        }
        fail(context + ": no rest after " + MAX_REPORTS + " reports; tasks " + describe(service));
    }

    private void answerAll() {
        while (answerOne()) {
            // each answer runs its own passes
        }
    }

    // ---- what the test looks at ----

    private List<Task> tasksOf(Service service) {
        List<Task> out = new ArrayList<>();
        for (Task t : state.tasks().inCluster(cluster.arn())) {
            if (service.taskGroup().equals(t.group())) {
                out.add(t);
            }
        }
        return out;
    }

    /** Tasks that run or are on their way to: not STOPPED and not asked to stop. */
    private List<Task> live(Service service) {
        List<Task> out = new ArrayList<>();
        for (Task t : tasksOf(service)) {
            if (!t.isStopped() && Task.DESIRED_RUNNING.equals(t.desiredStatus())) {
                out.add(t);
            }
        }
        return out;
    }

    /** Healthy as ECS counts it, worked out here rather than by the scheduler: RUNNING for the settle period. */
    private boolean healthy(Task t) {
        return t.lastStatus() == TaskStatus.RUNNING && Task.DESIRED_RUNNING.equals(t.desiredStatus())
                && !clock.instant().isBefore(t.startedAt().plus(SETTLE));
    }

    private void checkBounds(String when) {
        if (checked == null) {
            return;
        }
        Service service = state.services().find(cluster, NAME).orElseThrow();
        int notStopped = 0;
        int healthy = 0;
        for (Task t : tasksOf(service)) {
            if (!t.isStopped()) {
                notStopped++;
                healthy += healthy(t) ? 1 : 0;
            }
        }
        if (notStopped > checked.maxTasks() || healthy < checked.minHealthy()) {
            fail(context + ", " + when + " " + reports + " at +" + Duration.between(T0, clock.instant()).toMillis() + " ms: "
                    + notStopped + " tasks not STOPPED (at most " + checked.maxTasks() + "), " + healthy + " healthy (at least "
                    + checked.minHealthy() + "): " + describe(service));
        }
    }

    private String describe(Service service) {
        StringBuilder sb = new StringBuilder();
        for (Task t : tasksOf(service)) {
            if (t.isStopped()) {
                continue;
            }
            sb.append(t.taskDefinition().family()).append(':').append(t.taskDefinition().revision()).append(' ')
                    .append(t.lastStatus()).append(Task.DESIRED_STOPPED.equals(t.desiredStatus()) ? "→STOPPED" : "")
                    .append(healthy(t) ? " healthy" : "").append("; ");
        }
        return "[" + sb + "]";
    }

    /** Messages of the events since {@code since}, oldest first. */
    private static List<String> eventsSince(Service service, Instant since) {
        List<String> out = new ArrayList<>();
        for (ServiceEvents.Event e : service.events().list()) {
            if (!e.createdAt().isBefore(since)) {
                out.add(0, e.message());
            }
        }
        return out;
    }

    private static int counted(List<String> events, Pattern pattern) {
        int n = 0;
        for (String e : events) {
            Matcher m = pattern.matcher(e);
            if (m.matches()) {
                n += Integer.parseInt(m.group(1));
            }
        }
        return n;
    }

    private static String completed(Deployment d) {
        return "(service web) (deployment " + d.id() + ") deployment completed.";
    }

    /** One COMPLETED deployment of {@code td}, {@code desired} healthy tasks of it, and the steady-state event newest. */
    private void assertSteady(Service service, TaskDefinition td, int desired) {
        assertThat(service.deployments()).as(context).hasSize(1);
        Deployment d = service.primary();
        assertThat(d.status()).isEqualTo(Deployment.PRIMARY);
        assertThat(d.rolloutState()).as(context).isEqualTo(DeploymentRolloutState.COMPLETED);
        assertThat(d.rolloutStateReason()).isEqualTo("ECS deployment " + d.id() + " completed.");
        assertThat(d.revision().taskDefinition().taskDefinitionArn()).isEqualTo(td.taskDefinitionArn());
        List<Task> live = live(service);
        assertThat(live).as(context).hasSize(desired).allMatch(this::healthy, "healthy")
                .allMatch(t -> t.startedBy().equals(d.id()), "of the PRIMARY deployment")
                .allMatch(t -> t.taskDefinition().taskDefinitionArn().equals(td.taskDefinitionArn()), "of " + td.taskDefinitionArn());
        List<String> events = eventsSince(service, T0);
        assertThat(events).as(context).contains(completed(d)).endsWith(STEADY);
    }

    // ---- rolling updates: the bounds hold at every step ----

    static Stream<Arguments> rollouts() {
        int[][] configurations = {{50, 200}, {100, 200}, {0, 100}, {100, 150}, {50, 100}, {0, 200}};
        List<Arguments> out = new ArrayList<>();
        for (int desired = 1; desired <= 6; desired++) {
            for (int[] c : configurations) {
                out.add(Arguments.of(desired, c[0], c[1]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "desired {0} at {1}/{2}")
    @MethodSource("rollouts")
    void aRollingUpdateKeepsItsBoundsAtEveryStepAndCompletes(int desired, int min, int max) {
        RolloutBounds bounds = RolloutBounds.of(desired, min, max);
        // Neither room above the desired count nor a task that may go: the reference's stall.
        boolean stalls = bounds.maxTasks() == desired && bounds.minHealthy() == desired;
        for (long seed = 1; seed <= 2; seed++) {
            setUp(seed);
            context = "desired " + desired + " at " + min + "/" + max + ", seed " + seed;
            Service service = steadyReplica(desired, min, max, NO_BREAKER);
            Deployment first = service.primary();
            Instant rolledAt = clock.instant();

            checked = bounds;
            checkBounds("before the update");
            Deployment second = deploy(service, rev2);
            runUntilQuiet(service);

            List<String> events = eventsSince(service, rolledAt);
            if (stalls) {
                assertThat(events).as(context).containsExactly(STALLED);
                assertThat(service.deployments()).containsExactly(second, first);
                assertThat(second.rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS);
                assertThat(first.status()).isEqualTo(Deployment.ACTIVE);
                assertThat(live(service)).as(context).hasSize(desired).allMatch(t -> t.startedBy().equals(first.id()));
                continue;
            }
            assertSteady(service, rev2, desired);
            assertThat(service.primary()).isSameAs(second);
            assertThat(first.status()).isEqualTo(Deployment.INACTIVE);
            assertThat(service.history()).containsExactly(first, second);
            assertThat(events).as(context).doesNotContain(STALLED).endsWith(completed(second), STEADY);
            assertThat(counted(events, STARTED)).as(context + ": a new task for each old one, none wasted").isEqualTo(desired);
            assertThat(counted(events, STOPPED)).as(context).isEqualTo(desired);
            assertThat(tasksOf(service)).filteredOn(t -> t.startedBy().equals(first.id()))
                    .allMatch(Task::isStopped, "old tasks STOPPED")
                    .allMatch(t -> t.stopCode() == TaskStopCode.SERVICE_SCHEDULER_INITIATED
                            && ("Scaling activity initiated by (deployment " + second.id() + ")").equals(t.stoppedReason()), "stopped by the rollout");
        }
    }

    @Test
    void aNewDeploymentInTheMiddleOfARolloutReplacesBothOlderOnes() {
        Service service = steadyReplica(4, 50, 200, NO_BREAKER);
        Deployment first = service.primary();
        checked = RolloutBounds.of(4, 50, 200);
        Deployment second = deploy(service, rev2);
        for (int i = 0; i < 8; i++) {
            answerOne();
        }
        assertThat(service.deployments()).as("mid-rollout").containsExactly(second, first);

        Deployment third = deploy(service, healthChecked);
        // Health-checked tasks are healthy once HEALTHY; the bounds check here counts settled ones, which come later.
        checked = null;
        runUntilQuiet(service);

        assertSteady(service, healthChecked, 4);
        assertThat(service.primary()).isSameAs(third);
        assertThat(List.of(first, second)).allMatch(d -> d.status().equals(Deployment.INACTIVE));
        assertThat(second.deploymentStatus()).isEqualTo(ServiceDeploymentStatus.STOPPED);
    }

    @Test
    void aStalledRolloutMovesOnOnceTheConfigurationAllowsIt() {
        Service service = steadyReplica(2, 100, 100, NO_BREAKER);
        Deployment second = deploy(service, rev2);
        runUntilQuiet(service);
        assertThat(eventsSince(service, T0)).endsWith(STALLED);

        // UpdateService with a new deploymentConfiguration only: no new deployment, the rollout goes on.
        DeploymentConfiguration relaxed = ServiceRules.deploymentConfiguration(SchedulingStrategy.REPLICA,
                DeploymentConfiguration.builder().minimumHealthyPercent(50).build(), service.settings().deploymentConfiguration());
        Service.Settings was = service.settings();
        state.services().update(service, new Service.Settings(was.desiredCount(), relaxed, was.placementConstraints(),
                was.placementStrategy(), was.healthCheckGracePeriodSeconds(), was.propagateTags(), was.enableECSManagedTags(),
                was.enableExecuteCommand(), was.serviceConnectConfiguration()));
        checked = RolloutBounds.of(2, 50, 100);
        pass();
        runUntilQuiet(service);

        assertSteady(service, rev2, 2);
        assertThat(service.primary()).isSameAs(second);
    }

    @Test
    void protectedOldTasksHoldTheRolloutWithoutAStallUntilTheirProtectionEnds() {
        // At 0/200 the new tasks start beside the old ones; the protected old ones then wait.
        Service service = steadyReplica(2, 0, 200, NO_BREAKER);
        Instant until = clock.instant().plus(Duration.ofMinutes(1));
        List<Task> old = live(service);
        old.forEach(t -> state.tasks().protect(t, until));
        checked = RolloutBounds.of(2, 0, 200);

        Deployment second = deploy(service, rev2);
        runUntilQuiet(service);
        assertThat(service.deployments()).hasSize(2);
        assertThat(eventsSince(service, T0)).doesNotContain(STALLED);
        assertThat(live(service)).hasSize(4).containsAll(old);

        clock.advance(Duration.ofMinutes(1));
        pass();
        runUntilQuiet(service);
        assertSteady(service, rev2, 2);
    }

    @Test
    void aTaskFailingItsHealthChecksIsReplaced() {
        Service service = replica(2, 100, 200, NO_BREAKER);
        deploy(service, healthChecked);
        runUntilQuiet(service);
        assertSteady(service, healthChecked, 2);
        Task sick = live(service).get(0);
        Instant sickAt = clock.instant();

        report(() -> tasks.containerHealth(sick.arn(), "app", HealthStatus.UNHEALTHY));

        assertThat(sick.desiredStatus()).isEqualTo(Task.DESIRED_STOPPED);
        assertThat(sick.stopCode()).isEqualTo(TaskStopCode.SERVICE_SCHEDULER_INITIATED);
        assertThat(sick.stoppedReason()).isEqualTo("Task failed container health checks");
        runUntilQuiet(service);
        assertSteady(service, healthChecked, 2);
        List<String> events = eventsSince(service, sickAt);
        assertThat(events.get(0)).isEqualTo("(service web) (task " + sick.id() + ") failed container health checks.");
        assertThat(events.get(1)).isEqualTo("(service web) has stopped 1 running tasks: (task " + sick.id() + ").");
        assertThat(events.get(2)).matches("\\(service web\\) has started 1 tasks: \\(task [0-9a-f]{32}\\)\\."
                + " Amazon ECS replaced 1 tasks due to an unhealthy status\\.");
    }

    @Test
    void aServiceDeletedInTheMiddleOfARolloutDrainsToInactive() {
        Service service = steadyReplica(3, 100, 200, NO_BREAKER);
        deploy(service, rev2);
        for (int i = 0; i < 4; i++) {
            answerOne();
        }

        state.services().delete(service);
        pass();
        answerAll();

        assertThat(service.status()).isEqualTo(Service.INACTIVE);
        assertThat(tasksOf(service)).allMatch(Task::isStopped);
    }

    /**
     * Whatever happens on the way (new deployments, desired count changes, killed tasks, instances
     * drained and back), once the world calms down the service is steady on its latest revision.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void aServiceComesToRestOnItsLatestRevisionWhateverHappensOnTheWay(long seed) {
        setUp(seed);
        int[][] configurations = {{50, 200}, {100, 200}, {0, 100}, {0, 200}};
        int[] c = configurations[random.nextInt(configurations.length)];
        context = "seed " + seed + " at " + c[0] + "/" + c[1];
        Service service = steadyReplica(1 + random.nextInt(5), c[0], c[1], NO_BREAKER);
        TaskDefinition latest = rev1;
        List<ContainerInstance> instances = state.containerInstances().registered(cluster.arn());
        for (int step = 0; step < 300; step++) {
            int dice = random.nextInt(100);
            if (dice < 70) {
                answerOne();
            } else if (dice < 76) {
                latest = latest == rev1 ? rev2 : rev1;
                deploy(service, latest);
            } else if (dice < 82) {
                scale(service, random.nextInt(7));
            } else if (dice < 88) {
                List<Task> running = live(service).stream().filter(t -> t.lastStatus() == TaskStatus.RUNNING).toList();
                if (!running.isEmpty()) {
                    Task victim = running.get(random.nextInt(running.size()));
                    report(() -> tasks.containerStopped(victim.arn(), "app", 137, null));
                }
            } else if (dice < 92) {
                ContainerInstance ci = instances.get(random.nextInt(instances.size()));
                state.containerInstances().setStatus(ci, ci.isActive() ? ContainerInstance.DRAINING : ContainerInstance.ACTIVE);
                pass();
            } else {
                clock.advance(SETTLE);
                pass();
            }
        }
        instances.forEach(ci -> state.containerInstances().setStatus(ci, ContainerInstance.ACTIVE));
        pass();
        runUntilQuiet(service);

        assertSteady(service, latest, service.desiredCount());
        assertThat(tasksOf(service)).filteredOn(t -> !t.isStopped()).hasSize(service.desiredCount());
    }

    // ---- the desired count ----

    @Test
    void aServiceCreatedWithNoTasksIsCompletedAtOnce() {
        Service service = replica(0, 100, 200, NO_BREAKER);

        assertSteady(service, rev1, 0);
        assertThat(runtime.outstanding()).isEmpty();
    }

    @Test
    void aKilledTaskIsReplaced() {
        Service service = steadyReplica(3, 100, 200, NO_BREAKER);
        Task victim = live(service).get(1);
        Instant killedAt = clock.instant();

        report(() -> tasks.containerStopped(victim.arn(), "app", 137, null));

        assertThat(victim.isStopped()).isTrue();
        assertThat(victim.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(runtime.outstanding()).as("the replacement's start").hasSize(1);
        runUntilQuiet(service);

        assertSteady(service, rev1, 3);
        assertThat(service.deployments()).hasSize(1);
        assertThat(live(service)).doesNotContain(victim);
        List<String> events = eventsSince(service, killedAt);
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).matches("\\(service web\\) has started 1 tasks: \\(task [0-9a-f]{32}\\)\\.");
        assertThat(events.get(1)).isEqualTo(STEADY);
        assertThat(service.primary().failedTasks()).isZero();
    }

    @Test
    void aSteadyServiceSaysSoAgainOnlyAfterTheSuppressionWindow() {
        Service service = steadyReplica(1, 100, 200, NO_BREAKER);
        Instant steadyAt = clock.instant();
        Duration window = SCALE.of(EventLog.EVENT_SUPPRESSION);

        clock.advance(window.minusSeconds(5));
        pass();
        assertThat(eventsSince(service, steadyAt)).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        pass();
        assertThat(eventsSince(service, steadyAt)).containsExactly(STEADY);
    }

    @Test
    void scalingInThroughTheDesiredCountMakesNoDeployment() {
        Service service = steadyReplica(5, 100, 200, NO_BREAKER);
        Deployment only = service.primary();
        Instant scaledAt = clock.instant();

        scale(service, 2);
        List<String> stopped = eventsSince(service, scaledAt);
        runUntilQuiet(service);

        assertThat(service.history()).containsExactly(only);
        assertSteady(service, rev1, 2);
        assertThat(stopped).first().asString().startsWith("(service web) has stopped 3 running tasks: (task ");
        assertThat(counted(eventsSince(service, scaledAt), STARTED)).isZero();
        assertThat(only.desiredCount(service.desiredCount())).isEqualTo(2);
    }

    @Test
    void scalingInLeavesProtectedTasksAndStopsOthers() {
        Service service = steadyReplica(4, 100, 200, NO_BREAKER);
        List<Task> before = live(service);
        // The first two in the scheduler's order are the ones it would pick among equals.
        List<Task> kept = before.subList(0, 2);
        kept.forEach(t -> state.tasks().protect(t, clock.instant().plus(Duration.ofHours(1))));

        scale(service, 2);
        runUntilQuiet(service);

        assertSteady(service, rev1, 2);
        assertThat(live(service)).containsExactlyInAnyOrderElementsOf(kept);
    }

    @Test
    void scalingOutStartsTheMissingTasksInTheSameDeployment() {
        Service service = steadyReplica(2, 100, 200, NO_BREAKER);
        Deployment only = service.primary();

        scale(service, 5);
        assertThat(runtime.outstanding()).hasSize(3);
        runUntilQuiet(service);

        assertThat(service.history()).containsExactly(only);
        assertSteady(service, rev1, 5);
    }

    @ParameterizedTest(name = "desired 4 → {0} in the middle of a rollout")
    @ValueSource(ints = {0, 2, 6})
    void aRolloutScaledInTheMiddleEndsOnTheNewCount(int scaledTo) {
        Service service = steadyReplica(4, 100, 200, NO_BREAKER);
        Deployment second = deploy(service, rev2);
        for (int i = 0; i < 6; i++) {
            answerOne();
        }

        scale(service, scaledTo);
        runUntilQuiet(service);

        assertSteady(service, rev2, scaledTo);
        assertThat(service.primary()).isSameAs(second);
    }

    @Test
    void aTaskThatFitsNowhereIsReportedWithTheClosestInstance() {
        // Each instance has 8192 MiB; the task asks 64 MiB: 3 × 128 tasks fill them, the 385th does not fit.
        Service service = replica(385, 100, 200, NO_BREAKER);

        List<String> events = eventsSince(service, T0);
        assertThat(events).hasSize(2);
        assertThat(counted(events, STARTED)).isEqualTo(384);
        // The failure is noted as it happens, before the event for the tasks that did start.
        assertThat(events.get(0)).matches("\\(service web\\) was unable to place a task because no container instance met all of its"
                + " requirements\\. The closest matching \\(container-instance [0-9a-f]{32}\\) has insufficient memory available\\."
                + " For more information, see the Troubleshooting section of the Amazon ECS Developer Guide\\.");
    }

    // ---- the circuit breaker ----

    @Test
    void theCircuitBreakerFailsTheDeploymentAtItsThresholdAndRollsBack() {
        DeploymentCircuitBreaker breaker = DeploymentCircuitBreaker.builder().enable(true).rollback(true).build();
        Service service = steadyReplica(8, 100, 200, breaker);
        Deployment good = service.primary();
        Instant rolledAt = clock.instant();
        checked = RolloutBounds.of(8, 100, 200);

        Deployment bad = deploy(service, crashing);
        runUntilQuiet(service);

        // desired 8: half is 4, above the minimum 3.
        assertThat(bad.failedTasks()).isEqualTo(4);
        assertThat(bad.rolloutState()).isEqualTo(DeploymentRolloutState.FAILED);
        assertThat(bad.rolloutStateReason()).isEqualTo("ECS deployment circuit breaker: tasks failed to start.");
        assertThat(bad.status()).isEqualTo(Deployment.INACTIVE);
        Deployment rollback = service.primary();
        assertThat(rollback).isNotIn(good, bad);
        assertThat(service.history()).containsExactly(good, bad, rollback);
        assertThat(rollback.rollbackOf()).isSameAs(bad);
        assertThat(bad.rollback().serviceRevisionArn()).as("the failed deployment says where it rolled back to")
                .isEqualTo(good.revision().arn());
        assertThat(rollback.revision().taskDefinition()).isEqualTo(rev1);
        assertSteady(service, rev1, 8);
        assertThat(bad.deploymentStatus()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL);
        assertThat(rollback.deploymentStatus()).isEqualTo(ServiceDeploymentStatus.SUCCESSFUL);

        List<String> events = eventsSince(service, rolledAt);
        String failed = "(service web) (deployment " + bad.id() + ") deployment failed: tasks failed to start.";
        String rollingBack = "(service web) rolling back to deployment " + good.id() + ".";
        assertThat(events).containsSubsequence(failed, rollingBack, completed(rollback), STEADY);
        assertThat(events.indexOf(rollingBack)).isEqualTo(events.indexOf(failed) + 1);
        assertThat(tasksOf(service)).filteredOn(t -> t.startedBy().equals(bad.id())).allMatch(Task::isStopped);
    }

    @Test
    void theRollbackDeploymentSaysWhereItRollsBackTo() {
        DeploymentCircuitBreaker breaker = DeploymentCircuitBreaker.builder().enable(true).rollback(true).build();
        Service service = steadyReplica(1, 100, 200, breaker);
        Deployment good = service.primary();

        Deployment bad = deploy(service, crashing);
        // desired 1: at least 3 failed tasks before the breaker trips; one at a time, as maxTasks is 2.
        while (bad.rolloutState() == DeploymentRolloutState.IN_PROGRESS && answerOne()) {
            // answer until it trips
        }
        assertThat(bad.failedTasks()).isEqualTo(3);
        Deployment rollback = service.primary();
        assertThat(rollback).isNotSameAs(bad);
        assertThat(rollback.rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS);
        assertThat(rollback.rolloutStateReason()).isEqualTo("ECS deployment circuit breaker: rolling back to deploymentId " + good.id() + ".");
        // The failed deployment's last task has stopped, so it has already left; the one it replaced still runs.
        assertThat(service.deployments()).containsExactly(rollback, good);
        assertThat(bad.status()).isEqualTo(Deployment.INACTIVE);

        runUntilQuiet(service);
        assertSteady(service, rev1, 1);
    }

    @Test
    void withoutRollbackAFailedDeploymentLaunchesNoMoreTasks() {
        DeploymentCircuitBreaker breaker = DeploymentCircuitBreaker.builder().enable(true).rollback(false).build();
        Service service = steadyReplica(4, 50, 200, breaker);
        Deployment good = service.primary();
        Instant rolledAt = clock.instant();
        checked = RolloutBounds.of(4, 50, 200);

        Deployment bad = deploy(service, crashing);
        runUntilQuiet(service);

        assertThat(bad.rolloutState()).isEqualTo(DeploymentRolloutState.FAILED);
        assertThat(bad.rolloutStateReason()).isEqualTo("ECS deployment circuit breaker: tasks failed to start.");
        assertThat(bad.failedTasks()).isEqualTo(3);
        assertThat(service.primary()).isSameAs(bad);
        assertThat(service.history()).containsExactly(good, bad);
        List<String> events = eventsSince(service, rolledAt);
        assertThat(events).contains("(service web) (deployment " + bad.id() + ") deployment failed: tasks failed to start.")
                .noneMatch(e -> e.startsWith("(service web) rolling back"));
        int started = counted(events, STARTED);

        // Time passes: nothing more is launched for the failed deployment.
        for (int i = 0; i < 5; i++) {
            clock.advance(SETTLE);
            pass();
        }
        assertThat(runtime.outstanding()).isEmpty();
        assertThat(counted(eventsSince(service, rolledAt), STARTED)).isEqualTo(started);
        assertThat(live(service)).as("the old tasks the rollout had not yet replaced keep running")
                .allMatch(t -> t.startedBy().equals(good.id())).isNotEmpty();
    }

    @Test
    void tasksThatNeverStartTripTheBreakerToo() {
        DeploymentCircuitBreaker breaker = DeploymentCircuitBreaker.builder().enable(true).rollback(true).build();
        Service service = steadyReplica(2, 100, 200, breaker);
        Deployment good = service.primary();
        Instant rolledAt = clock.instant();
        checked = RolloutBounds.of(2, 100, 200);

        Deployment bad = deploy(service, unstartable);
        runUntilQuiet(service);

        assertThat(bad.failedTasks()).isEqualTo(3);
        assertThat(bad.rolloutState()).isEqualTo(DeploymentRolloutState.FAILED);
        assertThat(eventsSince(service, rolledAt)).contains(THROTTLED,
                "(service web) (deployment " + bad.id() + ") deployment failed: tasks failed to start.",
                "(service web) rolling back to deployment " + good.id() + ".");
        assertSteady(service, rev1, 2);
    }

    // ---- throttling ----

    @Test
    void tasksThatNeverReachRunningThrottleLaunchesUntilANewRevision() {
        Service service = steadyReplica(1, 100, 200, NO_BREAKER);
        Instant rolledAt = clock.instant();
        deploy(service, unstartable);

        // Three launches in a row fail before RUNNING: the third pauses launches.
        for (int failures = 0; failures < LaunchOutcomes.THROTTLE_AFTER; failures++) {
            assertThat(runtime.outstanding()).as("launch " + (failures + 1)).hasSize(1);
            answerOne();
        }
        assertThat(eventsSince(service, rolledAt)).endsWith(THROTTLED);
        assertThat(runtime.outstanding()).as("no launch while throttled").isEmpty();
        pass();
        assertThat(runtime.outstanding()).isEmpty();

        // The back-off passes: the next launch goes out, fails, and the wait doubles.
        clock.advance(SCALE.of(LaunchOutcomes.THROTTLE_FIRST_DELAY));
        pass();
        assertThat(runtime.outstanding()).hasSize(1);
        answerOne();
        clock.advance(SCALE.of(LaunchOutcomes.THROTTLE_FIRST_DELAY));
        pass();
        assertThat(runtime.outstanding()).as("the second wait is twice the first").isEmpty();
        clock.advance(SCALE.of(LaunchOutcomes.THROTTLE_FIRST_DELAY));
        pass();
        assertThat(runtime.outstanding()).hasSize(1);
        answerOne();
        assertThat(live(service)).as("the old task keeps running meanwhile").hasSize(1);

        // A new task definition lifts the throttle at once.
        deploy(service, rev2);
        assertThat(runtime.outstanding()).hasSize(1);
        runUntilQuiet(service);
        assertSteady(service, rev2, 1);
    }

    @Test
    void tasksThatExitAfterReachingRunningDoNotThrottle() {
        Service service = steadyReplica(1, 100, 200, NO_BREAKER);
        Instant rolledAt = clock.instant();
        deploy(service, crashing);

        for (int launch = 0; launch < 5; launch++) {
            assertThat(runtime.outstanding()).as("launch " + (launch + 1)).hasSize(1);
            answerOne();
        }
        assertThat(eventsSince(service, rolledAt)).doesNotContain(THROTTLED);
    }

    // ---- DAEMON ----

    @Test
    void aDaemonServiceRunsOneTaskPerActiveInstance() {
        Service service = create(SchedulingStrategy.DAEMON, null, null, null, NO_BREAKER);
        runUntilQuiet(service);
        assertSteady(service, rev1, 3);
        assertThat(service.desiredCount()).isEqualTo(3);
        assertThat(live(service)).extracting(t -> t.containerInstance().arn()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(state.containerInstances().registered(cluster.arn()).stream()
                        .map(ContainerInstance::arn).toList());

        // A new instance gets one.
        ContainerInstance fourth = instance(3);
        pass();
        runUntilQuiet(service);
        assertSteady(service, rev1, 4);
        assertThat(live(service)).filteredOn(t -> t.containerInstance() == fourth).hasSize(1);

        // A DRAINING instance's task is stopped and not replaced elsewhere.
        ContainerInstance drained = state.containerInstances().registered(cluster.arn()).get(1);
        Task onDrained = live(service).stream().filter(t -> t.containerInstance() == drained).findFirst().orElseThrow();
        state.containerInstances().setStatus(drained, ContainerInstance.DRAINING);
        pass();
        runUntilQuiet(service);
        assertThat(onDrained.isStopped()).isTrue();
        assertThat(onDrained.stopCode()).isEqualTo(TaskStopCode.SERVICE_SCHEDULER_INITIATED);
        assertThat(service.desiredCount()).isEqualTo(3);
        assertSteady(service, rev1, 3);
        assertThat(live(service)).noneMatch(t -> t.containerInstance() == drained).extracting(t -> t.containerInstance().arn())
                .doesNotHaveDuplicates();
    }

    @Test
    void aDaemonServiceRollsOutWithinItsBounds() {
        Service service = create(SchedulingStrategy.DAEMON, null, null, null, NO_BREAKER);
        runUntilQuiet(service);
        checked = RolloutBounds.of(3, 0, 100);

        deploy(service, rev2);
        runUntilQuiet(service);

        assertSteady(service, rev2, 3);
        assertThat(live(service)).extracting(t -> t.containerInstance().arn()).doesNotHaveDuplicates();
    }

    @Test
    void aReplicaTaskOnADrainingInstanceIsReplacedElsewhereWithinTheBounds() {
        Service service = steadyReplica(3, 100, 200, NO_BREAKER);
        ContainerInstance drained = live(service).get(0).containerInstance();
        List<Task> onDrained = live(service).stream().filter(t -> t.containerInstance() == drained).toList();
        checked = RolloutBounds.of(3, 100, 200);

        state.containerInstances().setStatus(drained, ContainerInstance.DRAINING);
        pass();
        runUntilQuiet(service);

        assertThat(onDrained).allMatch(Task::isStopped);
        assertSteady(service, rev1, 3);
        assertThat(live(service)).noneMatch(t -> t.containerInstance() == drained);
        assertThat(service.history()).hasSize(1);
    }

    @Test
    void withEveryInstanceDrainingTheTaskWaitsForRoom() {
        Service service = steadyReplica(1, 0, 200, NO_BREAKER);
        Task task = live(service).get(0);
        Instant drainedAt = clock.instant();

        state.containerInstances().registered(cluster.arn()).forEach(ci -> state.containerInstances().setStatus(ci, ContainerInstance.DRAINING));
        pass();

        assertThat(eventsSince(service, drainedAt)).contains("(service web) was unable to place a task because no container instance met"
                + " all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the"
                + " Troubleshooting section of the Amazon ECS Developer Guide.");
        runUntilQuiet(service);
        assertThat(task.isStopped()).as("minimum 0%: the task on the draining instance goes even before a replacement runs").isTrue();

        // An instance comes back: the service gets its task again.
        state.containerInstances().setStatus(state.containerInstances().registered(cluster.arn()).get(2), ContainerInstance.ACTIVE);
        pass();
        runUntilQuiet(service);
        assertSteady(service, rev1, 1);
    }

    // ---- DeleteService ----

    @Test
    void aDeletedServiceDrainsToInactive() {
        Service service = steadyReplica(3, 100, 200, NO_BREAKER);

        state.services().delete(service);
        assertThat(service.status()).isEqualTo(Service.DRAINING);
        pass();
        assertThat(live(service)).isEmpty();
        assertThat(runtime.outstanding()).hasSize(3);
        answerAll();

        assertThat(service.status()).isEqualTo(Service.INACTIVE);
        assertThat(tasksOf(service)).allMatch(Task::isStopped);
        assertThat(state.services().scheduled()).doesNotContain(service);
    }

    @Test
    void aDeletedDaemonServiceDrainsToInactive() {
        Service service = create(SchedulingStrategy.DAEMON, null, null, null, NO_BREAKER);
        runUntilQuiet(service);

        state.services().delete(service);
        pass();
        answerAll();

        assertThat(service.status()).isEqualTo(Service.INACTIVE);
        assertThat(tasksOf(service)).hasSize(3).allMatch(Task::isStopped);
    }
}
