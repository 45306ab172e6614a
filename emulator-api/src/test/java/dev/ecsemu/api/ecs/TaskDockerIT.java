package dev.ecsemu.api.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.TaskHttp;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.runtime.docker.DockerRuntime;
import dev.ecsemu.core.testing.RequiresDocker;
import dev.ecsemu.core.testing.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerCondition;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/** Tasks as real containers on the Docker engine, driven through the real EcsClient. */
@RequiresDocker
class TaskDockerIT {
    /** The real waiters, polling every 100 ms instead of every 6 s. */
    private static final FixedDelayBackoffStrategy POLL = FixedDelayBackoffStrategy.create(Duration.ofMillis(100));
    private static TestEmulator emu;
    private static EcsClient ecs;
    private static String image;
    private static final List<String> started = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        image = TestImages.busybox();
        DockerRuntime docker = new DockerRuntime();
        emu = TestEmulator.with(docker);
        docker.firstCheck().get(20, TimeUnit.SECONDS);
        ecs = emu.ecs();
        emu.emulator().registerInstances("default", 2, "m5.large");
    }

    @AfterAll
    static void stop() throws Exception {
        if (emu != null) {
            emu.close();
        }
        // Nothing of ours is left behind once the emulator has closed.
        Process ps = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=ecs-emu.pid=" + ProcessHandle.current().pid())
                .redirectErrorStream(true).start();
        String left = new String(ps.getInputStream().readAllBytes()).trim();
        ps.waitFor(10, TimeUnit.SECONDS);
        assertThat(left).as("containers left behind").isEmpty();
    }

    private static ContainerDefinition.Builder container(String name, String script) {
        return ContainerDefinition.builder().name(name).image(image).memory(64).command("sh", "-c", script);
    }

    private static String register(String family, ContainerDefinition... containers) {
        return ecs.registerTaskDefinition(r -> r.family(family).networkMode("bridge").containerDefinitions(containers))
                .taskDefinition().taskDefinitionArn();
    }

    private static List<Task> run(String taskDefinition, int count) {
        List<Task> tasks = ecs.runTask(r -> r.taskDefinition(taskDefinition).count(count)).tasks();
        assertThat(tasks).hasSize(count);
        tasks.forEach(t -> started.add(t.taskArn()));
        return tasks;
    }

    private static Task describe(String arn) {
        return ecs.describeTasks(r -> r.tasks(arn)).tasks().get(0);
    }

    private static Task await(String arn, Predicate<Task> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Task t = describe(arn);
        while (!condition.test(t)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Task did not reach the expected state in " + timeout + ": " + t);
            }
            Thread.sleep(100);
            t = describe(arn);
        }
        return t;
    }

    private static Task running(String arn) {
        ecs.waiter().waitUntilTasksRunning(r -> r.tasks(arn), c -> c.waitTimeout(Duration.ofSeconds(60)).backoffStrategy(POLL));
        return describe(arn);
    }

    private static Task stopped(String arn) {
        ecs.waiter().waitUntilTasksStopped(r -> r.tasks(arn), c -> c.waitTimeout(Duration.ofSeconds(90)).backoffStrategy(POLL));
        return describe(arn);
    }

    private static String httpGet(NetworkBinding binding) throws Exception {
        return TaskHttp.get(binding.bindIP(), binding.hostPort());
    }

    private static final String HTTPD = "mkdir -p /www && echo \"$GREETING from $HOSTNAME\" > /www/index.html && exec httpd -f -p 8080 -h /www";

    @Test
    void aTaskReachesRunningAndItsDynamicHostPortServesHttp() throws Exception {
        String td = register("web", container("web", HTTPD)
                .environment(KeyValuePair.builder().name("GREETING").value("hello").build())
                .portMappings(p -> p.containerPort(8080).hostPort(0)).build());
        Task task = running(run(td, 1).get(0).taskArn());

        NetworkBinding binding = task.containers().get(0).networkBindings().get(0);
        assertThat(binding.containerPort()).isEqualTo(8080);
        assertThat(binding.hostPort()).isBetween(1024, 65535);
        assertThat(binding.bindIP()).as("the container instance's own address").startsWith("127.1.");
        assertThat(httpGet(binding)).startsWith("hello from ");
        assertThat(task.containers().get(0).runtimeId()).isNotBlank();
        assertThat(task.pullStartedAt()).isNotNull();
        assertThat(task.startedAt()).isAfterOrEqualTo(task.pullStoppedAt());
    }

    @Test
    void twoTasksWithHostPortZeroRunOnDifferentHostPorts() throws Exception {
        String td = register("twins", container("web", HTTPD)
                .environment(KeyValuePair.builder().name("GREETING").value("twin").build())
                .portMappings(p -> p.containerPort(8080).hostPort(0)).build());
        List<Task> tasks = run(td, 2);
        NetworkBinding a = running(tasks.get(0).taskArn()).containers().get(0).networkBindings().get(0);
        NetworkBinding b = running(tasks.get(1).taskArn()).containers().get(0).networkBindings().get(0);
        assertThat(a.bindIP() + ":" + a.hostPort()).isNotEqualTo(b.bindIP() + ":" + b.hostPort());
        assertThat(httpGet(a)).startsWith("twin from ");
        assertThat(httpGet(b)).startsWith("twin from ");
    }

    @Test
    void theSameFixedHostPortRunsOnceOnEachInstanceAndBothServe() throws Exception {
        String td = register("fixed-port", container("web", HTTPD)
                .environment(KeyValuePair.builder().name("GREETING").value("fixed").build())
                .portMappings(p -> p.containerPort(8080).hostPort(18080)).build());
        List<Task> tasks = run(td, 2);
        NetworkBinding a = running(tasks.get(0).taskArn()).containers().get(0).networkBindings().get(0);
        NetworkBinding b = running(tasks.get(1).taskArn()).containers().get(0).networkBindings().get(0);
        assertThat(tasks.get(0).containerInstanceArn()).isNotEqualTo(tasks.get(1).containerInstanceArn());
        assertThat(a.hostPort()).isEqualTo(18080);
        assertThat(b.hostPort()).isEqualTo(18080);
        assertThat(a.bindIP()).isNotEqualTo(b.bindIP());
        assertThat(httpGet(a)).startsWith("fixed from ");
        assertThat(httpGet(b)).startsWith("fixed from ");
        // A third has nowhere to go: both instances already use the port.
        assertThat(ecs.runTask(r -> r.taskDefinition(td)).failures()).singleElement()
                .satisfies(f -> assertThat(f.reason()).isEqualTo("RESOURCE:PORTS"));
        tasks.forEach(t -> ecs.stopTask(r -> r.task(t.taskArn())));
    }

    @Test
    void containersOfABridgeTaskReachEachOtherThroughLinks() throws Exception {
        String td = register("linked",
                container("db", "mkdir -p /www && echo from-db > /www/index.html && exec httpd -f -p 8080 -h /www").build(),
                container("app", "mkdir -p /www && for i in $(seq 1 50); do wget -q -O /www/index.html http://database:8080/ && break;"
                        + " sleep 0.1; done; exec httpd -f -p 8080 -h /www")
                        .links("db:database").portMappings(p -> p.containerPort(8080).hostPort(0)).build());
        Task task = running(run(td, 1).get(0).taskArn());
        NetworkBinding app = task.containers().stream().filter(c -> c.name().equals("app")).findFirst().orElseThrow()
                .networkBindings().get(0);
        assertThat(httpGet(app)).isEqualTo("from-db");
        ecs.stopTask(r -> r.task(task.taskArn()));
    }

    @Test
    void onOneInstanceAFixedHostPortFitsOnceAndHostPortZeroTwice() throws Exception {
        emu.emulator().registerInstances("single", 1, "m5.large");
        String fixed = register("seed-fixed", container("web", HTTPD)
                .environment(KeyValuePair.builder().name("GREETING").value("seed").build())
                .portMappings(p -> p.containerPort(8080).hostPort(18081)).build());
        String dynamic = register("seed-dynamic", container("web", HTTPD)
                .environment(KeyValuePair.builder().name("GREETING").value("seed").build())
                .portMappings(p -> p.containerPort(8080).hostPort(0)).build());

        var first = ecs.runTask(r -> r.cluster("single").taskDefinition(fixed));
        var second = ecs.runTask(r -> r.cluster("single").taskDefinition(fixed));
        assertThat(first.tasks()).hasSize(1);
        assertThat(second.tasks()).isEmpty();
        assertThat(second.failures()).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("RESOURCE:PORTS");
            assertThat(f.arn()).isEqualTo(first.tasks().get(0).containerInstanceArn());
        });
        String fixedArn = first.tasks().get(0).taskArn();
        ecs.waiter().waitUntilTasksRunning(r -> r.cluster("single").tasks(fixedArn),
                c -> c.waitTimeout(Duration.ofSeconds(60)).backoffStrategy(POLL));

        List<Task> both = ecs.runTask(r -> r.cluster("single").taskDefinition(dynamic).count(2)).tasks();
        assertThat(both).hasSize(2);
        List<String> arns = both.stream().map(Task::taskArn).toList();
        ecs.waiter().waitUntilTasksRunning(r -> r.cluster("single").tasks(arns),
                c -> c.waitTimeout(Duration.ofSeconds(60)).backoffStrategy(POLL));
        for (Task t : ecs.describeTasks(r -> r.cluster("single").tasks(arns)).tasks()) {
            assertThat(httpGet(t.containers().get(0).networkBindings().get(0))).startsWith("seed from ");
        }
        ecs.stopTask(r -> r.cluster("single").task(fixedArn));
        arns.forEach(arn -> ecs.stopTask(r -> r.cluster("single").task(arn)));
    }

    @Test
    void anEssentialContainerExitingWith3StopsTheTask() throws Exception {
        String td = register("exits", container("main", "sleep 1; exit 3").build(),
                container("side", "sleep 300").essential(false).stopTimeout(2).build());
        Task task = stopped(run(td, 1).get(0).taskArn());
        assertThat(task.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(task.stoppedReason()).isEqualTo("Essential container in task exited");
        Container main = task.containers().stream().filter(c -> c.name().equals("main")).findFirst().orElseThrow();
        assertThat(main.exitCode()).isEqualTo(3);
        assertThat(task.containers()).allMatch(c -> c.lastStatus().equals("STOPPED"));
        assertThat(task.executionStoppedAt()).isNotNull();
        assertThat(task.stoppedAt()).isAfterOrEqualTo(task.startedAt());
    }

    @Test
    void aNonEssentialContainerMayExitWhileTheTaskKeepsRunning() throws Exception {
        String td = register("sidecar", container("main", "sleep 300").build(),
                container("init", "exit 0").essential(false).build());
        String arn = run(td, 1).get(0).taskArn();
        // "init" may come and go before "main" has started: the task is RUNNING once main runs, and stays so.
        Task task = await(arn, t -> "RUNNING".equals(t.lastStatus())
                && t.containers().stream().anyMatch(c -> c.name().equals("init") && "STOPPED".equals(c.lastStatus())),
                Duration.ofSeconds(30));
        assertThat(task.lastStatus()).isEqualTo("RUNNING");
        assertThat(task.desiredStatus()).isEqualTo("RUNNING");
        ecs.stopTask(r -> r.task(arn));
    }

    @Test
    void stopTaskIsUserInitiatedAndHonoursStopTimeout() throws Exception {
        String td = register("stubborn", container("main", "trap '' TERM; while true; do sleep 1; done").stopTimeout(2).build());
        String arn = running(run(td, 1).get(0).taskArn()).taskArn();
        long before = System.nanoTime();
        Task answer = ecs.stopTask(r -> r.task(arn).reason("going home")).task();
        assertThat(answer.desiredStatus()).isEqualTo("STOPPED");
        assertThat(answer.lastStatus()).isEqualTo("RUNNING");
        Task task = stopped(arn);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        assertThat(task.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
        assertThat(task.stoppedReason()).isEqualTo("going home");
        assertThat(task.containers().get(0).exitCode()).isEqualTo(137);
        // SIGKILL came only after the container's 2 s stopTimeout.
        assertThat(millis).isGreaterThanOrEqualTo(2000);
    }

    @Test
    void aMissingImageFailsToStartWithCannotPullContainerError() throws Exception {
        String td = register("missing", ContainerDefinition.builder().name("main").image("localhost:1/ecs-emu/no-such-image:latest")
                .memory(64).build());
        Task task = stopped(run(td, 1).get(0).taskArn());
        assertThat(task.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
        assertThat(task.stoppedReason()).startsWith("CannotPullContainerError");
        assertThat(task.containers().get(0).reason()).startsWith("CannotPullContainerError");
    }

    @Test
    void dependsOnHealthyWaitsForTheHealthCheck() throws Exception {
        String td = register("ordered",
                container("db", "sleep 1; touch /ready; sleep 300")
                        .healthCheck(h -> h.command("CMD-SHELL", "test -f /ready").interval(5).timeout(2).retries(3)).build(),
                container("app", "sleep 300").dependsOn(d -> d.containerName("db").condition(ContainerCondition.HEALTHY)).build());
        String arn = run(td, 1).get(0).taskArn();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Task task = describe(arn);
        while (!"RUNNING".equals(task.lastStatus())) {
            Container db = task.containers().stream().filter(c -> c.name().equals("db")).findFirst().orElseThrow();
            Container app = task.containers().stream().filter(c -> c.name().equals("app")).findFirst().orElseThrow();
            if (db.healthStatus() != HealthStatus.HEALTHY) {
                assertThat(app.lastStatus()).as("app waits while db is %s", db.healthStatus()).isEqualTo("PENDING");
            }
            assertThat(System.nanoTime()).as("task RUNNING in time").isLessThan(deadline);
            Thread.sleep(200);
            task = describe(arn);
        }
        assertThat(task.containers()).allMatch(c -> c.lastStatus().equals("RUNNING"));
        Container db = task.containers().stream().filter(c -> c.name().equals("db")).findFirst().orElseThrow();
        assertThat(db.healthStatus()).isEqualTo(HealthStatus.HEALTHY);
        // Task health comes from the essential containers; app has no health check, so it is UNKNOWN.
        assertThat(task.healthStatus()).isEqualTo(HealthStatus.UNKNOWN);
        ecs.stopTask(r -> r.task(arn));
    }

    @Test
    void overridesChangeTheCommandAndEnvironmentSeenInside() throws Exception {
        String td = register("overridden", container("web", "echo not-overridden; sleep 300")
                .portMappings(p -> p.containerPort(8080).hostPort(0)).build());
        String arn = ecs.runTask(r -> r.taskDefinition(td).overrides(o -> o.containerOverrides(c -> c.name("web")
                .command("sh", "-c", HTTPD)
                .environment(KeyValuePair.builder().name("GREETING").value("bonjour").build())))).tasks().get(0).taskArn();
        started.add(arn);
        Task task = running(arn);
        assertThat(httpGet(task.containers().get(0).networkBindings().get(0))).startsWith("bonjour from ");
        ecs.stopTask(r -> r.task(arn));
    }

    @Test
    void dockerKillFromOutsideStopsTheTaskWithTheExitCode() throws Exception {
        String td = register("killed", container("main", "sleep 300").build());
        Task task = running(run(td, 1).get(0).taskArn());
        String containerId = task.containers().get(0).runtimeId();
        long before = System.nanoTime();
        Process kill = new ProcessBuilder("docker", "kill", containerId).redirectErrorStream(true).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Task after = await(task.taskArn(), t -> "STOPPED".equals(t.lastStatus()), Duration.ofSeconds(20));
        System.out.println("docker kill -> STOPPED in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before) + " ms");
        assertThat(after.containers().get(0).exitCode()).isEqualTo(137);
        assertThat(after.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
    }
}
