package dev.ecsemu.api.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.testing.TaskHttp;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.runtime.AwsvpcPorts;
import dev.ecsemu.core.runtime.docker.DockerRuntime;
import dev.ecsemu.core.testing.RequiresDocker;
import dev.ecsemu.core.testing.TestImages;
import java.time.Duration;
import java.util.HashSet;
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
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * awsvpc tasks as real containers: each task's containers share one network namespace (held by a holder
 * container), the task has its own IP on the emulator's network, which the host reaches; Fargate tasks get
 * their size as limits; a Fargate service rolls out; nothing is left behind.
 */
@RequiresDocker
class AwsvpcDockerIT {
    private static final FixedDelayBackoffStrategy POLL = FixedDelayBackoffStrategy.create(Duration.ofMillis(100));
    private static final NetworkConfiguration NETWORK = NetworkConfiguration.builder()
            .awsvpcConfiguration(v -> v.subnets("subnet-0123456789abcdef0")).build();
    /** Serves "$GREETING" on port $PORT, and stops at once on SIGTERM. */
    private static final String HTTPD = "mkdir -p /www && echo \"$GREETING\" > /www/index.html && trap 'exit 0' TERM;"
            + " httpd -f -p $PORT -h /www & wait";
    private static TestEmulator emu;
    private static EcsClient ecs;
    private static String image;

    @BeforeAll
    static void start() throws Exception {
        image = TestImages.busybox();
        DockerRuntime docker = new DockerRuntime();
        emu = TestEmulator.with(docker, EmulatorSettings.defaults().withTimeScale(new TimeScale(0.05)));
        docker.firstCheck().get(20, TimeUnit.SECONDS);
        ecs = emu.ecs();
        ecs.createCluster(b -> b.clusterName("default"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (emu != null) {
            emu.close();
        }
        // Nothing of this emulator is left behind once it has closed: no task container, no holder, no network.
        String pid = "label=ecs-emu.pid=" + ProcessHandle.current().pid();
        assertThat(docker("ps", "-aq", "--filter", pid)).as("containers left behind").isEmpty();
        assertThat(docker("network", "ls", "-q", "--filter", pid)).as("networks left behind").isEmpty();
    }

    static String docker(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    static ContainerDefinition.Builder httpd(String name, String greeting, int port) {
        return ContainerDefinition.builder().name(name).image(image).command("sh", "-c", HTTPD).stopTimeout(2)
                .environment(KeyValuePair.builder().name("GREETING").value(greeting).build(),
                        KeyValuePair.builder().name("PORT").value(String.valueOf(port)).build())
                .portMappings(p -> p.containerPort(port));
    }

    static String fargate(String family, ContainerDefinition... containers) {
        return ecs.registerTaskDefinition(b -> b.family(family).requiresCompatibilities(Compatibility.FARGATE)
                .networkMode(NetworkMode.AWSVPC).cpu("256").memory("512").containerDefinitions(containers))
                .taskDefinition().taskDefinitionArn();
    }

    static Task runFargate(String taskDefinition) {
        return ecs.runTask(b -> b.taskDefinition(taskDefinition).launchType(LaunchType.FARGATE).networkConfiguration(NETWORK))
                .tasks().get(0);
    }

    static Task running(String arn) {
        ecs.waiter().waitUntilTasksRunning(r -> r.tasks(arn), c -> c.waitTimeout(Duration.ofSeconds(60)).backoffStrategy(POLL));
        return ecs.describeTasks(r -> r.tasks(arn)).tasks().get(0);
    }

    static Task stopped(String arn) {
        ecs.waiter().waitUntilTasksStopped(r -> r.tasks(arn), c -> c.waitTimeout(Duration.ofSeconds(60)).backoffStrategy(POLL));
        return ecs.describeTasks(r -> r.tasks(arn)).tasks().get(0);
    }

    static Map<String, String> details(Task t) {
        Attachment eni = t.attachments().get(0);
        return eni.details().stream().collect(Collectors.toMap(KeyValuePair::name, KeyValuePair::value));
    }

    static Container container(Task t, String name) {
        return t.containers().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void containersOfAFargateTaskReachEachOtherOnLocalhostAndTheHostReachesTheTaskAtItsIp() throws Exception {
        // "relay" fetches what "web" serves on localhost:8080 and serves it itself on 8081.
        String td = fargate("pair", httpd("web", "from-web", 8080).build(),
                ContainerDefinition.builder().name("relay").image(image).stopTimeout(2).portMappings(p -> p.containerPort(8081))
                        .command("sh", "-c", "mkdir -p /www && for i in $(seq 1 100); do wget -q -O /www/index.html"
                                + " http://localhost:8080/ && break; sleep 0.1; done; trap 'exit 0' TERM; httpd -f -p 8081 -h /www & wait")
                        .build());
        Task task = running(runFargate(td).taskArn());

        Attachment eni = task.attachments().get(0);
        assertThat(eni.status()).isEqualTo("ATTACHED");
        Map<String, String> d = details(task);
        String ip = d.get("privateIPv4Address");
        assertThat(d.get("privateDnsName")).isEqualTo("ip-" + ip.replace('.', '-') + ".ec2.internal");
        assertThat(d.get("subnetId")).isEqualTo("subnet-0123456789abcdef0");
        assertThat(d.get("networkInterfaceId")).matches("eni-[0-9a-f]{17}");
        for (Container c : task.containers()) {
            assertThat(c.networkBindings()).as("awsvpc: the IP is in networkInterfaces").isEmpty();
            assertThat(c.networkInterfaces()).singleElement().satisfies(n -> {
                assertThat(n.attachmentId()).isEqualTo(eni.id());
                assertThat(n.privateIpv4Address()).isEqualTo(ip);
            });
        }
        // The holder is real: Docker gave it the MAC address the attachment shows, on this emulator's network.
        String holder = docker("ps", "-q", "--filter", "label=ecs-emu.task-arn=" + task.taskArn(), "--filter", "label=ecs-emu.holder=true");
        assertThat(holder).isNotEmpty();
        assertThat(docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.MacAddress}} {{.IPAddress}}{{end}}", holder))
                .isEqualTo(d.get("macAddress") + " " + ip);
        String webId = container(task, "web").runtimeId();
        assertThat(docker("inspect", "-f", "{{.HostConfig.NetworkMode}}", webId)).startsWith("container:");
        // Fargate's task size is the container's limit: 256 CPU units are a quarter of a CPU, 512 MiB of memory.
        assertThat(docker("inspect", "-f", "{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}}", webId))
                .isEqualTo("250000000 " + 512L * 1024 * 1024);

        assertThat(TaskHttp.get(ip, 8080)).isEqualTo("from-web");
        assertThat(TaskHttp.get(ip, 8081)).as("relay fetched it from web on localhost").isEqualTo("from-web");

        ecs.stopTask(b -> b.task(task.taskArn()));
        Task done = stopped(task.taskArn());
        assertThat(done.attachments().get(0).status()).isEqualTo("DELETED");
        // The network interface goes as the task stops (the holder with its address); the stopped containers
        // stay for `docker logs` until the removal delay has passed.
        for (int i = 0; i < 100 && !docker("ps", "-aq", "--filter", "id=" + holder).isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertThat(docker("ps", "-aq", "--filter", "id=" + holder)).as("the stopped task's holder").isEmpty();
        assertThat(docker("inspect", "-f", "{{.State.Status}}", webId)).isEqualTo("exited");
    }

    @Test
    void aTaskWhoseHolderIsKilledStopsAsWhenAnEssentialContainerExits() throws Exception {
        Task t = running(runFargate(fargate("holderless", httpd("web", "soon-gone", 8080).build())).taskArn());
        String holder = docker("ps", "-q", "--filter", "label=ecs-emu.task-arn=" + t.taskArn(),
                "--filter", "label=ecs-emu.container-name=~internalecspause");
        assertThat(holder).as("the task's holder").isNotEmpty();
        docker("kill", holder);

        // The ECS agent's pause container is an essential container of the task.
        Task gone = stopped(t.taskArn());
        assertThat(gone.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(gone.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(container(gone, "web").exitCode()).isZero(); // SIGTERM, which its trap answers
        assertThat(gone.attachments().get(0).status()).isEqualTo("DELETED");
    }

    @Test
    void tasksReachEachOtherByIp() throws Exception {
        Task server = running(runFargate(fargate("server", httpd("web", "hello-neighbour", 8080).build())).taskArn());
        String ip = details(server).get("privateIPv4Address");
        // An EC2-less client task whose one container exits 0 once it has read the server's page.
        String td = fargate("client", ContainerDefinition.builder().name("get").image(image).command("sh", "-c",
                "for i in $(seq 1 100); do wget -q -O- http://" + ip + ":8080/ | grep -q hello-neighbour && exit 0; sleep 0.1; done; exit 1")
                .build());
        Task client = stopped(runFargate(td).taskArn());
        assertThat(client.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(client.containers().get(0).exitCode()).isZero();
        assertThat(details(client).get("privateIPv4Address")).isNotEqualTo(ip);
        ecs.stopTask(b -> b.task(server.taskArn()));
    }

    @Test
    void aFargateServiceOfThreeTasksRollsToANewRevision() throws Exception {
        String first = fargate("svc", httpd("web", "v1", 8080).build());
        ecs.createService(b -> b.serviceName("web").taskDefinition(first).desiredCount(3).launchType(LaunchType.FARGATE)
                .networkConfiguration(NETWORK));
        stable("web");
        Set<String> v1 = new HashSet<>(ecs.listTasks(b -> b.serviceName("web")).taskArns());
        assertThat(v1).hasSize(3);
        for (Task t : ecs.describeTasks(b -> b.tasks(v1)).tasks()) {
            assertThat(TaskHttp.get(details(t).get("privateIPv4Address"), 8080)).isEqualTo("v1");
        }

        String second = fargate("svc", httpd("web", "v2", 8080).build());
        ecs.updateService(b -> b.service("web").taskDefinition(second));
        stable("web");

        Service service = ecs.describeServices(b -> b.services("web")).services().get(0);
        assertThat(service.deployments()).singleElement().satisfies(d -> assertThat(d.taskDefinition()).isEqualTo(second));
        assertThat(service.platformVersion()).isEqualTo("LATEST");
        List<String> v2 = ecs.listTasks(b -> b.serviceName("web")).taskArns();
        assertThat(v2).hasSize(3).doesNotContainAnyElementsOf(v1);
        Set<String> ips = new HashSet<>();
        for (Task t : ecs.describeTasks(b -> b.tasks(v2)).tasks()) {
            assertThat(t.taskDefinitionArn()).isEqualTo(second);
            assertThat(t.launchType()).isEqualTo(LaunchType.FARGATE);
            assertThat(t.platformVersion()).isEqualTo("1.4.0");
            String ip = details(t).get("privateIPv4Address");
            ips.add(ip);
            assertThat(TaskHttp.get(ip, 8080)).isEqualTo("v2");
        }
        assertThat(ips).hasSize(3);
        for (String old : v1) {
            Task t = stopped(old);
            assertThat(t.attachments().get(0).status()).isEqualTo("DELETED");
        }
        ecs.updateService(b -> b.service("web").desiredCount(0));
        ecs.deleteService(b -> b.service("web"));
    }

    private static void stable(String service) {
        ecs.waiter().waitUntilServicesStable(r -> r.services(service), c -> c.waitTimeout(Duration.ofSeconds(120)).backoffStrategy(POLL));
    }

    /** With --awsvpc-ports loopback (Docker Desktop), the ports are also on 127.0.0.1 and shown in networkBindings. */
    @Test
    void loopbackPublishingShowsEachPortAsANetworkBinding() throws Exception {
        DockerRuntime docker = new DockerRuntime();
        try (TestEmulator loopback = TestEmulator.with(docker, EmulatorSettings.defaults().withAwsvpcPorts(AwsvpcPorts.LOOPBACK))) {
            docker.firstCheck().get(20, TimeUnit.SECONDS);
            EcsClient other = loopback.ecs();
            other.createCluster(b -> b.clusterName("default"));
            String td = other.registerTaskDefinition(b -> b.family("lo").requiresCompatibilities(Compatibility.FARGATE)
                    .networkMode(NetworkMode.AWSVPC).cpu("256").memory("512").containerDefinitions(httpd("web", "on-loopback", 8080).build()))
                    .taskDefinition().taskDefinitionArn();
            String arn = other.runTask(b -> b.taskDefinition(td).launchType(LaunchType.FARGATE).networkConfiguration(NETWORK))
                    .tasks().get(0).taskArn();
            other.waiter().waitUntilTasksRunning(r -> r.tasks(arn), c -> c.waitTimeout(Duration.ofSeconds(60)).backoffStrategy(POLL));
            Task task = other.describeTasks(r -> r.tasks(arn)).tasks().get(0);
            NetworkBinding binding = task.containers().get(0).networkBindings().get(0);
            assertThat(binding.bindIP()).isEqualTo("127.0.0.1");
            assertThat(binding.containerPort()).isEqualTo(8080);
            assertThat(TaskHttp.get("127.0.0.1", binding.hostPort())).isEqualTo("on-loopback");
            assertThat(TaskHttp.get(details(task).get("privateIPv4Address"), 8080)).isEqualTo("on-loopback");
        }
    }
}
