package dev.ecsemu.core.runtime;

import java.util.List;
import software.amazon.awssdk.services.ecs.model.PortMapping;

/**
 * What the runtime needs to give an awsvpc task its network: a namespace of its own, shared by all
 * the task's containers, with an address on the network of the task's account and region (the
 * emulator's stand-in for a VPC).
 *
 * @param taskArn      the task
 * @param taskId       the task id (last ARN segment), for names the runtime gives
 * @param clusterName  the cluster's short name
 * @param account      the account, which with the region picks the task's network
 * @param region       the region
 * @param portMappings every port mapping of the task's containers (hostPort equals containerPort in awsvpc)
 */
public record TaskNetworkSpec(String taskArn, String taskId, String clusterName, String account, String region,
        List<PortMapping> portMappings) {

    public TaskNetworkSpec {
        portMappings = List.copyOf(portMappings);
    }
}
