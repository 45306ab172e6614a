package dev.ecsemu.api.ecs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.ContainerInstances;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.placement.ContainerInstanceCandidate;
import dev.ecsemu.core.placement.query.ClusterQuery;
import dev.ecsemu.core.state.Page;
import dev.ecsemu.core.tag.Tags;
import dev.ecsemu.core.task.RuntimeCommand;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.service.ServiceController;
import dev.ecsemu.core.task.TaskController;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.UpdateContainerInstancesStateRequest;
import software.amazon.awssdk.services.ecs.model.UpdateContainerInstancesStateResponse;
import software.amazon.awssdk.services.ecs.model.DeregisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.DeregisterContainerInstanceResponse;
import software.amazon.awssdk.services.ecs.model.DescribeContainerInstancesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeContainerInstancesResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ListContainerInstancesRequest;
import software.amazon.awssdk.services.ecs.model.ListContainerInstancesResponse;
import software.amazon.awssdk.services.ecs.model.RegisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.RegisterContainerInstanceResponse;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/** RegisterContainerInstance, DescribeContainerInstances, ListContainerInstances, DeregisterContainerInstance. */
public final class ContainerInstanceOperations {
    private static final JsonFactory JSON = new JsonFactory();
    private final TaskController controller;

    private final ServiceController services;

    /** @param services told when instances come, go or change state: daemons follow instances, draining moves service tasks */
    public ContainerInstanceOperations(TaskController controller, ServiceController services) {
        this.controller = controller;
        this.services = services;
    }

    public RegisterContainerInstanceResponse registerContainerInstance(RegisterContainerInstanceRequest r, RequestContext ctx) {
        Tags.validate(r.tags());
        Map<String, String> identity = identityDocument(r.instanceIdentityDocument());
        Integer cpu = null;
        Integer memory = null;
        for (Resource res : r.totalResources()) {
            if ("CPU".equals(res.name())) {
                cpu = res.integerValue();
            } else if ("MEMORY".equals(res.name())) {
                memory = res.integerValue();
            }
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Attribute a : r.attributes()) {
            attributes.put(a.name(), a.value());
        }
        ContainerInstances.Spec spec = new ContainerInstances.Spec(identity.get("instanceId"), identity.get("instanceType"),
                identity.get("availabilityZone"), cpu, memory, null, attributes);
        RegisterContainerInstanceResponse response = ctx.store().write(state -> {
            ContainerInstance ci = state.registerContainerInstance(r.cluster(), spec);
            state.tags().tag(ci.arn(), r.tags());
            return RegisterContainerInstanceResponse.builder().containerInstance(ContainerInstanceView.of(state, ci, true)).build();
        });
        services.kick(ctx.scope());
        return response;
    }

    public DescribeContainerInstancesResponse describeContainerInstances(DescribeContainerInstancesRequest r, RequestContext ctx) {
        if (r.containerInstances().size() > 100) {
            throw EcsErrors.invalidParameter("DescribeContainerInstances takes at most 100 container instances.");
        }
        boolean withTags = r.includeAsStrings().contains("TAGS");
        return ctx.store().read(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            List<software.amazon.awssdk.services.ecs.model.ContainerInstance> found = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String ref : r.containerInstances()) {
                state.containerInstances().find(cluster.arn(), ref).ifPresentOrElse(
                        ci -> found.add(ContainerInstanceView.of(state, ci, withTags)),
                        () -> failures.add(Failure.builder().arn(ref).reason("MISSING").build()));
            }
            return DescribeContainerInstancesResponse.builder().containerInstances(found).failures(failures).build();
        });
    }

    public ListContainerInstancesResponse listContainerInstances(ListContainerInstancesRequest r, RequestContext ctx) {
        ClusterQuery filter = r.filter() == null ? null : ClusterQuery.parse(r.filter());
        return ctx.store().read(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            List<ContainerInstance> matching = new ArrayList<>();
            for (ContainerInstance ci : state.containerInstances().registered(cluster.arn())) {
                if ((r.status() == null || r.statusAsString().equals(ci.status()))
                        && (filter == null || filter.test(new ContainerInstanceCandidate(ci)))) {
                    matching.add(ci);
                }
            }
            Page<ContainerInstance> page = Page.of(matching, ContainerInstance::arn, r.maxResults(), r.nextToken(), 100, 100);
            List<String> arns = new ArrayList<>();
            page.items().forEach(ci -> arns.add(ci.arn()));
            return ListContainerInstancesResponse.builder().containerInstanceArns(arns).nextToken(page.nextToken()).build();
        });
    }

    public DeregisterContainerInstanceResponse deregisterContainerInstance(DeregisterContainerInstanceRequest r, RequestContext ctx) {
        List<RuntimeCommand> commands = new ArrayList<>();
        DeregisterContainerInstanceResponse response = ctx.store().write(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            ContainerInstance ci = state.containerInstances().find(cluster.arn(), r.containerInstance())
                    .orElseThrow(() -> EcsErrors.invalidParameter("The referenced container instance "
                            + r.containerInstance() + " was not found."));
            List<Task> live = new ArrayList<>();
            for (Task t : state.tasks().inCluster(cluster.arn())) {
                if (t.containerInstance() == ci && !t.isStopped()) {
                    live.add(t);
                }
            }
            if (!live.isEmpty() && !Boolean.TRUE.equals(r.force())) {
                throw EcsErrors.invalidParameter("Found running tasks on the instance. Stop them first, or deregister with force.");
            }
            for (Task t : live) {
                commands.addAll(state.lifecycle().requestStop(t, TaskStopCode.TERMINATION_NOTICE,
                        "Container instance deregistration forced by user"));
                state.lifecycle().beginStopping(t);
            }
            state.containerInstances().deregister(ci);
            return DeregisterContainerInstanceResponse.builder().containerInstance(ContainerInstanceView.of(state, ci, false)).build();
        });
        controller.execute(commands);
        services.kick(ctx.scope());
        return response;
    }

    public UpdateContainerInstancesStateResponse updateContainerInstancesState(UpdateContainerInstancesStateRequest r,
            RequestContext ctx) {
        if (r.status() != ContainerInstanceStatus.ACTIVE && r.status() != ContainerInstanceStatus.DRAINING) {
            throw EcsErrors.invalidParameter("Container instances can only be set to ACTIVE or DRAINING (got " + r.statusAsString() + ").");
        }
        if (r.containerInstances().isEmpty() || r.containerInstances().size() > 10) {
            throw EcsErrors.invalidParameter("Give 1 to 10 container instances (got " + r.containerInstances().size() + ").");
        }
        UpdateContainerInstancesStateResponse response = ctx.store().write(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            List<software.amazon.awssdk.services.ecs.model.ContainerInstance> updated = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String ref : r.containerInstances()) {
                ContainerInstance ci = state.containerInstances().find(cluster.arn(), ref)
                        .filter(c -> !ContainerInstance.INACTIVE.equals(c.status())).orElse(null);
                if (ci == null) {
                    failures.add(Failure.builder().arn(ref).reason("MISSING").build());
                    continue;
                }
                if (!r.statusAsString().equals(ci.status())) {
                    // DRAINING: nothing new is placed here. Standalone tasks keep running, as in ECS; the service
                    // scheduler replaces service tasks elsewhere within the services' deployment bounds.
                    state.containerInstances().setStatus(ci, r.statusAsString());
                }
                updated.add(ContainerInstanceView.of(state, ci, false));
            }
            return UpdateContainerInstancesStateResponse.builder().containerInstances(updated).failures(failures).build();
        });
        services.kick(ctx.scope());
        return response;
    }

    /** The fields of an EC2 instance identity document (a flat JSON object) that matter here. */
    private static Map<String, String> identityDocument(String document) {
        Map<String, String> out = new HashMap<>();
        if (document == null || document.isBlank()) {
            return out;
        }
        try (JsonParser p = JSON.createParser(document)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw EcsErrors.invalidParameter("instanceIdentityDocument must be a JSON object.");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_STRING) {
                    out.put(name, p.getText());
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw EcsErrors.invalidParameter("instanceIdentityDocument is not valid JSON: " + e.getMessage());
        }
        return out;
    }
}
