package dev.ecsemu.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ecsemu.api.Emulator;
import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.containerinstance.InstanceAddresses;
import dev.ecsemu.api.server.ServerOptions;
import dev.ecsemu.core.runtime.AwsvpcPorts;
import dev.ecsemu.core.runtime.ContainerRuntime;
import dev.ecsemu.core.runtime.EngineStatus;
import dev.ecsemu.core.runtime.NoContainerRuntime;
import dev.ecsemu.core.runtime.docker.DockerRuntime;
import dev.ecsemu.core.runtime.docker.OwnContainer;
import dev.ecsemu.core.state.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import sun.misc.Signal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ecs-emu start}: runs the emulator until Ctrl-C or SIGTERM. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start the emulator in the foreground. Every option can also be set by the environment variable named in it.")
final class StartCommand implements Callable<Integer> {

    enum Engine { docker, none }

    /** How long start-up waits for the first engine check before printing its line without it. */
    private static final long ENGINE_CHECK_WAIT_MILLIS = 400;

    @Option(names = "--host", defaultValue = "${env:ECS_EMU_HOST:-127.0.0.1}",
            description = "Address to listen on (ECS_EMU_HOST). Default: ${DEFAULT-VALUE}, this machine only.")
    String host;

    @Option(names = "--port", defaultValue = "${env:ECS_EMU_PORT:-" + ServerOptions.DEFAULT_PORT + "}",
            description = "Port for every API (ECS_EMU_PORT); 0 picks a free port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--account", defaultValue = "${env:ECS_EMU_ACCOUNT:-000000000000}",
            description = "Account for requests whose access key id is not a 12-digit account id (ECS_EMU_ACCOUNT)."
                    + " Default: ${DEFAULT-VALUE}.")
    String account;

    @Option(names = "--region", defaultValue = "${env:ECS_EMU_REGION:-us-east-1}",
            description = "Region for unsigned requests (ECS_EMU_REGION). Default: ${DEFAULT-VALUE}.")
    String region;

    @Option(names = "--engine", defaultValue = "${env:ECS_EMU_ENGINE:-docker}",
            description = "docker: run tasks as containers on the Docker engine of DOCKER_HOST; none: the control-plane model"
                    + " only, no containers (ECS_EMU_ENGINE). Default: ${DEFAULT-VALUE}.")
    Engine engine;

    @Option(names = "--data-dir", defaultValue = "${env:ECS_EMU_DATA_DIR}",
            description = "Where ECR blobs and state files live (ECS_EMU_DATA_DIR). Default: a temporary directory removed at exit.")
    Path dataDir;

    @Option(names = "--instances", defaultValue = "${env:ECS_EMU_INSTANCES:-0}",
            description = "Register this many emulated EC2 container instances into the cluster 'default' (created) at start-up,"
                    + " so EC2 tasks can run at once (ECS_EMU_INSTANCES). Default: ${DEFAULT-VALUE}.")
    int instances;

    @Option(names = "--instance-group", paramLabel = "SPEC",
            description = "More container instances, in a cluster of their own or with another type or zones:"
                    + " cluster=NAME,count=N[,type=TYPE][,zones=ZONE+ZONE...]. Repeatable. Example:"
                    + " --instance-group cluster=prod,count=3,type=c5.large,zones=us-east-1a+us-east-1b")
    List<String> instanceGroups = new ArrayList<>();

    @Option(names = "--instance-type", defaultValue = "${env:ECS_EMU_INSTANCE_TYPE:-m5.large}",
            description = "EC2 instance type of those instances; it sets their CPU and memory (ECS_EMU_INSTANCE_TYPE)."
                    + " Default: ${DEFAULT-VALUE}.")
    String instanceType;

    enum InstanceAddressMode { distinct, shared }

    @Option(names = "--instance-addresses", defaultValue = "${env:ECS_EMU_INSTANCE_ADDRESSES:-distinct}",
            description = "distinct: each container instance binds its tasks' host ports on a loopback address of its own"
                    + " (127.1.0.1, 127.1.0.2, ...), so one fixed host port can be used once per instance, as on real hosts."
                    + " shared: every instance binds on 0.0.0.0 (use this with Docker Desktop, which forwards only 127.0.0.1)"
                    + " (ECS_EMU_INSTANCE_ADDRESSES). Default: ${DEFAULT-VALUE}.")
    InstanceAddressMode instanceAddresses;

    enum AwsvpcPortsMode { task_ip, loopback }

    @Option(names = "--awsvpc-ports", defaultValue = "${env:ECS_EMU_AWSVPC_PORTS:-task-ip}", converter = AwsvpcPortsConverter.class,
            description = "task-ip: the container ports of awsvpc (Fargate) tasks are reached at the task's own IP, which a Linux"
                    + " host routes to. loopback: each is also published on 127.0.0.1 on a dynamic host port, shown in the"
                    + " container's networkBindings (use this with Docker Desktop, which does not route to container IPs)"
                    + " (ECS_EMU_AWSVPC_PORTS). Default: ${DEFAULT-VALUE}.")
    AwsvpcPortsMode awsvpcPorts;

    static final class AwsvpcPortsConverter implements CommandLine.ITypeConverter<AwsvpcPortsMode> {
        @Override
        public AwsvpcPortsMode convert(String value) {
            try {
                return AwsvpcPortsMode.valueOf(value.trim().replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected task-ip or loopback, got '" + value + "'");
            }
        }
    }

    @Option(names = "--container-removal-delay", defaultValue = "${env:ECS_EMU_CONTAINER_REMOVAL_DELAY:-60}",
            description = "Seconds the containers of a stopped task are kept (for docker logs) before they are removed"
                    + " (ECS_EMU_CONTAINER_REMOVAL_DELAY). Default: ${DEFAULT-VALUE}.")
    long containerRemovalDelaySeconds;

    @Option(names = "--registry-host", defaultValue = "${env:ECS_EMU_REGISTRY_HOST}",
            description = "The host:port repository URIs and docker login name (ECS_EMU_REGISTRY_HOST). Default: localhost:<port>,"
                    + " which a Docker engine on this machine uses over plain HTTP without configuration; in a container of the"
                    + " engine it drives, localhost:<the host port its --port is published on>.")
    String registryHost;

    @Option(names = "--registry-auth", defaultValue = "${env:ECS_EMU_REGISTRY_AUTH:-token}",
            description = "token: push and pull need docker login with the password of aws ecr get-login-password;"
                    + " none: the registry lets anyone in (ECS_EMU_REGISTRY_AUTH). Default: ${DEFAULT-VALUE}.")
    RegistryAuth registryAuth;

    enum RegistryAuth { token, none }

    @Option(names = "--container-labels", defaultValue = "${env:ECS_EMU_CONTAINER_LABELS}", paramLabel = "K=V[,K=V...]",
            description = "Labels added to every container and volume the emulator creates for tasks, e.g. Testcontainers'"
                    + " session labels so that its clean-up removes task containers too (ECS_EMU_CONTAINER_LABELS).")
    String containerLabels;

    @Option(names = "--time-scale", defaultValue = "${env:ECS_EMU_TIME_SCALE:-1}",
            description = "Multiplies the waits ECS imposes: the 40 s before a new task counts as healthy, health check grace"
                    + " periods, launch back-off, event suppression. 0.05 turns 40 s into 2 s; 1 keeps AWS's numbers"
                    + " (ECS_EMU_TIME_SCALE). Default: ${DEFAULT-VALUE}.")
    double timeScale;

    @Option(names = "--log-level", defaultValue = "${env:ECS_EMU_LOG_LEVEL:-info}",
            description = "error, warn, info, debug or trace (ECS_EMU_LOG_LEVEL). Default: ${DEFAULT-VALUE}.")
    String logLevel;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.toLevel(logLevel, Level.INFO));
        if (!Scope.isAccountId(account)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--account must be 12 digits, got '" + account + "'");
        }
        if (!Scope.isRegionName(region)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--region must be a region name like us-east-1, got '"
                    + region + "'");
        }
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--time-scale must be a positive number (1 keeps AWS's waits,"
                    + " 0.05 makes them 20 times shorter), got " + timeScale);
        }
        java.util.Map<String, String> labels;
        try {
            labels = ContainerLabels.parse(containerLabels);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--container-labels: " + e.getMessage());
        }
        boolean temporaryDataDir = dataDir == null;
        Path data = temporaryDataDir ? Files.createTempDirectory("ecs-emu-") : Files.createDirectories(dataDir);

        // In a container of the engine it drives, the host reaches the API (and that engine pulls) at the published port.
        Optional<Integer> published = engine == Engine.docker && port != 0 ? OwnContainer.publishedPort(port) : Optional.empty();
        if (registryHost == null) {
            published.ifPresent(hostPort -> {
                registryHost = "localhost:" + hostPort;
                LoggerFactory.getLogger(StartCommand.class).info("running in container with port {} published on {};"
                        + " repository URIs name {}", port, hostPort, registryHost);
            });
        }
        ContainerRuntime runtime = engine == Engine.docker ? new DockerRuntime(labels) : new NoContainerRuntime();
        Emulator emulator;
        try {
            emulator = Emulator.start(new ServerOptions(host, port, account, region, ServerOptions.DEFAULT_MAX_BODY_BYTES), runtime,
                    EmulatorSettings.defaults()
                            .withContainerRemovalDelay(java.time.Duration.ofSeconds(containerRemovalDelaySeconds))
                            .withTimeScale(new TimeScale(timeScale))
                            .withDataDir(data)
                            .withRegistryHost(registryHost)
                            .withRegistryAuth(registryAuth == RegistryAuth.token)
                            .withAwsvpcPorts(awsvpcPorts == AwsvpcPortsMode.loopback ? AwsvpcPorts.LOOPBACK : AwsvpcPorts.TASK_IP)
                            .withInstanceAddresses(instanceAddresses == InstanceAddressMode.distinct
                                    ? InstanceAddresses.distinct() : InstanceAddresses.shared()));
        } catch (RuntimeException e) {
            runtime.close();
            System.err.println("ecs-emu could not listen on " + host + ":" + port + ": " + rootMessage(e)
                    + ". Choose another --port (or 0 for any free port).");
            return 1;
        }
        int registered = 0;
        try {
            if (instances > 0) {
                registered += emulator.registerInstances("default", instances, instanceType).size();
            }
            for (String group : instanceGroups) {
                InstanceGroup g = InstanceGroup.parse(group, instanceType);
                registered += emulator.registerInstances(g.cluster(), g.count(), g.type(), g.zones()).size();
            }
        } catch (RuntimeException e) {
            emulator.close();
            throw new CommandLine.ParameterException(spec.commandLine(), "--instances / --instance-group: " + e.getMessage());
        }
        EngineStatus status = firstStatus(runtime);
        String engineText;
        if (runtime instanceof DockerRuntime && !((DockerRuntime) runtime).firstCheck().isDone()) {
            ((DockerRuntime) runtime).firstCheck().thenAccept(StartCommand::announceEngine);
            engineText = "checking the Docker engine; the log says when it answers";
        } else {
            engineText = (status.available() ? "" : "NOT AVAILABLE, ") + status.detail();
        }
        System.out.println("ecs-emu " + Emulator.version() + " listening on " + emulator.endpoint()
                + published.map(hostPort -> " in its container, on http://localhost:" + hostPort + " from the host").orElse("")
                + " (engine " + status.engine()
                + ": " + engineText + "; data in " + data + ")"
                + (registered > 0 ? "; " + registered + " container instances registered" : ""));
        System.out.flush();

        CountDownLatch stopRequested = new CountDownLatch(1);
        // TERM and INT end the wait below; shutting down from this thread lets the process exit 0.
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), s -> stopRequested.countDown());
        }
        stopRequested.await();
        System.out.println("ecs-emu stopping");
        System.out.flush();
        emulator.close();
        if (temporaryDataDir) {
            deleteRecursively(data);
        }
        return 0;
    }

    /** The engine's state for the start-up line; a slow engine check is not waited for long. */
    private static EngineStatus firstStatus(ContainerRuntime runtime) {
        if (runtime instanceof DockerRuntime) {
            try {
                return ((DockerRuntime) runtime).firstCheck().get(ENGINE_CHECK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return runtime.status();
            } catch (Exception e) {
                return runtime.status();
            }
        }
        return runtime.status();
    }

    /** The engine's state when it became known only after the start-up line. */
    private static void announceEngine(EngineStatus status) {
        org.slf4j.Logger log = LoggerFactory.getLogger(StartCommand.class);
        if (status.available()) {
            log.info("Engine docker: {}", status.detail());
        } else {
            log.warn("Engine docker NOT AVAILABLE: {}", status.detail());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }
}
