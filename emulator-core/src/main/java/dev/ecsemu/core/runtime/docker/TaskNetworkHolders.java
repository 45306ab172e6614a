package dev.ecsemu.core.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import dev.ecsemu.core.runtime.AwsvpcPorts;
import dev.ecsemu.core.runtime.ContainerSpec;
import dev.ecsemu.core.runtime.TaskAddress;
import dev.ecsemu.core.runtime.TaskNetworkSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

/**
 * The network namespaces of awsvpc tasks. Each task gets a holder container (the ECS agent's pause
 * container) on the {@link TaskNetworks network} of its account and region; the task's containers join
 * the holder's namespace, so they share its address and reach each other on localhost. With
 * {@link AwsvpcPorts#LOOPBACK} the holder also publishes the task's ports on 127.0.0.1, for engines the
 * host cannot reach by container address (Docker Desktop). Calls run on the runtime's worker threads.
 */
final class TaskNetworkHolders {
    /** The container name label value of an awsvpc task's holder, after the ECS agent's pause container. */
    static final String HOLDER_NAME = "~internalecspause";
    private static final String LOOPBACK = "127.0.0.1";

    /** A holder: its Docker id, and the loopback host port of each published "port/protocol". */
    private record Holder(String dockerId, Map<String, Integer> loopbackPorts) {
    }

    private final RuntimeIdentity identity;
    private final TaskNetworks networks;
    private final Map<String, Holder> holders = new ConcurrentHashMap<>();
    /** The task of each holder, by the holder's Docker id, for the engine's events. */
    private final Map<String, String> taskByHolder = new ConcurrentHashMap<>();
    private final Object imageLock = new Object();
    private volatile boolean imageReady;
    private volatile AwsvpcPorts ports = AwsvpcPorts.TASK_IP;

    TaskNetworkHolders(RuntimeIdentity identity) {
        this.identity = identity;
        this.networks = new TaskNetworks(identity);
    }

    void publish(AwsvpcPorts mode) {
        this.ports = mode == null ? AwsvpcPorts.TASK_IP : mode;
    }

    /**
     * Starts the task's holder and answers its address on the network. On failure the holder is removed
     * again (or left to the task's removal) and the engine's exception propagates.
     */
    TaskAddress attach(DockerClient c, TaskNetworkSpec spec) {
        ensureImage(c);
        String network = networks.ensure(c, spec.account(), spec.region());
        Map<String, String> labels = new LinkedHashMap<>(identity.ownerLabels());
        labels.put(RuntimeIdentity.TASK_ARN, spec.taskArn());
        labels.put(RuntimeIdentity.CONTAINER_NAME, HOLDER_NAME);
        labels.put(RuntimeIdentity.CLUSTER, spec.clusterName() == null ? "" : spec.clusterName());
        labels.put(HolderImage.LABEL, "true");
        HostConfig host = HostConfig.newHostConfig().withNetworkMode(network);
        CreateContainerCmd create = c.createContainerCmd(HolderImage.IMAGE)
                .withName(ContainerConfigMapper.sanitize("ecs-" + spec.clusterName() + "-" + spec.taskId() + "-internalecspause"))
                .withLabels(labels)
                // The holder ignores SIGTERM (it is PID 1 without a handler): a stop may as well kill it at once.
                .withStopSignal("SIGKILL");
        if (ports == AwsvpcPorts.LOOPBACK) {
            publishOnLoopback(create, host, spec.portMappings());
        }
        String holderId = create.withHostConfig(host).exec().getId();
        try {
            c.startContainerCmd(holderId).exec();
            InspectContainerResponse inspected = c.inspectContainerCmd(holderId).exec();
            ContainerNetwork address = inspected.getNetworkSettings() == null || inspected.getNetworkSettings().getNetworks() == null
                    ? null : inspected.getNetworkSettings().getNetworks().get(network);
            if (address == null || address.getIpAddress() == null || address.getIpAddress().isEmpty()) {
                throw new IllegalStateException("the holder container has no address on network " + network);
            }
            holders.put(spec.taskArn(), new Holder(holderId, loopbackPorts(inspected)));
            taskByHolder.put(holderId, spec.taskArn());
            return new TaskAddress(address.getIpAddress(), address.getMacAddress());
        } catch (RuntimeException e) {
            try {
                c.removeContainerCmd(holderId).withForce(true).exec();
            } catch (RuntimeException ignored) {
                // the task's removal tries again: it removes every container labelled with the task
            }
            throw e;
        }
    }

    /** The Docker id of the task's holder, whose namespace its containers join; null before it is attached. */
    String holderOf(String taskArn) {
        Holder holder = holders.get(taskArn);
        return holder == null ? null : holder.dockerId();
    }

    /** An awsvpc container's bindings: none (as in ECS), or its ports as the holder published them on loopback. */
    List<NetworkBinding> bindings(ContainerSpec spec) {
        Holder holder = holders.get(spec.taskArn());
        List<NetworkBinding> out = new ArrayList<>();
        if (holder == null || holder.loopbackPorts().isEmpty()) {
            return out;
        }
        for (PortMapping p : spec.definition().portMappings()) {
            if (p.containerPort() == null) {
                continue;
            }
            boolean udp = p.protocol() == TransportProtocol.UDP;
            Integer hostPort = holder.loopbackPorts().get(p.containerPort() + "/" + (udp ? "udp" : "tcp"));
            if (hostPort != null) {
                out.add(NetworkBinding.builder().bindIP(LOOPBACK).containerPort(p.containerPort()).hostPort(hostPort)
                        .protocol(udp ? TransportProtocol.UDP : TransportProtocol.TCP).build());
            }
        }
        return out;
    }

    /** The awsvpc task whose namespace this container holds, or null when it is no holder of this runtime. */
    String taskOfHolder(String dockerId) {
        return taskByHolder.get(dockerId);
    }

    /**
     * Removes the task's holder, and with it the task's address; the task's stopped containers, which
     * joined its namespace, stay until the task is removed.
     */
    void release(DockerClient c, String taskArn) {
        Holder holder = holders.get(taskArn);
        if (holder == null) {
            return;
        }
        try {
            c.removeContainerCmd(holder.dockerId()).withForce(true).exec();
        } catch (NotFoundException gone) {
            // removed meanwhile
        }
        forget(taskArn);
    }

    /** The task's containers, its holder among them, were removed. */
    void forget(String taskArn) {
        Holder holder = holders.remove(taskArn);
        if (holder != null) {
            taskByHolder.remove(holder.dockerId());
        }
    }

    /** Removes the networks; the holders on them must be gone already. */
    void removeNetworks(DockerClient c) {
        networks.removeAll(c);
    }

    private void ensureImage(DockerClient c) {
        if (imageReady) {
            return;
        }
        synchronized (imageLock) {
            if (!imageReady) {
                HolderImage.ensure(c);
                imageReady = true;
            }
        }
    }

    private static void publishOnLoopback(CreateContainerCmd create, HostConfig host, List<PortMapping> mappings) {
        List<ExposedPort> exposed = new ArrayList<>();
        Ports bindings = new Ports();
        for (PortMapping p : mappings) {
            if (p.containerPort() != null) {
                ExposedPort e = p.protocol() == TransportProtocol.UDP ? ExposedPort.udp(p.containerPort()) : ExposedPort.tcp(p.containerPort());
                exposed.add(e);
                bindings.bind(e, new Ports.Binding(LOOPBACK, ""));
            }
        }
        if (!exposed.isEmpty()) {
            create.withExposedPorts(exposed);
            host.withPortBindings(bindings);
        }
    }

    private static Map<String, Integer> loopbackPorts(InspectContainerResponse inspected) {
        Map<String, Integer> out = new HashMap<>();
        if (inspected.getNetworkSettings() == null || inspected.getNetworkSettings().getPorts() == null) {
            return out;
        }
        inspected.getNetworkSettings().getPorts().getBindings().forEach((port, bindings) -> {
            if (bindings != null) {
                for (Ports.Binding b : bindings) {
                    if (b.getHostPortSpec() != null && !b.getHostPortSpec().isEmpty()) {
                        out.put(port.getPort() + "/" + port.getProtocol().toString(), Integer.valueOf(b.getHostPortSpec()));
                        break;
                    }
                }
            }
        });
        return out;
    }
}
