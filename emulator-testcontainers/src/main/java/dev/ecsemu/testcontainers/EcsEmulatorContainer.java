package dev.ecsemu.testcontainers;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.PullPolicy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ResourceReaper;

/**
 * ecs-emu, a local emulator of Amazon ECS, Fargate and ECR, as a Testcontainers container:
 * <pre>{@code
 * @Container
 * static EcsEmulatorContainer ecs = new EcsEmulatorContainer().withInstances(2).withTimeScale(0.05);
 *
 * EcsClient client = EcsClient.builder().endpointOverride(ecs.getEndpoint()).region(Region.of(ecs.getRegion()))
 *         .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ecs.getAccessKey(), ecs.getSecretKey())))
 *         .build();
 * }</pre>
 * The emulator runs tasks as containers on the same Docker engine, through the engine's socket mounted into
 * its container. Those task containers carry this Testcontainers session's labels, so Ryuk removes them with
 * the rest of the session, and {@link #stop()} stops the emulator gracefully (SIGTERM) first, so that it removes
 * them itself even when Ryuk is disabled.
 */
public class EcsEmulatorContainer extends GenericContainer<EcsEmulatorContainer> {

    /** The image's name; build it with {@code docker/build.sh} from the ecs-emu repository. */
    public static final DockerImageName DEFAULT_IMAGE_NAME = DockerImageName.parse("ecs-emu");
    public static final String DEFAULT_TAG = "latest";
    /** The port of every API (ECS, ECR, the registry, {@code /_ecs-emu/health}) inside the container. */
    public static final int PORT = 5327;

    private static final String SOCKET_IN_CONTAINER = "/var/run/docker.sock";
    /** Long enough for the emulator to remove its task containers before Testcontainers kills what is left. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private String region = "us-east-1";
    private final List<String> instanceGroups = new ArrayList<>();
    /** Whether the socket's mount was added: configure() runs at every start, the mount must be added once. */
    private boolean socketMounted;

    public EcsEmulatorContainer() {
        this(DEFAULT_IMAGE_NAME.withTag(DEFAULT_TAG));
    }

    public EcsEmulatorContainer(String image) {
        this(DockerImageName.parse(image));
    }

    /** A compatible image of another name: {@code DockerImageName.parse("my/ecs-emu:1").asCompatibleSubstituteFor("ecs-emu")}. */
    public EcsEmulatorContainer(DockerImageName image) {
        super(image);
        image.assertCompatibleWith(DEFAULT_IMAGE_NAME);
        if (image.getUnversionedPart().equals(DEFAULT_IMAGE_NAME.getUnversionedPart())) {
            withImagePullPolicy(EcsEmulatorContainer::builtLocally);
        }
        withExposedPorts(PORT);
        waitingFor(Wait.forHttp("/_ecs-emu/health").forPort(PORT).forStatusCode(200).withStartupTimeout(Duration.ofSeconds(60)));
    }

    // ---------------------------------------------------------------- start options (each an ecs-emu start option)

    /** {@code --instances}: this many emulated EC2 container instances in the cluster "default", so EC2 tasks run at once. */
    public EcsEmulatorContainer withInstances(int count) {
        return withEnv("ECS_EMU_INSTANCES", Integer.toString(count));
    }

    /** {@code --instance-type}: the EC2 type (CPU and memory) of those instances, m5.large by default. */
    public EcsEmulatorContainer withInstanceType(String instanceType) {
        return withEnv("ECS_EMU_INSTANCE_TYPE", instanceType);
    }

    /** {@code --instance-group cluster=NAME,count=N[,type=TYPE][,zones=A+B]}: more instances, in a cluster of their own. Repeatable. */
    public EcsEmulatorContainer withInstanceGroup(String spec) {
        instanceGroups.add(spec);
        return self();
    }

    /** {@code --instance-addresses shared}: task ports on 0.0.0.0 instead of one 127.1.0.x address per instance (Docker Desktop). */
    public EcsEmulatorContainer withSharedInstanceAddresses() {
        return withEnv("ECS_EMU_INSTANCE_ADDRESSES", "shared");
    }

    /**
     * {@code --awsvpc-ports loopback}: every container port of an awsvpc (Fargate) task is also published on
     * 127.0.0.1, shown in its networkBindings (Docker Desktop, which does not route to the task's own IP).
     */
    public EcsEmulatorContainer withLoopbackAwsvpcPorts() {
        return withEnv("ECS_EMU_AWSVPC_PORTS", "loopback");
    }

    /** {@code --time-scale}: multiplies ECS's waits; 0.05 turns the 40 s before a new task counts as healthy into 2 s. */
    public EcsEmulatorContainer withTimeScale(double timeScale) {
        return withEnv("ECS_EMU_TIME_SCALE", Double.toString(timeScale));
    }

    /** {@code --account}: the account of requests whose access key id is not a 12-digit account id. */
    public EcsEmulatorContainer withAccount(String account) {
        return withEnv("ECS_EMU_ACCOUNT", account);
    }

    /** {@code --region}: the region of unsigned requests, and {@link #getRegion()}. */
    public EcsEmulatorContainer withRegion(String region) {
        this.region = region;
        return withEnv("ECS_EMU_REGION", region);
    }

    /** {@code --engine none}: the control-plane model only; tasks never become containers and no socket is needed. */
    public EcsEmulatorContainer withoutTaskContainers() {
        return withEnv("ECS_EMU_ENGINE", "none");
    }

    /** {@code --container-removal-delay}: how long the containers of a stopped task are kept, 60 s by default. */
    public EcsEmulatorContainer withContainerRemovalDelay(Duration delay) {
        return withEnv("ECS_EMU_CONTAINER_REMOVAL_DELAY", Long.toString(delay.toSeconds()));
    }

    /** {@code --registry-auth none}: the registry lets anyone push and pull without docker login. */
    public EcsEmulatorContainer withoutRegistryAuth() {
        return withEnv("ECS_EMU_REGISTRY_AUTH", "none");
    }

    /** {@code --log-level}: error, warn, info, debug or trace. */
    public EcsEmulatorContainer withLogLevel(String level) {
        return withEnv("ECS_EMU_LOG_LEVEL", level.toLowerCase(Locale.ROOT));
    }

    @Override
    protected void configure() {
        // Docker is asked about the socket and the session only now, when the container is about to start.
        withEnv("ECS_EMU_CONTAINER_LABELS", labelsText(sessionLabels()));
        List<String> command = new ArrayList<>(List.of("start"));
        for (String group : instanceGroups) {
            command.add("--instance-group");
            command.add(group);
        }
        setCommand(command.toArray(new String[0]));
        if (socketMounted) {
            return;
        }
        socketMounted = true;
        String socket = DockerClientFactory.instance().getRemoteDockerUnixSocketPath();
        // The image runs as user 10001: it reaches the engine through the socket's group when the socket is a file
        // here, else (a remote engine, Docker Desktop's VM) as root.
        String socketGroup = socketGroup(socket);
        withCreateContainerCmdModifier(cmd -> {
            // Bound here rather than with withFileSystemBind: the socket is a path of the engine's host, not a file
            // of this machine to check (that check runs a container of an image that may not be pullable).
            HostConfig host = cmd.getHostConfig();
            List<Bind> binds = new ArrayList<>(host.getBinds() == null ? List.of() : Arrays.asList(host.getBinds()));
            binds.add(new Bind(socket, new Volume(SOCKET_IN_CONTAINER)));
            host.withBinds(binds);
            if (socketGroup != null) {
                cmd.getHostConfig().withGroupAdd(List.of(socketGroup));
            } else {
                cmd.withUser("0");
            }
        });
    }

    // ---------------------------------------------------------------- what clients need

    /** The endpoint of every API: give it to the SDK's endpointOverride or the AWS CLI's --endpoint-url. */
    public URI getEndpoint() {
        return URI.create("http://" + getHost() + ":" + getMappedPort(PORT));
    }

    public String getRegion() {
        return region;
    }

    /** Any credentials do; these select the default account. A 12-digit access key id would select that account. */
    public String getAccessKey() {
        return "test";
    }

    public String getSecretKey() {
        return "test";
    }

    /** The registry's {@code host:port}, as repository URIs name it and as {@code docker login} wants it. */
    public String getRegistryHost() {
        return "localhost:" + getMappedPort(PORT);
    }

    /**
     * Testcontainers kills containers; the emulator is first stopped with SIGTERM so that it removes the
     * containers of its tasks itself, as it does at every clean shutdown.
     */
    @Override
    protected void containerIsStopping(InspectContainerResponse containerInfo) {
        String id = getContainerId();
        if (id != null && isRunning()) {
            try {
                getDockerClient().stopContainerCmd(id).withTimeout((int) STOP_TIMEOUT.toSeconds()).exec();
            } catch (RuntimeException e) {
                logger().warn("stopping ecs-emu gracefully failed; its task containers are left to Ryuk: {}", e.toString());
            }
        }
        super.containerIsStopping(containerInfo);
    }

    /**
     * The pull policy of the image {@code ecs-emu}, which is published on no registry: a pull could only fail,
     * and only after Testcontainers' minutes of retries, so a missing image fails at once saying how to build it.
     */
    private static boolean builtLocally(DockerImageName image) {
        if (PullPolicy.defaultPolicy().shouldPull(image)) {
            throw new IllegalStateException("the image " + image.asCanonicalNameString() + " is not on this Docker engine, and ecs-emu"
                    + " is published on no registry: build it from the ecs-emu repository with docker/build.sh --tag "
                    + image.asCanonicalNameString() + " (add --local-base where no registry is reachable)");
        }
        return false;
    }

    /** The labels Testcontainers puts on its own containers, this session's id among them. */
    static Map<String, String> sessionLabels() {
        Map<String, String> labels = new LinkedHashMap<>(DockerClientFactory.DEFAULT_LABELS);
        labels.putAll(ResourceReaper.instance().getLabels());
        return labels;
    }

    static String labelsText(Map<String, String> labels) {
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** The group id of the engine's socket when the engine's socket path is also this machine's, else null. */
    private static String socketGroup(String socketOnEngineHost) {
        String dockerHost = DockerClientFactory.instance().getTransportConfig().getDockerHost().toString();
        if (!dockerHost.equals("unix://" + socketOnEngineHost)) {
            return null;
        }
        try {
            Path socket = Path.of(socketOnEngineHost);
            return Files.exists(socket) ? Files.getAttribute(socket, "unix:gid").toString() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
