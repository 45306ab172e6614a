package dev.ecsemu.core.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateVolumeCmd;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.ecsemu.core.runtime.ContainerSpec;
import dev.ecsemu.core.runtime.docker.ContainerConfigMapper.MappingException;
import dev.ecsemu.core.runtime.docker.ContainerConfigMapper.VolumeSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.DockerVolumeConfiguration;
import software.amazon.awssdk.services.ecs.model.MountPoint;
import software.amazon.awssdk.services.ecs.model.Scope;
import software.amazon.awssdk.services.ecs.model.Volume;

/**
 * The Docker side of a task definition's volumes:
 * <ul>
 * <li>{@code host.sourcePath}: a bind mount of that host path;</li>
 * <li>{@code dockerVolumeConfiguration} with scope {@code shared}: the Docker volume of that name, created
 *     (with the given driver, options and labels) when {@code autoprovision} is true and it is missing;</li>
 * <li>{@code dockerVolumeConfiguration} with scope {@code task}, and a volume with neither: a Docker volume
 *     of the task's own, {@code ecs-<taskId>-<volume>}, shared by the task's containers, labelled with the
 *     task and this process so that it is removed with the task (or as an orphan).</li>
 * </ul>
 * EFS and FSx volumes have no local counterpart; they become task volumes too.
 */
final class TaskVolumes {
    private static final Logger LOG = LoggerFactory.getLogger(TaskVolumes.class);

    private TaskVolumes() {
    }

    /** The task volumes the container mounts, created as needed, by volume name. */
    static Map<String, VolumeSource> ensure(DockerClient client, ContainerSpec spec, RuntimeIdentity identity)
            throws MappingException {
        Map<String, VolumeSource> out = new LinkedHashMap<>();
        if (!spec.definition().hasMountPoints()) {
            return out;
        }
        for (MountPoint m : spec.definition().mountPoints()) {
            if (m.sourceVolume() == null || out.containsKey(m.sourceVolume())) {
                continue;
            }
            Volume volume = find(spec.taskVolumes(), m.sourceVolume());
            if (volume != null) {
                out.put(m.sourceVolume(), ensure(client, spec, identity, volume));
            }
        }
        return out;
    }

    private static Volume find(List<Volume> volumes, String name) {
        if (volumes == null) {
            return null;
        }
        return volumes.stream().filter(v -> name.equals(v.name())).findFirst().orElse(null);
    }

    private static VolumeSource ensure(DockerClient client, ContainerSpec spec, RuntimeIdentity identity, Volume volume)
            throws MappingException {
        if (volume.host() != null && volume.host().sourcePath() != null && !volume.host().sourcePath().isBlank()) {
            return VolumeSource.bind(volume.host().sourcePath());
        }
        DockerVolumeConfiguration config = volume.dockerVolumeConfiguration();
        if (config != null && config.scope() == Scope.SHARED) {
            return shared(client, volume.name(), config);
        }
        if (volume.efsVolumeConfiguration() != null || volume.fsxWindowsFileServerVolumeConfiguration() != null) {
            LOG.info("volume {} of task {}: EFS/FSx is not available locally; using a task-scoped Docker volume",
                    volume.name(), spec.taskArn());
        }
        String name = taskVolumeName(spec.taskId(), volume.name());
        Map<String, String> labels = new LinkedHashMap<>();
        if (config != null && config.hasLabels()) {
            labels.putAll(config.labels());
        }
        labels.putAll(identity.ownerLabels());
        labels.put(RuntimeIdentity.TASK_ARN, spec.taskArn());
        // Creating a volume that exists answers the existing one: containers of a task share it.
        return create(client, name, labels, config);
    }

    private static VolumeSource shared(DockerClient client, String name, DockerVolumeConfiguration config)
            throws MappingException {
        try {
            client.inspectVolumeCmd(name).exec();
            return VolumeSource.volume(name);
        } catch (NotFoundException absent) {
            if (!Boolean.TRUE.equals(config.autoprovision())) {
                throw new MappingException("CannotCreateContainerError: shared volume " + name
                        + " does not exist and autoprovision is not enabled");
            }
        } catch (RuntimeException e) {
            throw new MappingException("CannotCreateContainerError: cannot inspect volume " + name + ": " + DockerErrors.message(e));
        }
        return create(client, name, config.hasLabels() ? config.labels() : Map.of(), config);
    }

    private static VolumeSource create(DockerClient client, String name, Map<String, String> labels, DockerVolumeConfiguration config)
            throws MappingException {
        CreateVolumeCmd create = client.createVolumeCmd().withName(name);
        if (!labels.isEmpty()) {
            create.withLabels(labels);
        }
        if (config != null) {
            driver(create, config);
        }
        try {
            create.exec();
        } catch (RuntimeException e) {
            throw new MappingException("CannotCreateContainerError: cannot create volume " + name + ": " + DockerErrors.message(e));
        }
        return VolumeSource.volume(name);
    }

    private static void driver(CreateVolumeCmd create, DockerVolumeConfiguration config) {
        if (config.driver() != null && !config.driver().isBlank()) {
            create.withDriver(config.driver());
        }
        if (config.hasDriverOpts() && !config.driverOpts().isEmpty()) {
            create.withDriverOpts(config.driverOpts());
        }
    }

    static String taskVolumeName(String taskId, String volumeName) {
        return ContainerConfigMapper.sanitize("ecs-" + taskId + "-" + volumeName);
    }

    /** Removes the task-scoped volumes of a task; answers how many. */
    static int removeAll(DockerClient client, String taskArn) {
        int removed = 0;
        List<InspectVolumeResponse> volumes = client.listVolumesCmd()
                .withFilter("label", List.of(RuntimeIdentity.MANAGED + "=true", RuntimeIdentity.TASK_ARN + "=" + taskArn))
                .exec().getVolumes();
        if (volumes == null) {
            return 0;
        }
        for (InspectVolumeResponse v : volumes) {
            if (remove(client, v.getName())) {
                removed++;
            }
        }
        return removed;
    }

    static boolean remove(DockerClient client, String name) {
        try {
            client.removeVolumeCmd(name).exec();
            return true;
        } catch (NotFoundException gone) {
            return false;
        } catch (RuntimeException e) {
            LOG.warn("cannot remove Docker volume {}: {}", name, DockerErrors.message(e));
            return false;
        }
    }
}
