package dev.ecsemu.api.ecs;

import dev.ecsemu.api.model.ShapeCopier;
import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.state.Page;
import dev.ecsemu.core.tag.Tags;
import dev.ecsemu.core.taskdefinition.TaskDefinitions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.DeleteTaskDefinitionsRequest;
import software.amazon.awssdk.services.ecs.model.DeleteTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.DeregisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DeregisterTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionFamiliesRequest;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionFamiliesResponse;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsRequest;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionFamilyStatus;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/** RegisterTaskDefinition, DescribeTaskDefinition, ListTaskDefinitions, ListTaskDefinitionFamilies, DeregisterTaskDefinition, DeleteTaskDefinitions. */
public final class TaskDefinitionOperations {

    public RegisterTaskDefinitionResponse registerTaskDefinition(RegisterTaskDefinitionRequest r, RequestContext ctx) {
        Tags.validate(r.tags());
        // Every member the request shares with TaskDefinition is kept as given: all of them round-trip.
        TaskDefinition draft = ShapeCopier.copy(r, TaskDefinition.builder());
        return ctx.store().write(state -> {
            TaskDefinition registered = state.taskDefinitions().register(draft);
            state.tags().tag(registered.taskDefinitionArn(), r.tags());
            return RegisterTaskDefinitionResponse.builder()
                    .taskDefinition(registered)
                    .tags(state.tags().of(registered.taskDefinitionArn()))
                    .build();
        });
    }

    public DescribeTaskDefinitionResponse describeTaskDefinition(DescribeTaskDefinitionRequest r, RequestContext ctx) {
        return ctx.store().read(state -> {
            TaskDefinition td = state.taskDefinitions().describe(r.taskDefinition());
            DescribeTaskDefinitionResponse.Builder b = DescribeTaskDefinitionResponse.builder().taskDefinition(td);
            if (r.include().contains(TaskDefinitionField.TAGS)) {
                b.tags(state.tags().of(td.taskDefinitionArn()));
            }
            return b.build();
        });
    }

    public ListTaskDefinitionsResponse listTaskDefinitions(ListTaskDefinitionsRequest r, RequestContext ctx) {
        TaskDefinitionStatus status = r.status() == null ? TaskDefinitionStatus.ACTIVE : r.status();
        boolean descending = r.sort() == SortOrder.DESC;
        return ctx.store().read(state -> {
            List<TaskDefinition> all = new ArrayList<>(state.taskDefinitions().list(r.familyPrefix(), status));
            Comparator<String> order = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
            all.sort(Comparator.comparing(TaskDefinitions::sortKey, order));
            Page<TaskDefinition> page = Page.of(all, TaskDefinitions::sortKey, order, r.maxResults(), r.nextToken(), 100, 100);
            List<String> arns = new ArrayList<>(page.items().size());
            page.items().forEach(td -> arns.add(td.taskDefinitionArn()));
            return ListTaskDefinitionsResponse.builder().taskDefinitionArns(arns).nextToken(page.nextToken()).build();
        });
    }

    public ListTaskDefinitionFamiliesResponse listTaskDefinitionFamilies(ListTaskDefinitionFamiliesRequest r, RequestContext ctx) {
        TaskDefinitionFamilyStatus status = r.status() == null ? TaskDefinitionFamilyStatus.ALL : r.status();
        return ctx.store().read(state -> {
            List<String> families = state.taskDefinitions().families(r.familyPrefix(), status);
            Page<String> page = Page.of(families, f -> f, r.maxResults(), r.nextToken(), 100, 100);
            return ListTaskDefinitionFamiliesResponse.builder().families(page.items()).nextToken(page.nextToken()).build();
        });
    }

    public DeregisterTaskDefinitionResponse deregisterTaskDefinition(DeregisterTaskDefinitionRequest r, RequestContext ctx) {
        return ctx.store().write(state -> DeregisterTaskDefinitionResponse.builder()
                .taskDefinition(state.taskDefinitions().deregister(r.taskDefinition()))
                .build());
    }

    public DeleteTaskDefinitionsResponse deleteTaskDefinitions(DeleteTaskDefinitionsRequest r, RequestContext ctx) {
        return ctx.store().write(state -> {
            TaskDefinitions.Deletion deletion = state.taskDefinitions().delete(r.taskDefinitions());
            deletion.deleted().forEach(td -> state.tags().forget(td.taskDefinitionArn()));
            return DeleteTaskDefinitionsResponse.builder()
                    .taskDefinitions(deletion.deleted())
                    .failures(deletion.failures())
                    .build();
        });
    }
}
