package dev.ecsemu.api.ecs;

import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.task.NetworkAttachment;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.TaskContainer;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.Connectivity;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.EphemeralStorage;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.NetworkInterface;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/** A domain task as DescribeTasks, RunTask and StopTask show it. */
final class TaskView {
    private TaskView() {
    }

    static software.amazon.awssdk.services.ecs.model.Task of(RegionState state, Task t, boolean withTags) {
        NetworkAttachment eni = t.attachment();
        List<NetworkInterface> interfaces = eni == null || eni.privateIpv4Address() == null ? List.of()
                : List.of(NetworkInterface.builder().attachmentId(eni.id()).privateIpv4Address(eni.privateIpv4Address()).build());
        List<Container> containers = new ArrayList<>();
        for (TaskContainer c : t.containers()) {
            Container.Builder b = Container.builder()
                    .containerArn(c.arn())
                    .taskArn(t.arn())
                    .name(c.name())
                    .image(c.definition().image())
                    .imageDigest(c.imageDigest())
                    .runtimeId(c.runtimeId())
                    .lastStatus(c.lastStatus())
                    .exitCode(c.exitCode())
                    .reason(c.reason())
                    .networkBindings(c.networkBindings())
                    .networkInterfaces(interfaces)
                    .healthStatus(c.health())
                    .managedAgents(List.of())
                    .cpu(String.valueOf(c.definition().cpu() == null ? 0 : c.definition().cpu()));
            if (c.definition().memory() != null) {
                b.memory(String.valueOf(c.definition().memory()));
            }
            if (c.definition().memoryReservation() != null) {
                b.memoryReservation(String.valueOf(c.definition().memoryReservation()));
            }
            containers.add(b.build());
        }
        TaskOverride overrides = t.overrides() != null ? t.overrides() : TaskOverride.builder().build();
        if (!overrides.hasContainerOverrides()) {
            List<ContainerOverride> names = new ArrayList<>();
            t.containers().forEach(c -> names.add(ContainerOverride.builder().name(c.name()).build()));
            overrides = overrides.toBuilder().containerOverrides(names).build();
        }
        // A copy, not the SDK's "absent" list (which the builder would keep absent): ECS always reports [] here.
        overrides = overrides.toBuilder().inferenceAcceleratorOverrides(List.copyOf(overrides.inferenceAcceleratorOverrides())).build();
        String arch = t.platform() != null ? t.platform().cpuArchitecture() : t.containerInstance() == null ? "x86_64"
                : t.containerInstance().attributes().getOrDefault("ecs.cpu-architecture", "x86_64");
        software.amazon.awssdk.services.ecs.model.Task.Builder b = software.amazon.awssdk.services.ecs.model.Task.builder()
                .taskArn(t.arn())
                .clusterArn(t.clusterArn())
                .taskDefinitionArn(t.taskDefinition().taskDefinitionArn())
                .containerInstanceArn(t.containerInstance() == null ? null : t.containerInstance().arn())
                .availabilityZone(t.availabilityZone())
                .attachments(eni == null ? List.of() : List.of(attachment(eni)))
                .capacityProviderName(t.capacityProviderName())
                .attributes(Attribute.builder().name("ecs.cpu-architecture").value(arch).build())
                .containers(containers)
                .cpu(String.valueOf(t.reservation().cpu()))
                .memory(String.valueOf(t.reservation().memory()))
                .createdAt(t.createdAt())
                .desiredStatus(t.desiredStatus())
                .lastStatus(t.lastStatus().name())
                .enableExecuteCommand(false)
                .group(t.group())
                .startedBy(t.startedBy())
                .launchType(t.launchType())
                .capacityProviderName(t.capacityProviderName())
                .healthStatus(t.health())
                .overrides(overrides)
                .pullStartedAt(t.pullStartedAt())
                .pullStoppedAt(t.pullStoppedAt())
                .connectivityAt(t.connectivityAt())
                .startedAt(t.startedAt())
                .stoppingAt(t.stoppingAt())
                .executionStoppedAt(t.executionStoppedAt())
                .stoppedAt(t.stoppedAt())
                .stopCode(t.stopCode())
                .stoppedReason(t.stoppedReason())
                .version(t.version());
        if (t.platform() != null) {
            b.platformVersion(t.platform().platformVersion())
                    .platformFamily(t.platform().platformFamily())
                    .ephemeralStorage(EphemeralStorage.builder().sizeInGiB(t.platform().ephemeralStorageGiB()).build());
        }
        if (t.connectivityAt() != null) {
            b.connectivity(Connectivity.CONNECTED);
        }
        if (withTags) {
            b.tags(state.tags().of(t.arn()));
        }
        return b.build();
    }

    /** The ENI attachment: only the subnet while PRECREATED, everything once attached, as ECS shows it. */
    private static Attachment attachment(NetworkAttachment eni) {
        List<KeyValuePair> details = new ArrayList<>();
        details.add(detail("subnetId", eni.subnetId()));
        if (eni.privateIpv4Address() != null) {
            details.add(detail("networkInterfaceId", eni.networkInterfaceId()));
            details.add(detail("macAddress", eni.macAddress()));
            details.add(detail("privateDnsName", eni.privateDnsName()));
            details.add(detail("privateIPv4Address", eni.privateIpv4Address()));
        }
        return Attachment.builder().id(eni.id()).type(NetworkAttachment.TYPE).status(eni.status()).details(details).build();
    }

    private static KeyValuePair detail(String name, String value) {
        return KeyValuePair.builder().name(name).value(value).build();
    }
}
