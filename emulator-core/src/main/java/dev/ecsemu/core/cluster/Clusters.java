package dev.ecsemu.core.cluster;

import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.state.Scope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ClusterConfiguration;
import software.amazon.awssdk.services.ecs.model.ClusterServiceConnectDefaultsRequest;
import software.amazon.awssdk.services.ecs.model.ClusterServiceConnectDefaults;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;

/** The clusters of one store, ACTIVE and INACTIVE (deleted clusters stay describable). */
public final class Clusters {
    public static final String DEFAULT = "default";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
    private static final List<String> INSIGHTS_VALUES = List.of("enabled", "disabled", "enhanced");

    private final Scope scope;
    private final Clock clock;
    private final Predicate<String> capacityProviderExists;
    private final Map<String, Cluster> byName = new HashMap<>();

    public Clusters(Scope scope, Clock clock, Predicate<String> capacityProviderExists) {
        this.scope = scope;
        this.clock = clock;
        this.capacityProviderExists = capacityProviderExists;
    }

    /** What CreateCluster asks for; null members take ECS's defaults. */
    public record Spec(String name, List<ClusterSetting> settings, ClusterConfiguration configuration,
            List<String> capacityProviders, List<CapacityProviderStrategyItem> defaultCapacityProviderStrategy,
            ClusterServiceConnectDefaultsRequest serviceConnectDefaults) {
    }

    /**
     * Creates the cluster, or answers the existing ACTIVE cluster of that name unchanged, as ECS's
     * idempotent CreateCluster does. A name whose cluster was deleted is created afresh.
     *
     * @param containerInsightsDefault the account's effective containerInsights setting
     */
    public Cluster create(Spec spec, String containerInsightsDefault) {
        String name = spec.name() == null ? DEFAULT : spec.name();
        if (!NAME.matcher(name).matches()) {
            throw EcsErrors.invalidParameter("Cluster must match ^[a-zA-Z0-9\\-_]{1,255}$, but was " + name);
        }
        List<ClusterSetting> settings = withDefaultInsights(mergeSettings(List.of(), spec.settings()), containerInsightsDefault);
        List<String> providers = spec.capacityProviders() == null ? List.of() : spec.capacityProviders();
        List<CapacityProviderStrategyItem> strategy = spec.defaultCapacityProviderStrategy() == null
                ? List.of() : spec.defaultCapacityProviderStrategy();
        validateProviders(providers, strategy);

        Cluster existing = byName.get(name);
        if (existing != null && existing.isActive()) {
            return existing;
        }
        Cluster cluster = new Cluster(name, Arn.ecs(scope, "cluster/" + name), clock.instant());
        cluster.settings(settings);
        cluster.configuration(spec.configuration());
        cluster.capacityProviders(providers, strategy);
        cluster.serviceConnectDefaults(serviceConnectDefaults(spec.serviceConnectDefaults()));
        byName.put(name, cluster);
        return cluster;
    }

    /** The ACTIVE cluster a {@code cluster} parameter names (short name, ARN, or null for default). */
    public Cluster active(String nameOrArn) {
        return find(nameOrArn).filter(Cluster::isActive).orElseThrow(EcsErrors::clusterNotFound);
    }

    /** The cluster a parameter names, ACTIVE or INACTIVE. */
    public Optional<Cluster> find(String nameOrArn) {
        return nameOf(nameOrArn).map(byName::get);
    }

    /** The ARN a parameter stands for, whether or not such a cluster exists (for MISSING failures). */
    public String arnFor(String nameOrArn) {
        if (nameOrArn != null && nameOrArn.startsWith("arn:")) {
            return nameOrArn;
        }
        return Arn.ecs(scope, "cluster/" + (nameOrArn == null || nameOrArn.isEmpty() ? DEFAULT : nameOrArn));
    }

    private Optional<String> nameOf(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) {
            return Optional.of(DEFAULT);
        }
        if (!nameOrArn.startsWith("arn:")) {
            return Optional.of(nameOrArn);
        }
        return Arn.parse(nameOrArn)
                .filter(arn -> arn.isIn(scope) && arn.service().equals("ecs") && arn.resourceType().equals("cluster"))
                .map(Arn::resourceId);
    }

    /** Every ACTIVE cluster in ARN order. */
    public List<Cluster> listActive() {
        List<Cluster> out = new ArrayList<>();
        for (Cluster c : byName.values()) {
            if (c.isActive()) {
                out.add(c);
            }
        }
        out.sort(Comparator.comparing(Cluster::arn));
        return out;
    }

    /** Marks the cluster INACTIVE; the caller has checked that nothing still lives in it. */
    public void delete(Cluster cluster) {
        cluster.status(Cluster.INACTIVE);
    }

    public void updateSettings(Cluster cluster, List<ClusterSetting> settings) {
        List<ClusterSetting> merged = mergeSettings(cluster.settings(), settings);
        cluster.settings(merged);
    }

    public void updateConfiguration(Cluster cluster, ClusterConfiguration configuration) {
        cluster.configuration(configuration);
    }

    public void updateServiceConnectDefaults(Cluster cluster, ClusterServiceConnectDefaultsRequest defaults) {
        cluster.serviceConnectDefaults(serviceConnectDefaults(defaults));
    }

    public void putCapacityProviders(Cluster cluster, List<String> providers, List<CapacityProviderStrategyItem> strategy) {
        validateProviders(providers, strategy);
        cluster.capacityProviders(providers, strategy);
    }

    private void validateProviders(List<String> providers, List<CapacityProviderStrategyItem> strategy) {
        if (providers.size() > 20) {
            throw EcsErrors.invalidParameter("The maximum number of capacity providers per cluster has been exceeded.");
        }
        for (String provider : providers) {
            if (provider == null || !capacityProviderExists.test(provider)) {
                throw EcsErrors.invalidParameter("The specified capacity provider was not found. Specify a valid capacity provider"
                        + " and try again. ('" + provider + "' is neither FARGATE, FARGATE_SPOT nor a capacity provider of this account.)");
            }
        }
        if (providers.stream().distinct().count() != providers.size()) {
            throw EcsErrors.invalidParameter("The list of capacity providers contains a capacity provider more than once.");
        }
        CapacityProviderStrategies.validate(strategy, providers);
    }

    private static List<ClusterSetting> mergeSettings(List<ClusterSetting> current, List<ClusterSetting> updates) {
        Map<String, ClusterSetting> byName = new LinkedHashMap<>();
        current.forEach(s -> byName.put(s.nameAsString(), s));
        if (updates != null) {
            for (ClusterSetting s : updates) {
                if (s.name() == ClusterSettingName.CONTAINER_INSIGHTS && (s.value() == null || !INSIGHTS_VALUES.contains(s.value()))) {
                    throw EcsErrors.invalidParameter("The value '" + s.value() + "' is not valid for cluster setting containerInsights."
                            + " Valid values are: enabled, disabled, enhanced.");
                }
                byName.put(s.nameAsString(), s);
            }
        }
        return new ArrayList<>(byName.values());
    }

    private static List<ClusterSetting> withDefaultInsights(List<ClusterSetting> settings, String containerInsightsDefault) {
        boolean given = settings.stream().anyMatch(s -> s.name() == ClusterSettingName.CONTAINER_INSIGHTS);
        if (given) {
            return settings;
        }
        List<ClusterSetting> out = new ArrayList<>(settings);
        out.add(ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value(containerInsightsDefault).build());
        return out;
    }

    private ClusterServiceConnectDefaults serviceConnectDefaults(ClusterServiceConnectDefaultsRequest request) {
        if (request == null || request.namespace() == null) {
            return null;
        }
        String namespace = request.namespace();
        String arn = namespace.startsWith("arn:") ? namespace
                : "arn:aws:servicediscovery:" + scope.region() + ":" + scope.account() + ":namespace/" + namespace;
        return ClusterServiceConnectDefaults.builder().namespace(arn).build();
    }
}
