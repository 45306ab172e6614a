package dev.ecsemu.api.ecs;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.cluster.Clusters;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.state.Page;
import dev.ecsemu.core.tag.Tags;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.CreateClusterResponse;
import software.amazon.awssdk.services.ecs.model.DeleteClusterRequest;
import software.amazon.awssdk.services.ecs.model.DeleteClusterResponse;
import software.amazon.awssdk.services.ecs.model.DescribeClustersRequest;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ListClustersRequest;
import software.amazon.awssdk.services.ecs.model.ListClustersResponse;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersResponse;
import software.amazon.awssdk.services.ecs.model.UpdateClusterRequest;
import software.amazon.awssdk.services.ecs.model.UpdateClusterResponse;
import software.amazon.awssdk.services.ecs.model.UpdateClusterSettingsRequest;
import software.amazon.awssdk.services.ecs.model.UpdateClusterSettingsResponse;

/** CreateCluster, DescribeClusters, ListClusters, DeleteCluster, UpdateCluster, UpdateClusterSettings, PutClusterCapacityProviders. */
public final class ClusterOperations {
    private static final int MAX_DESCRIBE = 100;

    public CreateClusterResponse createCluster(CreateClusterRequest r, RequestContext ctx) {
        Tags.validate(r.tags());
        return ctx.store().write(state -> {
            boolean existed = state.clusters().find(r.clusterName()).filter(Cluster::isActive).isPresent();
            Cluster cluster = state.createCluster(new Clusters.Spec(r.clusterName(), r.settings(), r.configuration(),
                    r.capacityProviders(), r.defaultCapacityProviderStrategy(), r.serviceConnectDefaults()));
            if (!existed) {
                state.tags().tag(cluster.arn(), r.tags());
            }
            return CreateClusterResponse.builder().cluster(ClusterView.of(state, cluster, ClusterView.EVERYTHING)).build();
        });
    }

    public DescribeClustersResponse describeClusters(DescribeClustersRequest r, RequestContext ctx) {
        List<String> names = r.clusters().isEmpty() ? java.util.Collections.singletonList(null) : r.clusters();
        if (names.size() > MAX_DESCRIBE) {
            throw EcsErrors.invalidParameter("DescribeClusters takes at most " + MAX_DESCRIBE + " clusters; " + names.size() + " were given.");
        }
        Set<ClusterField> include = r.include().isEmpty() ? Set.of() : EnumSet.copyOf(r.include());
        return ctx.store().read(state -> {
            List<software.amazon.awssdk.services.ecs.model.Cluster> clusters = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String name : names) {
                Optional<Cluster> cluster = state.clusters().find(name);
                if (cluster.isPresent()) {
                    clusters.add(ClusterView.of(state, cluster.get(), include));
                } else {
                    failures.add(Failure.builder().arn(state.clusters().arnFor(name)).reason("MISSING").build());
                }
            }
            return DescribeClustersResponse.builder().clusters(clusters).failures(failures).build();
        });
    }

    public ListClustersResponse listClusters(ListClustersRequest r, RequestContext ctx) {
        return ctx.store().read(state -> {
            Page<Cluster> page = Page.of(state.clusters().listActive(), Cluster::arn, r.maxResults(), r.nextToken(), 100, 100);
            List<String> arns = new ArrayList<>(page.items().size());
            page.items().forEach(c -> arns.add(c.arn()));
            return ListClustersResponse.builder().clusterArns(arns).nextToken(page.nextToken()).build();
        });
    }

    public DeleteClusterResponse deleteCluster(DeleteClusterRequest r, RequestContext ctx) {
        return ctx.store().write(state -> {
            Cluster cluster = state.deleteCluster(r.cluster());
            return DeleteClusterResponse.builder().cluster(ClusterView.of(state, cluster, Set.of())).build();
        });
    }

    public UpdateClusterResponse updateCluster(UpdateClusterRequest r, RequestContext ctx) {
        return ctx.store().write(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            if (r.hasSettings()) {
                state.clusters().updateSettings(cluster, r.settings());
            }
            if (r.configuration() != null) {
                state.clusters().updateConfiguration(cluster, r.configuration());
            }
            if (r.serviceConnectDefaults() != null) {
                state.clusters().updateServiceConnectDefaults(cluster, r.serviceConnectDefaults());
            }
            return UpdateClusterResponse.builder().cluster(ClusterView.of(state, cluster, ClusterView.EVERYTHING)).build();
        });
    }

    public UpdateClusterSettingsResponse updateClusterSettings(UpdateClusterSettingsRequest r, RequestContext ctx) {
        return ctx.store().write(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            state.clusters().updateSettings(cluster, r.settings());
            return UpdateClusterSettingsResponse.builder()
                    .cluster(ClusterView.of(state, cluster, EnumSet.of(ClusterField.SETTINGS)))
                    .build();
        });
    }

    public PutClusterCapacityProvidersResponse putClusterCapacityProviders(PutClusterCapacityProvidersRequest r, RequestContext ctx) {
        return ctx.store().write(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            state.putClusterCapacityProviders(cluster, r.capacityProviders(), r.defaultCapacityProviderStrategy());
            return PutClusterCapacityProvidersResponse.builder()
                    .cluster(ClusterView.of(state, cluster, ClusterView.EVERYTHING))
                    .build();
        });
    }
}
