package dev.ecsemu.core.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker bridge networks awsvpc tasks get their addresses on: one per account and region (the
 * emulator's stand-in for a VPC), so that tasks of one account and region reach each other by IP, as
 * tasks of one VPC do, and the host reaches them on Linux. Created on first need, labelled with the
 * emulator's identity, removed when the runtime closes (a dead emulator's by {@link OrphanCleanup}).
 * When the emulator itself runs in a container of that engine, its container joins each network, so that
 * it reaches tasks at their own IPs as the host does (between two bridge networks Docker drops traffic).
 */
final class TaskNetworks {
    private static final Logger LOG = LoggerFactory.getLogger(TaskNetworks.class);
    static final String SCOPE = "ecs-emu.network-scope";

    private final RuntimeIdentity identity;
    /** Tells apart the networks of two emulators in one process (tests run several). */
    private final String instance = String.format("%04x", new java.security.SecureRandom().nextInt(0x10000));
    private final Map<String, String> created = new ConcurrentHashMap<>();
    /** The id of this process's container on the engine; empty outside one; null until first asked. */
    private volatile Optional<String> ownContainer;

    TaskNetworks(RuntimeIdentity identity) {
        this.identity = identity;
    }

    /** The network of this account and region, created if this emulator has none yet; answers its name. */
    synchronized String ensure(DockerClient client, String account, String region) {
        String scope = account + "/" + region;
        String known = created.get(scope);
        if (known != null) {
            try {
                client.inspectNetworkCmd().withNetworkId(known).exec();
                return known;
            } catch (NotFoundException removed) {
                created.remove(scope);
            }
        }
        String name = "ecs-emu-" + identity.pid() + "-" + instance + "-" + account + "-" + region;
        Map<String, String> labels = new HashMap<>(identity.ownerLabels());
        labels.put(SCOPE, scope);
        List<Network> existing = client.listNetworksCmd().withNameFilter(name).exec();
        if (existing.stream().noneMatch(n -> n.getName().equals(name))) {
            client.createNetworkCmd().withName(name).withDriver("bridge").withLabels(labels).withCheckDuplicate(true).exec();
            LOG.info("created Docker network {} for the awsvpc tasks of account {} in {}", name, account, region);
            joinOwnContainer(client, name);
        }
        created.put(scope, name);
        return name;
    }

    private void joinOwnContainer(DockerClient client, String network) {
        if (ownContainer == null) {
            ownContainer = OwnContainer.find(client).map(InspectContainerResponse::getId);
        }
        ownContainer.ifPresent(id -> {
            try {
                client.connectToNetworkCmd().withNetworkId(network).withContainerId(id).exec();
            } catch (RuntimeException e) {
                LOG.warn("this emulator's container {} cannot join the network {}, so it cannot reach its tasks: {}",
                        id, network, DockerErrors.message(e));
            }
        });
    }

    /** Removes the networks this emulator created; their containers must be gone already. */
    void removeAll(DockerClient client) {
        for (String name : created.values()) {
            Optional<String> own = ownContainer;
            if (own != null && own.isPresent()) {
                try {
                    client.disconnectFromNetworkCmd().withNetworkId(name).withContainerId(own.get()).withForce(true).exec();
                } catch (RuntimeException notJoined) {
                    // it joined no network, or the network is gone
                }
            }
            try {
                client.removeNetworkCmd(name).exec();
            } catch (NotFoundException gone) {
                // removed meanwhile
            } catch (RuntimeException e) {
                LOG.warn("cannot remove Docker network {}: {}", name, DockerErrors.message(e));
            }
        }
        created.clear();
    }
}
