package dev.ecsemu.core.cluster;

import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ClusterConfiguration;
import software.amazon.awssdk.services.ecs.model.ClusterServiceConnectDefaults;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;

/**
 * An ECS cluster. Mutable, and only ever touched under its store's lock. Its counts are not kept
 * here: they are derived from the live tasks, services and container instances of the store.
 */
public final class Cluster {
    public static final String ACTIVE = "ACTIVE";
    public static final String INACTIVE = "INACTIVE";

    private final String name;
    private final String arn;
    private final Instant createdAt;
    private String status = ACTIVE;
    private List<ClusterSetting> settings;
    private ClusterConfiguration configuration;
    private List<String> capacityProviders;
    private List<CapacityProviderStrategyItem> defaultCapacityProviderStrategy;
    private ClusterServiceConnectDefaults serviceConnectDefaults;

    Cluster(String name, String arn, Instant createdAt) {
        this.name = name;
        this.arn = arn;
        this.createdAt = createdAt;
    }

    public String name() {
        return name;
    }

    public String arn() {
        return arn;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String status() {
        return status;
    }

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    public List<ClusterSetting> settings() {
        return settings;
    }

    public ClusterConfiguration configuration() {
        return configuration;
    }

    public List<String> capacityProviders() {
        return capacityProviders;
    }

    public List<CapacityProviderStrategyItem> defaultCapacityProviderStrategy() {
        return defaultCapacityProviderStrategy;
    }

    public ClusterServiceConnectDefaults serviceConnectDefaults() {
        return serviceConnectDefaults;
    }

    void status(String status) {
        this.status = status;
    }

    void settings(List<ClusterSetting> settings) {
        this.settings = List.copyOf(settings);
    }

    void configuration(ClusterConfiguration configuration) {
        this.configuration = configuration;
    }

    void capacityProviders(List<String> providers, List<CapacityProviderStrategyItem> strategy) {
        this.capacityProviders = List.copyOf(providers);
        this.defaultCapacityProviderStrategy = List.copyOf(strategy);
    }

    void serviceConnectDefaults(ClusterServiceConnectDefaults defaults) {
        this.serviceConnectDefaults = defaults;
    }
}
