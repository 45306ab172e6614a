package dev.ecsemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.core.testing.RequiresDocker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.Task;

/** {@code ecs-emu start} as a process: the listening line, options, engine reporting, clean shutdown. */
class StartCommandProcessIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void printsWhereItListensServesTheApiAndStopsCleanlyOnSigterm() throws Exception {
        try (EmulatorProcess emu = EmulatorProcess.launch(Map.of(), "start", "--port", "0", "--engine", "none")) {
            URI endpoint = emu.awaitListening(30);
            long readyMillis = emu.millisSinceLaunch();
            System.out.println("listening line after " + readyMillis + " ms");
            assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");

            try (EcsClient ecs = client(endpoint)) {
                ecs.createCluster(r -> r.clusterName("from-process"));
                assertThat(ecs.listClusters().clusterArns()).containsExactly("arn:aws:ecs:us-east-1:000000000000:cluster/from-process");
            }
            String health = get(endpoint.resolve("/_ecs-emu/health"));
            assertThat(health).contains("\"name\":\"none\"").contains("\"available\":true");

            String line = emu.stdout();
            Matcher data = Pattern.compile("data in (\\S+)\\)").matcher(line);
            assertThat(data.find()).as("start-up line names the data directory: %s", line).isTrue();
            Path dataDir = Path.of(data.group(1));
            assertThat(dataDir).isDirectory();

            assertThat(emu.terminate(15)).isZero();
            assertThat(emu.stdout()).contains("ecs-emu stopping");
            assertThat(Files.exists(dataDir)).as("temporary data directory removed").isFalse();
        }
    }

    @Test
    void takesItsOptionsFromTheEnvironment() throws Exception {
        Map<String, String> env = Map.of("ECS_EMU_PORT", "0", "ECS_EMU_ENGINE", "none", "ECS_EMU_ACCOUNT", "123456789012",
                "ECS_EMU_REGION", "eu-west-1");
        try (EmulatorProcess emu = EmulatorProcess.launch(env, "start")) {
            URI endpoint = emu.awaitListening(30);
            String health = get(endpoint.resolve("/_ecs-emu/health"));
            assertThat(health).contains("\"defaultAccount\":\"123456789012\"").contains("\"defaultRegion\":\"eu-west-1\"");
            emu.terminate(15);
        }
    }

    @Test
    void refusesABadAccountWithAMessageAndExitCode2() throws Exception {
        try (EmulatorProcess emu = EmulatorProcess.launch(Map.of(), "start", "--port", "0", "--account", "abc")) {
            assertThat(emu.waitForExit(30)).isEqualTo(2);
            assertThat(emu.stderr()).contains("--account must be 12 digits");
        }
    }

    @Test
    void registersInstancesOverZonesAndInstanceGroupsIntoTheirClusters() throws Exception {
        try (EmulatorProcess emu = EmulatorProcess.launch(Map.of(), "start", "--port", "0", "--engine", "none", "--instances", "3",
                "--instance-group", "cluster=prod,count=2,type=c5.large,zones=us-east-1d+us-east-1e")) {
            URI endpoint = emu.awaitListening(30);
            assertThat(emu.stdout()).contains("; 5 container instances registered");
            try (EcsClient ecs = client(endpoint)) {
                assertThat(ecs.listClusters().clusterArns()).containsExactlyInAnyOrder(
                        "arn:aws:ecs:us-east-1:000000000000:cluster/default", "arn:aws:ecs:us-east-1:000000000000:cluster/prod");

                List<ContainerInstance> defaults = describeAll(ecs, "default");
                assertThat(defaults).hasSize(3).allSatisfy(ci -> {
                    assertThat(ci.status()).isEqualTo("ACTIVE");
                    assertThat(attribute(ci, "ecs.instance-type")).isEqualTo("m5.large");
                    assertThat(ci.registeredResources().get(0).name()).isEqualTo("CPU");
                    assertThat(ci.registeredResources().get(0).integerValue()).isEqualTo(2048);
                });
                assertThat(defaults).extracting(ci -> attribute(ci, "ecs.availability-zone"))
                        .containsExactlyInAnyOrder("us-east-1a", "us-east-1b", "us-east-1c");

                List<ContainerInstance> prod = describeAll(ecs, "prod");
                assertThat(prod).hasSize(2).allSatisfy(ci -> {
                    assertThat(attribute(ci, "ecs.instance-type")).isEqualTo("c5.large");
                    assertThat(attribute(ci, "ecs.cpu-architecture")).isEqualTo("x86_64");
                    assertThat(ci.registeredResources().get(0).name()).isEqualTo("CPU");
                    assertThat(ci.registeredResources().get(0).integerValue()).isEqualTo(2048);
                    assertThat(ci.registeredResources().get(1).name()).isEqualTo("MEMORY");
                    assertThat(ci.registeredResources().get(1).integerValue()).as("4 GiB less 5 %").isEqualTo(4096 - 204);
                });
                assertThat(prod).extracting(ci -> attribute(ci, "ecs.availability-zone"))
                        .containsExactlyInAnyOrder("us-east-1d", "us-east-1e");
            }
            assertThat(emu.terminate(15)).isZero();
        }
    }

    @Test
    void takesAwsvpcPortsFromTheEnvironmentAndRefusesAnUnknownMode() throws Exception {
        try (EmulatorProcess emu = EmulatorProcess.launch(Map.of("ECS_EMU_AWSVPC_PORTS", "loopback"), "start", "--port", "0",
                "--engine", "none")) {
            emu.awaitListening(30);
            emu.terminate(15);
        }
        try (EmulatorProcess emu = EmulatorProcess.launch(Map.of(), "start", "--port", "0", "--engine", "none",
                "--awsvpc-ports", "host")) {
            assertThat(emu.waitForExit(30)).isEqualTo(2);
            assertThat(emu.stderr()).contains("--awsvpc-ports").contains("expected task-ip or loopback, got 'host'");
        }
    }

    @Test
    void refusesAMalformedInstanceGroupWithAMessageAndExitCode2() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("cluster=prod,count=many", "count must be a number in 'cluster=prod,count=many'");
        cases.put("cluster=prod", "'cluster=prod' needs cluster=NAME and count=N (N >= 1)");
        cases.put("cluster=prod,count=2,size=big", "unknown key 'size' in 'cluster=prod,count=2,size=big'");
        cases.put("cluster=prod,count=1,type=x9.huge", "Unknown instance type 'x9.huge'");
        cases.put("cluster=prod,count=2,zones=us-east-1a++us-east-1b",
                "zones must be ZONE+ZONE... without empty names in 'cluster=prod,count=2,zones=us-east-1a++us-east-1b'");
        cases.put("cluster=prod,count=2,zones=us-east-1a+", "zones must be ZONE+ZONE... without empty names");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            try (EmulatorProcess emu = EmulatorProcess.launch(Map.of(), "start", "--port", "0", "--engine", "none",
                    "--instance-group", c.getKey())) {
                assertThat(emu.waitForExit(30)).as(c.getKey()).isEqualTo(2);
                assertThat(emu.stderr()).as(c.getKey()).contains("--instance-group").contains(c.getValue());
                assertThat(emu.stdout()).as("never listening: %s", c.getKey()).doesNotContain("listening on");
            }
        }
    }

    @Test
    void refusesAContainerLabelThatIsNotKeyValueOrIsTheEmulatorsOwn() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("team=a,novalue", "'novalue' is not key=value in 'team=a,novalue'");
        cases.put("ecs-emu.pid=1", "label ecs-emu.pid is the emulator's own");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            try (EmulatorProcess emu = EmulatorProcess.launch(Map.of(), "start", "--port", "0", "--engine", "none",
                    "--container-labels", c.getKey())) {
                assertThat(emu.waitForExit(30)).as(c.getKey()).isEqualTo(2);
                assertThat(emu.stderr()).as(c.getKey()).contains("--container-labels").contains(c.getValue());
            }
        }
    }

    @Test
    void sharedInstanceAddressesFromTheEnvironmentBindEverythingOnAllInterfaces() throws Exception {
        Map<String, String> env = Map.of("ECS_EMU_INSTANCE_ADDRESSES", "shared", "ECS_EMU_ENGINE", "none", "ECS_EMU_PORT", "0",
                "ECS_EMU_INSTANCES", "2");
        try (EmulatorProcess emu = EmulatorProcess.launch(env, "start")) {
            URI endpoint = emu.awaitListening(30);
            try (EcsClient ecs = client(endpoint)) {
                ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("app").image("nginx").memory(64)
                        .portMappings(p -> p.containerPort(80).hostPort(8080), p -> p.containerPort(443))));
                List<String> arns = new ArrayList<>();
                ecs.runTask(r -> r.taskDefinition("web").count(2)).tasks().forEach(t -> arns.add(t.taskArn()));
                assertThat(arns).hasSize(2);

                List<Task> running = awaitRunning(ecs, arns);
                assertThat(running).extracting(Task::containerInstanceArn).doesNotHaveDuplicates();
                List<NetworkBinding> bindings = new ArrayList<>();
                running.forEach(t -> bindings.addAll(t.containers().get(0).networkBindings()));
                assertThat(bindings).hasSize(4).allSatisfy(nb -> assertThat(nb.bindIP()).isEqualTo("0.0.0.0"));
                assertThat(bindings).filteredOn(nb -> nb.containerPort() == 80).extracting(NetworkBinding::hostPort)
                        .containsExactly(8080, 8080);
            }
            assertThat(emu.terminate(15)).isZero();
        }
    }

    @Test
    void byDefaultEachInstanceBindsOnAnAddressOfItsOwn() throws Exception {
        try (EmulatorProcess emu = EmulatorProcess.launch(Map.of(), "start", "--port", "0", "--engine", "none", "--instances", "2")) {
            URI endpoint = emu.awaitListening(30);
            try (EcsClient ecs = client(endpoint)) {
                ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("app").image("nginx").memory(64)
                        .portMappings(p -> p.containerPort(80).hostPort(8080))));
                List<String> arns = new ArrayList<>();
                ecs.runTask(r -> r.taskDefinition("web").count(2)).tasks().forEach(t -> arns.add(t.taskArn()));
                List<String> addresses = new ArrayList<>();
                awaitRunning(ecs, arns).forEach(t -> addresses.add(t.containers().get(0).networkBindings().get(0).bindIP()));
                assertThat(addresses).hasSize(2).doesNotHaveDuplicates().allMatch(a -> a.matches("127\\.1\\.\\d+\\.\\d+"));
            }
            assertThat(emu.terminate(15)).isZero();
        }
    }

    private static List<ContainerInstance> describeAll(EcsClient ecs, String cluster) {
        List<String> arns = ecs.listContainerInstances(r -> r.cluster(cluster)).containerInstanceArns();
        var r = ecs.describeContainerInstances(d -> d.cluster(cluster).containerInstances(arns));
        assertThat(r.failures()).isEmpty();
        return r.containerInstances();
    }

    private static String attribute(ContainerInstance ci, String name) {
        return ci.attributes().stream().filter(a -> a.name().equals(name)).map(Attribute::value).findFirst().orElse(null);
    }

    /** Polls DescribeTasks until every task is RUNNING (engine none gets there at once). */
    private static List<Task> awaitRunning(EcsClient ecs, List<String> taskArns) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        List<Task> tasks;
        do {
            tasks = ecs.describeTasks(r -> r.tasks(taskArns)).tasks();
            if (tasks.size() == taskArns.size() && tasks.stream().allMatch(t -> "RUNNING".equals(t.lastStatus()))) {
                return tasks;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("tasks not RUNNING within 15 s: " + tasks);
    }

    @Test
    void servesTheApiAndSaysWhatToDoWhenNoDockerEngineAnswers() throws Exception {
        Map<String, String> env = Map.of("DOCKER_HOST", "unix:///tmp/ecs-emu-no-such-docker.sock");
        try (EmulatorProcess emu = EmulatorProcess.launch(env, "start", "--port", "0", "--instances", "1")) {
            URI endpoint = emu.awaitListening(30);
            // The start-up line says so when the first engine check is quick; otherwise the log does at once after it.
            String said = emu.awaitOutput(Pattern.compile("NOT AVAILABLE.*Start Docker"), 15);
            assertThat(said).contains("ecs-emu-no-such-docker.sock");
            String health = get(endpoint.resolve("/_ecs-emu/health"));
            assertThat(health).contains("\"available\":false").contains("ecs-emu-no-such-docker.sock");
            try (EcsClient ecs = client(endpoint)) {
                ecs.createCluster(r -> r.clusterName("still-serving"));
                assertThat(ecs.listClusters().clusterArns()).hasSize(2);
                // A task cannot run, and its stoppedReason says what to do about it.
                ecs.registerTaskDefinition(r -> r.family("t").containerDefinitions(c -> c.name("c").image("busybox").memory(16)));
                String arn = ecs.runTask(r -> r.taskDefinition("t")).tasks().get(0).taskArn();
                ecs.waiter().waitUntilTasksStopped(r -> r.tasks(arn), c -> c.waitTimeout(java.time.Duration.ofSeconds(60))
                        .backoffStrategy(software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy.create(
                                java.time.Duration.ofMillis(200))));
                var task = ecs.describeTasks(r -> r.tasks(arn)).tasks().get(0);
                assertThat(task.stopCode().toString()).isEqualTo("TaskFailedToStart");
                assertThat(task.stoppedReason()).startsWith("CannotPullContainerError: no Docker engine answers")
                        .contains("Start Docker");
            }
            assertThat(emu.terminate(15)).isZero();
        }
    }

    @Test
    @RequiresDocker
    void reportsTheDockerEngineWhenOneAnswers() throws Exception {
        try (EmulatorProcess emu = EmulatorProcess.launch(Map.of(), "start", "--port", "0")) {
            URI endpoint = emu.awaitListening(30);
            emu.awaitOutput(Pattern.compile("[Ee]ngine docker: Docker \\S+ \\(API"), 15);
            String health = get(endpoint.resolve("/_ecs-emu/health"));
            assertThat(health).contains("\"name\":\"docker\"").contains("\"available\":true");
            emu.terminate(15);
        }
    }

    @Test
    @RequiresDocker
    void connectsWhenTheDockerEngineAppearsLater() throws Exception {
        Path dir = Files.createTempDirectory("ecs-emu-late-docker");
        Path socket = dir.resolve("docker.sock");
        try (EmulatorProcess emu = EmulatorProcess.launch(Map.of("DOCKER_HOST", "unix://" + socket), "start", "--port", "0")) {
            URI endpoint = emu.awaitListening(30);
            emu.awaitOutput(Pattern.compile("NOT AVAILABLE"), 15);
            assertThat(get(endpoint.resolve("/_ecs-emu/health"))).contains("\"available\":false");

            // The engine "appears" at the address the emulator was given.
            Files.createSymbolicLink(socket, Path.of(dockerSocket()));
            emu.awaitOutput(Pattern.compile("Docker engine is available again|[Ee]ngine docker: Docker"), 15);
            assertThat(get(endpoint.resolve("/_ecs-emu/health"))).contains("\"available\":true");
            assertThat(emu.terminate(15)).isZero();
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static String dockerSocket() {
        String host = System.getenv("DOCKER_HOST");
        return host != null && host.startsWith("unix://") ? host.substring("unix://".length()) : "/var/run/docker.sock";
    }

    private String get(URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static EcsClient client(URI endpoint) {
        return EcsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }
}
