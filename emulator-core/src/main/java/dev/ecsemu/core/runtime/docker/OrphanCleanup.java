package dev.ecsemu.core.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what emulators of this host left behind when they died: containers (forced, with their anonymous
 * volumes, awsvpc holders among them), the networks of awsvpc tasks and task-scoped volumes labelled {@code ecs-emu.managed=true} whose {@code ecs-emu.pid} process
 * is gone. Containers of live emulators, and of other hosts sharing the engine, are left alone.
 */
final class OrphanCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanCleanup.class);

    private OrphanCleanup() {
    }

    record Result(int containers, int volumes, int networks) {
    }

    static Result run(DockerClient client, RuntimeIdentity identity) {
        int containers = 0;
        List<Container> found = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(RuntimeIdentity.MANAGED, "true", RuntimeIdentity.HOST, identity.host())).exec();
        for (Container c : found) {
            if (!identity.isOrphan(c.getLabels())) {
                continue;
            }
            try {
                client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                containers++;
            } catch (NotFoundException gone) {
                // removed meanwhile
            } catch (RuntimeException e) {
                LOG.warn("cannot remove orphaned container {}: {}", c.getId(), DockerErrors.message(e));
            }
        }
        int volumes = 0;
        List<InspectVolumeResponse> vols = client.listVolumesCmd()
                .withFilter("label", List.of(RuntimeIdentity.MANAGED + "=true", RuntimeIdentity.HOST + "=" + identity.host()))
                .exec().getVolumes();
        if (vols != null) {
            for (InspectVolumeResponse v : vols) {
                if (identity.isOrphan(v.getLabels()) && TaskVolumes.remove(client, v.getName())) {
                    volumes++;
                }
            }
        }
        // Networks of awsvpc tasks go after the containers (their holders) that were attached to them.
        int networks = 0;
        for (Network n : client.listNetworksCmd()
                .withFilter("label", List.of(RuntimeIdentity.MANAGED + "=true", RuntimeIdentity.HOST + "=" + identity.host())).exec()) {
            if (!identity.isOrphan(n.getLabels())) {
                continue;
            }
            try {
                client.removeNetworkCmd(n.getId()).exec();
                networks++;
            } catch (NotFoundException gone) {
                // removed meanwhile
            } catch (RuntimeException e) {
                LOG.warn("cannot remove orphaned network {}: {}", n.getName(), DockerErrors.message(e));
            }
        }
        if (containers > 0 || volumes > 0 || networks > 0) {
            LOG.info("removed {} container(s), {} volume(s) and {} network(s) left behind by emulators that are no longer running",
                    containers, volumes, networks);
        }
        return new Result(containers, volumes, networks);
    }
}
