package dev.ecsemu.junit5;

import dev.ecsemu.api.Emulator;
import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.server.ServerOptions;
import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.containerinstance.InstanceAddresses;
import dev.ecsemu.core.runtime.AwsvpcPorts;
import dev.ecsemu.core.runtime.ContainerRuntime;
import dev.ecsemu.core.runtime.NoContainerRuntime;
import dev.ecsemu.core.runtime.docker.DockerRuntime;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * ecs-emu in the test's own JVM, on a free port, for projects that prefer not to run the emulator in a container:
 * <pre>{@code
 * @RegisterExtension
 * static EcsEmulatorExtension emulator = new EcsEmulatorExtension().withInstances(1).withTimeScale(0.05);
 *
 * EcsClient ecs = emulator.configure(EcsClient.builder()).build();
 * }</pre>
 * A static field starts the emulator once for the class (its {@code @Nested} classes share it), an instance
 * field once per test. Tasks run as containers on the Docker engine of DOCKER_HOST, removed when the emulator
 * stops; {@link #withoutTaskContainers()} keeps to the control-plane model.
 */
public final class EcsEmulatorExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final String ACCOUNT = "000000000000";

    private boolean containers = true;
    private int instances;
    private String instanceType = "m5.large";
    private String region = "us-east-1";
    private EmulatorSettings settings = EmulatorSettings.defaults();
    private Map<String, String> containerLabels = Map.of();
    private Emulator emulator;
    /**
     * The class or test whose callback started the emulator: only its own after-callback stops it. Nested
     * classes and their tests get the outer class's callbacks too, and must not end its emulator.
     */
    private String startedBy;

    /** {@code --instances}: this many emulated EC2 container instances in the cluster "default". */
    public EcsEmulatorExtension withInstances(int count) {
        this.instances = count;
        return this;
    }

    public EcsEmulatorExtension withInstanceType(String type) {
        this.instanceType = type;
        return this;
    }

    /** {@code --time-scale}: multiplies ECS's waits (0.05 turns the 40 s before a new task counts as healthy into 2 s). */
    public EcsEmulatorExtension withTimeScale(double scale) {
        settings = settings.withTimeScale(new TimeScale(scale));
        return this;
    }

    /** {@code --instance-addresses shared}: task ports on 0.0.0.0 instead of one 127.1.0.x address per instance (Docker Desktop). */
    public EcsEmulatorExtension withSharedInstanceAddresses() {
        settings = settings.withInstanceAddresses(InstanceAddresses.shared());
        return this;
    }

    /**
     * {@code --awsvpc-ports loopback}: every container port of an awsvpc (Fargate) task is also published on
     * 127.0.0.1, shown in its networkBindings (Docker Desktop, which does not route to the task's own IP).
     */
    public EcsEmulatorExtension withLoopbackAwsvpcPorts() {
        settings = settings.withAwsvpcPorts(AwsvpcPorts.LOOPBACK);
        return this;
    }

    public EcsEmulatorExtension withRegion(String region) {
        this.region = region;
        return this;
    }

    /** {@code --container-removal-delay}: how long the containers of a stopped task are kept. */
    public EcsEmulatorExtension withContainerRemovalDelay(Duration delay) {
        settings = settings.withContainerRemovalDelay(delay);
        return this;
    }

    /** {@code --container-labels}: extra labels on every task container and volume. */
    public EcsEmulatorExtension withContainerLabels(Map<String, String> labels) {
        this.containerLabels = Map.copyOf(labels);
        return this;
    }

    /** {@code --engine none}: the control-plane model only, no containers, no Docker engine needed. */
    public EcsEmulatorExtension withoutTaskContainers() {
        this.containers = false;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopIfStartedBy(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopIfStartedBy(context);
    }

    private void start(ExtensionContext context) {
        if (emulator != null) {
            return;
        }
        ContainerRuntime runtime = containers ? new DockerRuntime(containerLabels) : new NoContainerRuntime();
        emulator = Emulator.start(new ServerOptions("127.0.0.1", 0, ACCOUNT, region, ServerOptions.DEFAULT_MAX_BODY_BYTES),
                runtime, settings);
        startedBy = context.getUniqueId();
        if (runtime instanceof DockerRuntime) {
            // Tasks run at once rather than failing while the engine's first check is still under way.
            try {
                ((DockerRuntime) runtime).firstCheck().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the engine's status says why; tasks fail with that reason
            }
        }
        if (instances > 0) {
            emulator.registerInstances("default", instances, instanceType);
        }
    }

    private void stopIfStartedBy(ExtensionContext context) {
        if (emulator != null && context.getUniqueId().equals(startedBy)) {
            emulator.close();
            emulator = null;
        }
    }

    /** The running emulator, for what the API does not offer (its stores, {@code reset()}). */
    public Emulator emulator() {
        if (emulator == null) {
            throw new IllegalStateException("the emulator runs only while the tests of the class (static field) or the test"
                    + " (instance field) run");
        }
        return emulator;
    }

    public URI getEndpoint() {
        return emulator().endpoint();
    }

    public String getRegion() {
        return region;
    }

    public String getAccessKey() {
        return "test";
    }

    public String getSecretKey() {
        return "test";
    }

    /** Points any AWS SDK v2 client builder (EcsClient, EcrClient, ...) at the emulator: endpoint, region, credentials. */
    public <B extends AwsClientBuilder<B, C>, C> B configure(B builder) {
        return builder.endpointOverride(getEndpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(getAccessKey(), getSecretKey())));
    }
}
