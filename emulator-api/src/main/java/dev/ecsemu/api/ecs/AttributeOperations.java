package dev.ecsemu.api.ecs;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.state.Page;
import dev.ecsemu.core.state.RegionState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.DeleteAttributesRequest;
import software.amazon.awssdk.services.ecs.model.DeleteAttributesResponse;
import software.amazon.awssdk.services.ecs.model.ListAttributesRequest;
import software.amazon.awssdk.services.ecs.model.ListAttributesResponse;
import software.amazon.awssdk.services.ecs.model.PutAttributesRequest;
import software.amazon.awssdk.services.ecs.model.PutAttributesResponse;
import software.amazon.awssdk.services.ecs.model.TargetNotFoundException;
import software.amazon.awssdk.services.ecs.model.TargetType;

/** PutAttributes, ListAttributes, DeleteAttributes on container instances. */
public final class AttributeOperations {

    public PutAttributesResponse putAttributes(PutAttributesRequest r, RequestContext ctx) {
        return ctx.store().write(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            // Resolve and check everything first, so a refused call changes nothing.
            Map<ContainerInstance, Map<String, String>> byInstance = new LinkedHashMap<>();
            for (Attribute a : r.attributes()) {
                ContainerInstance ci = target(state, cluster, a);
                byInstance.computeIfAbsent(ci, k -> new LinkedHashMap<>()).put(a.name(), a.value());
            }
            for (Map.Entry<ContainerInstance, Map<String, String>> e : byInstance.entrySet()) {
                state.containerInstances().checkAttributes(e.getKey(), e.getValue());
            }
            byInstance.forEach((ci, attributes) -> state.containerInstances().putAttributes(ci, attributes));
            return PutAttributesResponse.builder().attributes(r.attributes()).build();
        });
    }

    public DeleteAttributesResponse deleteAttributes(DeleteAttributesRequest r, RequestContext ctx) {
        return ctx.store().write(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            Map<ContainerInstance, String> targets = new LinkedHashMap<>();
            for (Attribute a : r.attributes()) {
                ContainerInstance ci = target(state, cluster, a);
                if (a.name() == null || a.name().startsWith("ecs.")) {
                    throw EcsErrors.invalidParameter("Attribute " + a.name() + " is set by the container agent and cannot be deleted.");
                }
                targets.put(ci, a.name());
            }
            targets.forEach((ci, name) -> state.containerInstances().deleteAttribute(ci, name));
            return DeleteAttributesResponse.builder().attributes(r.attributes()).build();
        });
    }

    public ListAttributesResponse listAttributes(ListAttributesRequest r, RequestContext ctx) {
        if (r.attributeValue() != null && r.attributeName() == null) {
            throw EcsErrors.invalidParameter("attributeValue can only be given with attributeName.");
        }
        return ctx.store().read(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            List<Attribute> out = new ArrayList<>();
            for (ContainerInstance ci : state.containerInstances().registered(cluster.arn())) {
                for (Map.Entry<String, String> e : ci.attributes().entrySet()) {
                    if ((r.attributeName() == null || r.attributeName().equals(e.getKey()))
                            && (r.attributeValue() == null || r.attributeValue().equals(e.getValue()))) {
                        out.add(Attribute.builder().name(e.getKey()).value(e.getValue())
                                .targetType(TargetType.CONTAINER_INSTANCE).targetId(ci.arn()).build());
                    }
                }
            }
            // Page needs the items in the order of their keys: instances in ARN order, each one's attributes by name.
            Function<Attribute, String> key = a -> a.targetId() + "|" + a.name();
            out.sort(Comparator.comparing(key));
            Page<Attribute> page = Page.of(out, key, r.maxResults(), r.nextToken(), 100, 100);
            return ListAttributesResponse.builder().attributes(page.items()).nextToken(page.nextToken()).build();
        });
    }

    private static ContainerInstance target(RegionState state, Cluster cluster, Attribute a) {
        if (a.targetType() != null && a.targetType() != TargetType.CONTAINER_INSTANCE) {
            throw EcsErrors.invalidParameter("Attributes can only be put on container instances (targetType container-instance).");
        }
        if (a.targetId() == null) {
            throw EcsErrors.invalidParameter("Attribute " + a.name() + " needs a targetId: the container instance's ARN or id.");
        }
        return state.containerInstances().find(cluster.arn(), a.targetId())
                .filter(ci -> !ContainerInstance.INACTIVE.equals(ci.status()))
                .orElseThrow(() -> ApiException.of(TargetNotFoundException.class, "Could not find the target "
                        + a.targetId() + " in cluster " + cluster.name() + "."));
    }
}
