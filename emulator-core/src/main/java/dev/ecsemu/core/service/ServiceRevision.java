package dev.ecsemu.core.service;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.ServiceRegistry;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * What a service runs, as one deployment rolls it out: the task definition and everything else
 * whose change makes a new deployment. Immutable; every deployment has its own.
 */
public record ServiceRevision(String arn, String serviceArn, String clusterArn, TaskDefinition taskDefinition,
        LaunchType launchType, List<CapacityProviderStrategyItem> capacityProviderStrategy, String platformVersion,
        List<LoadBalancer> loadBalancers, List<ServiceRegistry> serviceRegistries, NetworkConfiguration networkConfiguration,
        Instant createdAt) {

    /** The configuration alone, to tell whether an update changes what runs. */
    public record Config(TaskDefinition taskDefinition, LaunchType launchType, List<CapacityProviderStrategyItem> capacityProviderStrategy,
            String platformVersion, List<LoadBalancer> loadBalancers, List<ServiceRegistry> serviceRegistries,
            NetworkConfiguration networkConfiguration) {

        public Config {
            capacityProviderStrategy = capacityProviderStrategy == null ? List.of() : List.copyOf(capacityProviderStrategy);
            loadBalancers = loadBalancers == null ? List.of() : List.copyOf(loadBalancers);
            serviceRegistries = serviceRegistries == null ? List.of() : List.copyOf(serviceRegistries);
        }

        /** Whether running this instead of {@code other} needs a new deployment. */
        public boolean differsFrom(Config other) {
            return !taskDefinition.taskDefinitionArn().equals(other.taskDefinition.taskDefinitionArn())
                    || launchType != other.launchType
                    || !capacityProviderStrategy.equals(other.capacityProviderStrategy)
                    || !Objects.equals(platformVersion, other.platformVersion)
                    || !loadBalancers.equals(other.loadBalancers)
                    || !serviceRegistries.equals(other.serviceRegistries)
                    || !Objects.equals(networkConfiguration, other.networkConfiguration);
        }
    }

    public Config config() {
        return new Config(taskDefinition, launchType, capacityProviderStrategy, platformVersion, loadBalancers, serviceRegistries,
                networkConfiguration);
    }

    static ServiceRevision of(String arn, String serviceArn, String clusterArn, Config c, Instant createdAt) {
        return new ServiceRevision(arn, serviceArn, clusterArn, c.taskDefinition(), c.launchType(), c.capacityProviderStrategy(),
                c.platformVersion(), c.loadBalancers(), c.serviceRegistries(), c.networkConfiguration(), createdAt);
    }
}
