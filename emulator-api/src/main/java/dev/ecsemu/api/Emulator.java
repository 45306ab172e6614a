package dev.ecsemu.api;

import dev.ecsemu.api.ecr.EcrApi;
import dev.ecsemu.api.ecs.EcsApi;
import dev.ecsemu.api.protocol.JsonDispatcher;
import dev.ecsemu.api.protocol.JsonService;
import dev.ecsemu.api.registry.RegistryApi;
import dev.ecsemu.api.server.HttpServer;
import dev.ecsemu.api.server.ServerOptions;
import dev.ecsemu.core.registry.BlobStore;
import dev.ecsemu.core.registry.Registry;
import dev.ecsemu.core.runtime.ContainerRuntime;
import dev.ecsemu.core.runtime.RegistryCredentials;
import java.util.Optional;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.ecsemu.core.state.Stores;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import dev.ecsemu.core.capacity.CapacityController;
import dev.ecsemu.core.capacity.SpotInterruptions;
import dev.ecsemu.core.cluster.Clusters;
import dev.ecsemu.core.containerinstance.ContainerInstances;
import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.service.ServiceController;
import dev.ecsemu.core.task.TaskController;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** A running emulator: its state, its container runtime and its server. Close it to stop. */
public final class Emulator implements AutoCloseable {
    private final ServerOptions options;
    private final Stores stores;
    private final ContainerRuntime runtime;
    private final JsonService ecs;
    private final JsonService ecr;
    private final TaskController tasks;
    private final ServiceController services;
    private final CapacityController capacity;
    private final Path dataDir;
    private final boolean temporaryDataDir;
    private final Registry registry;
    private final EmulatorSettings settings;
    private final HttpServer server;

    private Emulator(ServerOptions options, ContainerRuntime runtime, EmulatorSettings settings) throws InterruptedException {
        this.options = options;
        this.runtime = runtime;
        this.settings = settings;
        this.stores = new Stores(settings.clock(), settings.instanceAddresses());
        this.temporaryDataDir = settings.dataDir() == null;
        try {
            this.dataDir = temporaryDataDir ? Files.createTempDirectory("ecs-emu-") : Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + settings.dataDir(), e);
        }
        this.registry = new Registry(stores, new BlobStore(dataDir.resolve("registry"), settings.clock()), settings.clock());
        this.tasks = new TaskController(stores, runtime, settings.containerRemovalDelay());
        this.services = new ServiceController(stores, tasks, settings.clock(), settings.timeScale());
        tasks.onServiceTaskChanged(services::kick);
        this.capacity = new CapacityController(stores, tasks, services::kick, settings.clock(), settings.timeScale());
        this.ecs = EcsApi.service(tasks, services, settings.clock());
        this.ecr = EcrApi.service(registry, this::registryHost, settings.clock());
        runtime.start(tasks);
        services.start();
        capacity.start();
        RegistryApi registryApi = new RegistryApi(registry, stores, settings.clock(), this::registryHost, settings.registryAuth());
        SpotInterruptions spot = new SpotInterruptions(stores, tasks, services::kick, settings.clock(), settings.timeScale());
        this.server = new HttpServer(options, new JsonDispatcher(ecs, ecr), stores, this::reset, runtime::status, version(),
                registryApi, spot);
        runtime.pullWith(this::registryLogin);
        runtime.publishAwsvpcPorts(settings.awsvpcPorts());
        registry.start();
    }

    public static Emulator start(ServerOptions options, ContainerRuntime runtime) {
        return start(options, runtime, EmulatorSettings.defaults());
    }

    public static Emulator start(ServerOptions options, ContainerRuntime runtime, EmulatorSettings settings) {
        try {
            return new Emulator(options, runtime, settings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting", e);
        }
    }

    public int port() {
        return server.port();
    }

    /** The endpoint clients point at, e.g. {@code http://127.0.0.1:5327}. */
    public URI endpoint() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        }
        return URI.create("http://" + host + ":" + port());
    }

    public ServerOptions options() {
        return options;
    }

    public Stores stores() {
        return stores;
    }

    public ContainerRuntime runtime() {
        return runtime;
    }

    /** The image registry (ECR's storage, blobs under the data directory). */
    public Registry registry() {
        return registry;
    }

    /** Where registry blobs and other files live. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * The {@code host:port} the emulator's registry is reached at, as repository URIs name it: by
     * default {@code localhost:<port>}, which a stock Docker engine on this machine pulls from over plain
     * HTTP (Docker trusts loopback registries) without any daemon configuration.
     */
    public String registryHost() {
        return settings.registryHost() != null ? settings.registryHost() : "localhost:" + port();
    }

    /**
     * Tasks whose image is in this emulator's registry are pulled with a password it issues for the
     * image's account and region, and pulled every time, as ECS does for ECR images (a tag may have
     * moved). The task's execution role is not consulted: the emulator is its own instance role.
     */
    private Optional<RegistryCredentials.Login> registryLogin(String image) {
        String host = registryHost();
        if (!image.startsWith(host + "/")) {
            return Optional.empty();
        }
        String[] path = image.substring(host.length() + 1).split("/", 3);
        if (path.length < 3 || !Scope.isAccountId(path[0]) || !Scope.isRegionName(path[1])) {
            return Optional.empty();
        }
        String password = registry.tokens().issue(path[0], path[1]).password();
        return Optional.of(new RegistryCredentials.Login(host, "AWS", password, true));
    }

    /** Whether the registry requires {@code docker login}. */
    public boolean registryAuth() {
        return settings.registryAuth();
    }

    public ServiceController services() {
        return services;
    }

    public JsonService ecs() {
        return ecs;
    }

    public JsonService ecr() {
        return ecr;
    }

    /**
     * Registers emulated container instances into a cluster (created when missing), as
     * {@code ecs-emu start --instances} does, spread round-robin over the availability zones given
     * (by default the region's a, b and c).
     */
    public List<String> registerInstances(String cluster, int count, String instanceType) {
        return registerInstances(cluster, count, instanceType, List.of());
    }

    public List<String> registerInstances(String cluster, int count, String instanceType, List<String> zones) {
        Scope scope = new Scope(options.defaultAccount(), options.defaultRegion());
        List<String> registered = stores.of(scope).write(state -> {
            if (state.clusters().find(cluster).filter(c -> c.isActive()).isEmpty()) {
                state.createCluster(new Clusters.Spec(cluster, null, null, null, null, null));
            }
            List<String> azs = zones.isEmpty()
                    ? List.of(scope.region() + "a", scope.region() + "b", scope.region() + "c") : zones;
            List<String> arns = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                arns.add(state.registerContainerInstance(cluster, new ContainerInstances.Spec(null, instanceType, azs.get(i % azs.size()),
                        null, null, null, Map.of())).arn());
            }
            return arns;
        });
        services.kick(scope);
        return registered;
    }

    /** Forgets all state; the containers of its tasks are removed first, the registry's blobs after. */
    public void reset() {
        removeAllTaskContainers();
        stores.reset();
        registry.collectGarbage();
    }

    private void removeAllTaskContainers() {
        for (String arn : tasks.allTaskArns()) {
            runtime.removeTask(arn);
        }
    }

    public static String version() {
        Properties p = new Properties();
        try (InputStream in = Emulator.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "dev");
    }

    @Override
    public void close() {
        server.close();
        registry.close();
        capacity.close();
        services.close();
        tasks.close();
        removeAllTaskContainers();
        runtime.close();
        if (temporaryDataDir) {
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a temporary directory left behind is harmless.
        }
    }
}
