package dev.ecsemu.core.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Volume;

/**
 * Everything the runtime needs to create and start one container of a task. The definition already
 * has the RunTask overrides applied (command, environment, cpu, memory, ...).
 *
 * @param taskArn       the task the container belongs to
 * @param taskId        the task id (last ARN segment), for names the runtime gives
 * @param clusterName   the cluster's short name
 * @param family        the task definition family
 * @param revision      the task definition revision
 * @param definition    the container definition, overrides applied
 * @param networkMode   bridge (default when null), host, none or awsvpc
 * @param hostIp        the address host ports are bound on (the container instance's bind address), e.g. 0.0.0.0
 * @param taskVolumes   the task definition's volumes, which mountPoints refer to by name
 * @param taskCpuUnits  task-level CPU units, or null
 * @param taskMemoryMiB task-level memory, or null (a limit for containers that set none)
 * @param stopTimeout   how long a stop waits after SIGTERM before SIGKILL
 * @param labels        extra labels for the container (ECS's com.amazonaws.ecs.* labels); the runtime adds its own
 * @param environment   extra environment for the container (metadata endpoint variables and the like)
 */
public record ContainerSpec(String taskArn, String taskId, String clusterName, String family, int revision,
        ContainerDefinition definition, NetworkMode networkMode, String hostIp, List<Volume> taskVolumes,
        Integer taskCpuUnits, Integer taskMemoryMiB, Duration stopTimeout, Map<String, String> labels,
        Map<String, String> environment) {

    public String containerName() {
        return definition.name();
    }
}
