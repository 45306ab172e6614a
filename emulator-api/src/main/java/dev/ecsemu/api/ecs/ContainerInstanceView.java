package dev.ecsemu.api.ecs;

import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.state.RegionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.VersionInfo;

/** A domain container instance as DescribeContainerInstances shows it. */
final class ContainerInstanceView {
    private ContainerInstanceView() {
    }

    static software.amazon.awssdk.services.ecs.model.ContainerInstance of(RegionState state, ContainerInstance ci, boolean withTags) {
        Set<Integer> reserved = new TreeSet<>(ContainerInstance.RESERVED_PORTS);
        Set<Integer> taken = new TreeSet<>(reserved);
        taken.addAll(ci.usedTcpPorts());
        List<Attribute> attributes = new ArrayList<>();
        ci.attributes().forEach((k, v) -> attributes.add(Attribute.builder().name(k).value(v).build()));
        software.amazon.awssdk.services.ecs.model.ContainerInstance.Builder b =
                software.amazon.awssdk.services.ecs.model.ContainerInstance.builder()
                        .containerInstanceArn(ci.arn())
                        .ec2InstanceId(ci.ec2InstanceId())
                        .capacityProviderName(ci.capacityProviderName())
                        .version(ci.version())
                        .versionInfo(VersionInfo.builder().agentVersion(ContainerInstance.AGENT_VERSION).agentHash("ecs-emu").dockerVersion("DockerVersion: 20.10")
                                .build())
                        .registeredResources(resources(ci.cpu(), ci.memory(), reserved, Set.of()))
                        .remainingResources(resources(ci.remainingCpu(), ci.remainingMemory(), taken, ci.usedUdpPorts()))
                        .status(ci.status())
                        .agentConnected(!ContainerInstance.INACTIVE.equals(ci.status()))
                        .runningTasksCount(ci.runningTasks())
                        .pendingTasksCount(ci.pendingTasks())
                        .attributes(attributes)
                        .registeredAt(ci.registeredAt())
                        .attachments(List.of());
        if (withTags) {
            b.tags(state.tags().of(ci.arn()));
        }
        return b.build();
    }

    private static List<Resource> resources(int cpu, int memory, Set<Integer> tcp, Set<Integer> udp) {
        return List.of(
                Resource.builder().name("CPU").type("INTEGER").doubleValue(0.0).longValue(0L).integerValue(cpu).build(),
                Resource.builder().name("MEMORY").type("INTEGER").doubleValue(0.0).longValue(0L).integerValue(memory).build(),
                Resource.builder().name("PORTS").type("STRINGSET").doubleValue(0.0).longValue(0L).integerValue(0)
                        .stringSetValue(strings(tcp)).build(),
                Resource.builder().name("PORTS_UDP").type("STRINGSET").doubleValue(0.0).longValue(0L).integerValue(0)
                        .stringSetValue(strings(udp)).build());
    }

    private static List<String> strings(Set<Integer> ports) {
        List<String> out = new ArrayList<>(ports.size());
        new TreeSet<>(ports).forEach(p -> out.add(String.valueOf(p)));
        return out;
    }
}
