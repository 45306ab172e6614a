package dev.ecsemu.api.ecs;

import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.cluster.ClusterCounts;
import dev.ecsemu.core.state.RegionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;

/** A domain cluster as the ECS API shows it, with the optional parts an {@code include} asks for. */
final class ClusterView {
    static final Set<ClusterField> EVERYTHING = Set.of(ClusterField.ATTACHMENTS, ClusterField.CONFIGURATIONS,
            ClusterField.SETTINGS, ClusterField.STATISTICS, ClusterField.TAGS);

    private ClusterView() {
    }

    static software.amazon.awssdk.services.ecs.model.Cluster of(RegionState state, Cluster cluster, Set<ClusterField> include) {
        ClusterCounts counts = state.counts(cluster);
        software.amazon.awssdk.services.ecs.model.Cluster.Builder b = software.amazon.awssdk.services.ecs.model.Cluster.builder()
                .clusterArn(cluster.arn())
                .clusterName(cluster.name())
                .status(cluster.status())
                .registeredContainerInstancesCount(counts.registeredContainerInstances())
                .runningTasksCount(counts.runningTasks())
                .pendingTasksCount(counts.pendingTasks())
                .activeServicesCount(counts.activeServices())
                .capacityProviders(cluster.capacityProviders())
                .defaultCapacityProviderStrategy(cluster.defaultCapacityProviderStrategy())
                .serviceConnectDefaults(cluster.serviceConnectDefaults())
                .statistics(include.contains(ClusterField.STATISTICS) ? statistics(counts) : List.of());
        if (include.contains(ClusterField.SETTINGS)) {
            b.settings(cluster.settings());
        }
        if (include.contains(ClusterField.CONFIGURATIONS)) {
            b.configuration(cluster.configuration());
        }
        if (include.contains(ClusterField.TAGS)) {
            b.tags(state.tags().of(cluster.arn()));
        }
        if (include.contains(ClusterField.ATTACHMENTS)) {
            // Attachments come from Auto Scaling group capacity providers, which the emulator does not create yet.
            b.attachments(List.of());
        }
        return b.build();
    }

    private static List<KeyValuePair> statistics(ClusterCounts c) {
        List<KeyValuePair> out = new ArrayList<>(12);
        add(out, "runningEC2TasksCount", c.ec2().runningTasks());
        add(out, "runningFargateTasksCount", c.fargate().runningTasks());
        add(out, "pendingEC2TasksCount", c.ec2().pendingTasks());
        add(out, "pendingFargateTasksCount", c.fargate().pendingTasks());
        add(out, "runningExternalTasksCount", c.external().runningTasks());
        add(out, "pendingExternalTasksCount", c.external().pendingTasks());
        add(out, "activeEC2ServiceCount", c.ec2().activeServices());
        add(out, "activeFargateServiceCount", c.fargate().activeServices());
        add(out, "drainingEC2ServiceCount", c.ec2().drainingServices());
        add(out, "drainingFargateServiceCount", c.fargate().drainingServices());
        add(out, "activeExternalServiceCount", c.external().activeServices());
        add(out, "drainingExternalServiceCount", c.external().drainingServices());
        return out;
    }

    private static void add(List<KeyValuePair> out, String name, int value) {
        out.add(KeyValuePair.builder().name(name).value(Integer.toString(value)).build());
    }
}
