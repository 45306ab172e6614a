package dev.ecsemu.core.runtime.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Link;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.VolumesFrom;
import dev.ecsemu.core.runtime.ContainerSpec;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeviceCgroupPermission;
import software.amazon.awssdk.services.ecs.model.EnvironmentFile;
import software.amazon.awssdk.services.ecs.model.HostEntry;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LinuxParameters;
import software.amazon.awssdk.services.ecs.model.MountPoint;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.SystemControl;
import software.amazon.awssdk.services.ecs.model.Tmpfs;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;
import software.amazon.awssdk.services.ecs.model.VolumeFrom;

/**
 * Turns a {@link ContainerSpec} into Docker's create-container request: everything a container definition
 * says that Docker can do. Pure apart from reading environment files and probing host ports for port
 * ranges; the Docker objects it needs from elsewhere (other containers' names, the task's volumes) come
 * through a {@link Resolver}.
 */
final class ContainerConfigMapper {
    /** ECS agent: containers get at least 2 CPU shares (Docker's minimum), also when cpu is 0 or unset. */
    static final int MIN_CPU_SHARES = 2;
    static final int DEFAULT_HEALTH_INTERVAL = 30;
    static final int DEFAULT_HEALTH_TIMEOUT = 5;
    static final int DEFAULT_HEALTH_RETRIES = 3;
    private static final long MIB = 1024L * 1024L;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A container definition Docker cannot be given; the message is ECS's reason text. */
    static final class MappingException extends Exception {
        MappingException(String reason) {
            super(reason);
        }
    }

    /** What a task volume is on the Docker side. */
    record VolumeSource(String dockerVolume, String hostPath) {
        static VolumeSource volume(String name) {
            return new VolumeSource(name, null);
        }

        static VolumeSource bind(String path) {
            return new VolumeSource(null, path);
        }

        String source() {
            return hostPath != null ? hostPath : dockerVolume;
        }
    }

    /** What the mapper needs to know about the rest of the task. */
    interface Resolver {
        /** The Docker name of another container of the same task, or null when it has not been created. */
        String dockerNameOf(String containerName);

        /** The Docker side of a task volume, or null when the task has no volume of that name. */
        VolumeSource volume(String volumeName);

        /** The container holding an awsvpc task's network namespace, or null when it has none. */
        default String taskNetworkContainer() {
            return null;
        }
    }

    /** The result: what the container was asked to bind in port ranges, for reporting its bindings. */
    record Mapped(String dockerName, Set<String> rangePorts) {
    }

    private ContainerConfigMapper() {
    }

    static Mapped apply(CreateContainerCmd cmd, ContainerSpec spec, RuntimeIdentity identity, Resolver resolver)
            throws MappingException {
        ContainerDefinition def = spec.definition();
        String dockerName = dockerName(spec);
        HostConfig host = HostConfig.newHostConfig();
        cmd.withName(dockerName).withImage(def.image());

        if (def.hasEntryPoint() && !def.entryPoint().isEmpty()) {
            cmd.withEntrypoint(def.entryPoint());
        }
        if (def.hasCommand() && !def.command().isEmpty()) {
            cmd.withCmd(def.command());
        }
        cmd.withEnv(environment(spec));
        if (notBlank(def.workingDirectory())) {
            cmd.withWorkingDir(def.workingDirectory());
        }
        if (notBlank(def.user())) {
            cmd.withUser(def.user());
        }
        // An awsvpc container shares its holder's namespace: Docker refuses hostname, extra hosts, DNS and links
        // there (ECS refuses them for awsvpc too).
        boolean awsvpc = spec.networkMode() == NetworkMode.AWSVPC;
        if (notBlank(def.hostname()) && !awsvpc) {
            cmd.withHostName(def.hostname());
        }
        if (Boolean.TRUE.equals(def.interactive())) {
            cmd.withStdinOpen(true);
        }
        if (Boolean.TRUE.equals(def.pseudoTerminal())) {
            cmd.withTty(true);
        }
        if (Boolean.TRUE.equals(def.disableNetworking())) {
            cmd.withNetworkDisabled(true);
        }
        cmd.withLabels(labels(spec, identity));

        resources(spec, host);
        linuxParameters(def.linuxParameters(), host);
        if (Boolean.TRUE.equals(def.readonlyRootFilesystem())) {
            host.withReadonlyRootfs(true);
        }
        if (Boolean.TRUE.equals(def.privileged())) {
            host.withPrivileged(true);
        }
        if (def.hasUlimits() && !def.ulimits().isEmpty()) {
            List<com.github.dockerjava.api.model.Ulimit> ulimits = new ArrayList<>();
            for (software.amazon.awssdk.services.ecs.model.Ulimit u : def.ulimits()) {
                ulimits.add(new com.github.dockerjava.api.model.Ulimit(u.nameAsString(), (long) orZero(u.softLimit()),
                        (long) orZero(u.hardLimit())));
            }
            host.withUlimits(ulimits);
        }
        if (def.hasExtraHosts() && !def.extraHosts().isEmpty() && !awsvpc) {
            List<String> hosts = new ArrayList<>();
            for (HostEntry h : def.extraHosts()) {
                hosts.add(h.hostname() + ":" + h.ipAddress());
            }
            host.withExtraHosts(hosts.toArray(String[]::new));
        }
        if (def.hasDnsServers() && !def.dnsServers().isEmpty() && !awsvpc) {
            host.withDns(def.dnsServers());
        }
        if (def.hasDnsSearchDomains() && !def.dnsSearchDomains().isEmpty() && !awsvpc) {
            host.withDnsSearch(def.dnsSearchDomains());
        }
        if (def.hasDockerSecurityOptions() && !def.dockerSecurityOptions().isEmpty()) {
            // credentialspec: is for Windows containers (gMSA); Docker on Linux refuses it.
            List<String> options = def.dockerSecurityOptions().stream().filter(o -> !o.startsWith("credentialspec:")).toList();
            if (!options.isEmpty()) {
                host.withSecurityOpts(options);
            }
        }
        if (def.hasSystemControls() && !def.systemControls().isEmpty()) {
            Map<String, String> sysctls = new LinkedHashMap<>();
            for (SystemControl s : def.systemControls()) {
                if (notBlank(s.namespace())) {
                    sysctls.put(s.namespace(), s.value() == null ? "" : s.value());
                }
            }
            host.withSysctls(sysctls);
        }
        if (def.healthCheck() != null && def.healthCheck().hasCommand() && !def.healthCheck().command().isEmpty()) {
            cmd.withHealthcheck(healthCheck(def.healthCheck()));
        }
        if (!awsvpc) {
            links(def, resolver, host);
        }
        volumes(def, resolver, host);

        Set<String> rangePorts = network(spec, cmd, host, resolver);
        cmd.withHostConfig(host);
        return new Mapped(dockerName, rangePorts);
    }

    /** {@code ecs-<family>-<revision>-<container>-<random hex>}, as the ECS agent names containers. */
    static String dockerName(ContainerSpec spec) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        return sanitize("ecs-" + spec.family() + "-" + spec.revision() + "-" + spec.containerName() + "-"
                + HexFormat.of().formatHex(random));
    }

    /** Docker's names: {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}. */
    static String sanitize(String name) {
        String s = name.replaceAll("[^a-zA-Z0-9_.-]", "-");
        if (s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0))) {
            s = "x" + s;
        }
        return s;
    }

    static List<String> environment(ContainerSpec spec) throws MappingException {
        ContainerDefinition def = spec.definition();
        Map<String, String> env = new LinkedHashMap<>();
        // ECS: variables of the environment parameter take precedence over those of environment files.
        if (def.hasEnvironmentFiles()) {
            for (EnvironmentFile f : def.environmentFiles()) {
                try {
                    env.putAll(EnvironmentFiles.read(f.value()));
                } catch (EnvironmentFiles.UnreadableException e) {
                    throw new MappingException("ResourceInitializationError: failed to download env files: " + e.getMessage());
                }
            }
        }
        if (def.hasEnvironment()) {
            for (KeyValuePair kv : def.environment()) {
                if (notBlank(kv.name())) {
                    env.put(kv.name(), kv.value() == null ? "" : kv.value());
                }
            }
        }
        if (spec.environment() != null) {
            env.putAll(spec.environment());
        }
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    static Map<String, String> labels(ContainerSpec spec, RuntimeIdentity identity) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (spec.labels() != null) {
            labels.putAll(spec.labels());
        }
        if (spec.definition().hasDockerLabels()) {
            labels.putAll(spec.definition().dockerLabels());
        }
        labels.putAll(identity.ownerLabels());
        labels.put(RuntimeIdentity.TASK_ARN, spec.taskArn());
        labels.put(RuntimeIdentity.CONTAINER_NAME, spec.containerName());
        labels.put(RuntimeIdentity.CLUSTER, spec.clusterName() == null ? "" : spec.clusterName());
        return labels;
    }

    /**
     * The CPU limit of a container of a task with task-level CPU units: the task's size (1024 units are one
     * CPU), at most the engine's CPUs; null without task-level CPU. The agent caps the task's cgroup as a
     * whole; here every container is capped at the task's size.
     */
    static Long nanoCpus(Integer taskCpuUnits, int engineCpus) {
        if (taskCpuUnits == null || taskCpuUnits <= 0) {
            return null;
        }
        long nanos = taskCpuUnits * 1_000_000_000L / 1024;
        return Math.min(nanos, engineCpus * 1_000_000_000L);
    }

    private static void resources(ContainerSpec spec, HostConfig host) {
        ContainerDefinition def = spec.definition();
        host.withCpuShares(Math.max(MIN_CPU_SHARES, orZero(def.cpu())));
        Integer limit = def.memory();
        if (limit == null && def.memoryReservation() == null && spec.taskMemoryMiB() != null) {
            limit = spec.taskMemoryMiB();
        }
        if (limit != null && limit > 0) {
            host.withMemory(limit * MIB);
        }
        if (def.memoryReservation() != null && def.memoryReservation() > 0) {
            host.withMemoryReservation(def.memoryReservation() * MIB);
        }
        LinuxParameters lp = def.linuxParameters();
        if (lp != null && limit != null && limit > 0 && lp.maxSwap() != null) {
            // Docker's MemorySwap is memory plus swap; ECS's maxSwap is the swap alone (0: none).
            host.withMemorySwap((limit + (long) Math.max(0, lp.maxSwap())) * MIB);
        }
        if (lp != null && lp.swappiness() != null) {
            host.withMemorySwappiness((long) lp.swappiness());
        }
    }

    private static void linuxParameters(LinuxParameters lp, HostConfig host) throws MappingException {
        if (lp == null) {
            return;
        }
        if (lp.capabilities() != null) {
            if (lp.capabilities().hasAdd() && !lp.capabilities().add().isEmpty()) {
                host.withCapAdd(capabilities(lp.capabilities().add()));
            }
            if (lp.capabilities().hasDrop() && !lp.capabilities().drop().isEmpty()) {
                host.withCapDrop(capabilities(lp.capabilities().drop()));
            }
        }
        if (Boolean.TRUE.equals(lp.initProcessEnabled())) {
            host.withInit(true);
        }
        if (lp.sharedMemorySize() != null && lp.sharedMemorySize() > 0) {
            host.withShmSize(lp.sharedMemorySize() * MIB);
        }
        if (lp.hasTmpfs() && !lp.tmpfs().isEmpty()) {
            Map<String, String> tmpfs = new LinkedHashMap<>();
            for (Tmpfs t : lp.tmpfs()) {
                List<String> options = new ArrayList<>();
                if (t.size() != null && t.size() > 0) {
                    options.add("size=" + t.size() + "m");
                }
                if (t.hasMountOptions()) {
                    options.addAll(t.mountOptions());
                }
                tmpfs.put(t.containerPath(), String.join(",", options));
            }
            host.withTmpFs(tmpfs);
        }
        if (lp.hasDevices() && !lp.devices().isEmpty()) {
            List<com.github.dockerjava.api.model.Device> devices = new ArrayList<>();
            for (software.amazon.awssdk.services.ecs.model.Device d : lp.devices()) {
                StringBuilder permissions = new StringBuilder();
                if (!d.hasPermissions() || d.permissions().isEmpty()) {
                    permissions.append("rwm");
                } else {
                    if (d.permissions().contains(DeviceCgroupPermission.READ)) {
                        permissions.append('r');
                    }
                    if (d.permissions().contains(DeviceCgroupPermission.WRITE)) {
                        permissions.append('w');
                    }
                    if (d.permissions().contains(DeviceCgroupPermission.MKNOD)) {
                        permissions.append('m');
                    }
                }
                String inContainer = notBlank(d.containerPath()) ? d.containerPath() : d.hostPath();
                devices.add(new com.github.dockerjava.api.model.Device(permissions.toString(), inContainer, d.hostPath()));
            }
            host.withDevices(devices);
        }
    }

    private static Capability[] capabilities(List<String> names) throws MappingException {
        List<Capability> out = new ArrayList<>();
        for (String n : names) {
            String name = n.toUpperCase(Locale.ROOT);
            if (name.startsWith("CAP_")) {
                name = name.substring(4);
            }
            try {
                out.add(Capability.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new MappingException("CannotCreateContainerError: unknown Linux capability " + n);
            }
        }
        return out.toArray(Capability[]::new);
    }

    static HealthCheck healthCheck(software.amazon.awssdk.services.ecs.model.HealthCheck h) {
        List<String> test = new ArrayList<>(h.command());
        String kind = test.get(0);
        if (!"CMD".equals(kind) && !"CMD-SHELL".equals(kind) && !"NONE".equals(kind)) {
            // ECS requires CMD or CMD-SHELL; a bare command is what CMD would run.
            test.add(0, "CMD");
        }
        return new HealthCheck().withTest(test)
                .withInterval(seconds(h.interval(), DEFAULT_HEALTH_INTERVAL))
                .withTimeout(seconds(h.timeout(), DEFAULT_HEALTH_TIMEOUT))
                .withRetries(h.retries() != null ? h.retries() : DEFAULT_HEALTH_RETRIES)
                .withStartPeriod(seconds(h.startPeriod(), 0));
    }

    private static long seconds(Integer value, int fallback) {
        return TimeUnit.SECONDS.toNanos(value != null ? value : fallback);
    }

    private static void links(ContainerDefinition def, Resolver resolver, HostConfig host) throws MappingException {
        if (!def.hasLinks() || def.links().isEmpty()) {
            return;
        }
        List<Link> links = new ArrayList<>();
        for (String l : def.links()) {
            int colon = l.indexOf(':');
            String target = colon < 0 ? l : l.substring(0, colon);
            String alias = colon < 0 ? l : l.substring(colon + 1);
            String dockerName = resolver.dockerNameOf(target);
            if (dockerName == null) {
                throw new MappingException("CannotCreateContainerError: linked container " + target
                        + " of this task has not been created");
            }
            links.add(new Link(dockerName, alias));
        }
        host.withLinks(links);
    }

    private static void volumes(ContainerDefinition def, Resolver resolver, HostConfig host) throws MappingException {
        List<Bind> binds = new ArrayList<>();
        if (def.hasMountPoints()) {
            for (MountPoint m : def.mountPoints()) {
                VolumeSource source = resolver.volume(m.sourceVolume());
                if (source == null) {
                    throw new MappingException("CannotCreateContainerError: mount point of container " + def.name()
                            + " names volume " + m.sourceVolume() + ", which the task definition does not have");
                }
                binds.add(new Bind(source.source(), new com.github.dockerjava.api.model.Volume(m.containerPath()),
                        Boolean.TRUE.equals(m.readOnly()) ? AccessMode.ro : AccessMode.rw));
            }
        }
        if (!binds.isEmpty()) {
            host.withBinds(binds);
        }
        if (def.hasVolumesFrom() && !def.volumesFrom().isEmpty()) {
            List<VolumesFrom> from = new ArrayList<>();
            for (VolumeFrom v : def.volumesFrom()) {
                String dockerName = resolver.dockerNameOf(v.sourceContainer());
                if (dockerName == null) {
                    throw new MappingException("CannotCreateContainerError: volumesFrom container " + v.sourceContainer()
                            + " of this task has not been created");
                }
                from.add(new VolumesFrom(dockerName, Boolean.TRUE.equals(v.readOnly()) ? AccessMode.ro : AccessMode.rw));
            }
            host.withVolumesFrom(from);
        }
    }

    /** Network mode and port bindings; answers the container ports that belong to port ranges. */
    private static Set<String> network(ContainerSpec spec, CreateContainerCmd cmd, HostConfig host, Resolver resolver)
            throws MappingException {
        NetworkMode mode = spec.networkMode() == null ? NetworkMode.BRIDGE : spec.networkMode();
        Set<String> rangePorts = new LinkedHashSet<>();
        List<PortMapping> mappings = spec.definition().hasPortMappings() ? spec.definition().portMappings() : List.of();
        if (mode == NetworkMode.HOST) {
            host.withNetworkMode("host");
            return rangePorts;
        }
        if (mode == NetworkMode.NONE) {
            host.withNetworkMode("none");
            return rangePorts;
        }
        if (mode == NetworkMode.AWSVPC) {
            // The task's namespace is its holder's; ports are reached at the task's IP (or as the holder publishes them).
            String holder = resolver.taskNetworkContainer();
            if (holder == null) {
                throw new MappingException("CannotStartContainerError: the network namespace of this awsvpc task is gone");
            }
            host.withNetworkMode("container:" + holder);
            return rangePorts;
        }
        if (mode != NetworkMode.BRIDGE) {
            throw new MappingException("CannotStartContainerError: " + mode + " network mode is not supported by this emulator yet");
        }
        host.withNetworkMode("bridge");
        String hostIp = spec.hostIp() == null || spec.hostIp().isBlank() ? "" : spec.hostIp();
        List<ExposedPort> exposed = new ArrayList<>();
        Ports ports = new Ports();
        for (PortMapping p : mappings) {
            boolean udp = p.protocol() == TransportProtocol.UDP;
            if (p.containerPort() != null) {
                ExposedPort e = udp ? ExposedPort.udp(p.containerPort()) : ExposedPort.tcp(p.containerPort());
                exposed.add(e);
                boolean dynamic = p.hostPort() == null || p.hostPort() == 0;
                ports.bind(e, new Ports.Binding(hostIp, dynamic ? "" : Integer.toString(p.hostPort())));
            } else if (notBlank(p.containerPortRange())) {
                int[] range = parseRange(p.containerPortRange());
                int count = range[1] - range[0] + 1;
                int firstHost = HostPortRanges.find(hostIp, count, udp);
                if (firstHost < 0) {
                    throw new MappingException("CannotCreateContainerError: no " + count
                            + " contiguous free host ports for container port range " + p.containerPortRange());
                }
                for (int i = 0; i < count; i++) {
                    int port = range[0] + i;
                    ExposedPort e = udp ? ExposedPort.udp(port) : ExposedPort.tcp(port);
                    exposed.add(e);
                    ports.bind(e, new Ports.Binding(hostIp, Integer.toString(firstHost + i)));
                    rangePorts.add(port + "/" + (udp ? "udp" : "tcp"));
                }
            }
        }
        if (!exposed.isEmpty()) {
            cmd.withExposedPorts(exposed);
            host.withPortBindings(ports);
        }
        return rangePorts;
    }

    static int[] parseRange(String range) throws MappingException {
        String[] parts = range.trim().split("-");
        try {
            int first = Integer.parseInt(parts[0].trim());
            int last = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : first;
            if (parts.length > 2 || first < 1 || last > 65535 || last < first) {
                throw new NumberFormatException(range);
            }
            return new int[] {first, last};
        } catch (NumberFormatException e) {
            throw new MappingException("CannotCreateContainerError: invalid containerPortRange " + range);
        }
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
