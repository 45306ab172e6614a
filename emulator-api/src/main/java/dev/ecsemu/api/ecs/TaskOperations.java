package dev.ecsemu.api.ecs;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.state.Page;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.state.TaskLauncher;
import dev.ecsemu.core.tag.Tags;
import dev.ecsemu.core.task.RuntimeCommand;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.TaskController;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.StartTaskRequest;
import software.amazon.awssdk.services.ecs.model.StartTaskResponse;
import software.amazon.awssdk.services.ecs.model.StopTaskRequest;
import software.amazon.awssdk.services.ecs.model.StopTaskResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/** RunTask, StartTask, StopTask, DescribeTasks, ListTasks. */
public final class TaskOperations {
    private static final int MAX_COUNT = 10;
    private static final int MAX_DESCRIBE = 100;

    private final TaskController controller;

    public TaskOperations(TaskController controller) {
        this.controller = controller;
    }

    public RunTaskResponse runTask(RunTaskRequest r, RequestContext ctx) {
        int count = r.count() == null ? 1 : r.count();
        if (count < 1 || count > MAX_COUNT) {
            throw EcsErrors.invalidParameter("count must be between 1 and " + MAX_COUNT + " (was " + count + ").");
        }
        Tags.validate(r.tags());
        TaskLauncher.TaskRequest request = new TaskLauncher.TaskRequest(r.cluster(), r.taskDefinition(), count, r.launchType(),
                r.group(), r.startedBy(), r.overrides(), r.clientToken(), null, r.placementConstraints(), r.placementStrategy(),
                r.networkConfiguration(), r.platformVersion(), r.capacityProviderStrategy());
        Result result = launch(ctx, request, r.tags(), r.propagateTags(), Boolean.TRUE.equals(r.enableECSManagedTags()));
        return RunTaskResponse.builder().tasks(result.tasks).failures(result.failures).build();
    }

    public StartTaskResponse startTask(StartTaskRequest r, RequestContext ctx) {
        if (r.containerInstances().isEmpty() || r.containerInstances().size() > MAX_COUNT) {
            throw EcsErrors.invalidParameter("StartTask takes 1 to " + MAX_COUNT + " container instances.");
        }
        Tags.validate(r.tags());
        TaskLauncher.TaskRequest request = new TaskLauncher.TaskRequest(r.cluster(), r.taskDefinition(), r.containerInstances().size(),
                null, r.group(), r.startedBy(), r.overrides(), null, r.containerInstances(), List.of(), List.of(), r.networkConfiguration(),
                null, List.of());
        Result result = launch(ctx, request, r.tags(), r.propagateTags(), Boolean.TRUE.equals(r.enableECSManagedTags()));
        return StartTaskResponse.builder().tasks(result.tasks).failures(result.failures).build();
    }

    private record Result(List<software.amazon.awssdk.services.ecs.model.Task> tasks, List<Failure> failures) {
    }

    private Result launch(RequestContext ctx, TaskLauncher.TaskRequest request, List<Tag> tags, PropagateTags propagate,
            boolean managedTags) {
        List<RuntimeCommand> commands = new ArrayList<>();
        Result result = ctx.store().write(state -> {
            checkMergedTags(state, request, tags, propagate);
            TaskLauncher.Launch launch = state.taskLauncher().launch(request);
            List<software.amazon.awssdk.services.ecs.model.Task> views = new ArrayList<>();
            for (Task t : launch.tasks()) {
                if (propagate == PropagateTags.TASK_DEFINITION) {
                    state.tags().tag(t.arn(), state.tags().of(t.taskDefinition().taskDefinitionArn()));
                }
                state.tags().tag(t.arn(), tags);
                if (managedTags) {
                    state.tags().tagManaged(t.arn(), "aws:ecs:clusterName", t.clusterName());
                }
                views.add(TaskView.of(state, t, true));
            }
            commands.addAll(launch.commands());
            return new Result(views, launch.failures());
        });
        controller.execute(commands);
        return result;
    }

    /** The tags a task would get, counted before anything is created, so a refusal leaves nothing behind. */
    private static void checkMergedTags(RegionState state, TaskLauncher.TaskRequest request, List<Tag> tags, PropagateTags propagate) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        if (propagate == PropagateTags.TASK_DEFINITION) {
            state.taskDefinitions().find(request.taskDefinition())
                    .ifPresent(td -> state.tags().of(td.taskDefinitionArn()).forEach(t -> keys.add(t.key())));
        }
        tags.forEach(t -> keys.add(t.key()));
        Tags.validate(keys.stream().map(k -> Tag.builder().key(k).value("").build()).toList());
    }

    public StopTaskResponse stopTask(StopTaskRequest r, RequestContext ctx) {
        List<RuntimeCommand> commands = new ArrayList<>();
        StopTaskResponse response = ctx.store().write(state -> {
            state.purgeExpiredTasks();
            Cluster cluster = state.clusters().active(r.cluster());
            Task task = state.tasks().find(cluster, r.task())
                    .orElseThrow(() -> EcsErrors.invalidParameter("The referenced task was not found."));
            String reason = r.reason() == null || r.reason().isEmpty() ? "Task stopped by user" : r.reason();
            commands.addAll(state.lifecycle().requestStop(task, TaskStopCode.USER_INITIATED, reason));
            // ECS answers with lastStatus unchanged; the task shows STOPPING from the next read on.
            StopTaskResponse answer = StopTaskResponse.builder().task(TaskView.of(state, task, false)).build();
            state.lifecycle().beginStopping(task);
            return answer;
        });
        controller.execute(commands);
        return response;
    }

    public DescribeTasksResponse describeTasks(DescribeTasksRequest r, RequestContext ctx) {
        if (r.tasks().isEmpty()) {
            throw EcsErrors.invalidParameter("Tasks cannot be empty.");
        }
        if (r.tasks().size() > MAX_DESCRIBE) {
            throw EcsErrors.invalidParameter("DescribeTasks takes at most " + MAX_DESCRIBE + " tasks; " + r.tasks().size()
                    + " were given.");
        }
        boolean withTags = r.include().contains(TaskField.TAGS);
        return ctx.store().read(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            List<software.amazon.awssdk.services.ecs.model.Task> found = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String ref : r.tasks()) {
                Optional<Task> task = state.tasks().find(cluster, ref);
                if (task.isPresent()) {
                    found.add(TaskView.of(state, task.get(), withTags));
                } else {
                    String arn = ref.startsWith("arn:") ? ref
                            : "arn:aws:ecs:" + ctx.scope().region() + ":" + ctx.scope().account() + ":task/" + cluster.name() + "/" + ref;
                    failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                }
            }
            return DescribeTasksResponse.builder().tasks(found).failures(failures).build();
        });
    }

    public ListTasksResponse listTasks(ListTasksRequest r, RequestContext ctx) {
        boolean otherFilters = r.family() != null || r.serviceName() != null || r.containerInstance() != null
                || r.desiredStatus() != null || r.launchType() != null;
        if (r.startedBy() != null && otherFilters) {
            throw EcsErrors.invalidParameter("startedBy must be the only filter when it is given.");
        }
        String desired = r.desiredStatus() == null ? DesiredStatus.RUNNING.toString() : r.desiredStatusAsString();
        return ctx.store().read(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            ContainerInstance instance = null;
            if (r.containerInstance() != null) {
                instance = state.containerInstances().find(cluster.arn(), r.containerInstance())
                        .orElseThrow(() -> EcsErrors.invalidParameter("The referenced container instance was not found."));
            }
            List<Task> matching = new ArrayList<>();
            for (Task t : state.tasks().inCluster(cluster.arn())) {
                if (r.startedBy() != null) {
                    if (!r.startedBy().equals(t.startedBy())) {
                        continue;
                    }
                } else {
                    if (!desired.equals(t.desiredStatus())
                            || (r.family() != null && !r.family().equals(t.taskDefinition().family()))
                            || (r.serviceName() != null && !("service:" + r.serviceName()).equals(t.group()))
                            || (instance != null && t.containerInstance() != instance)
                            || (r.launchType() != null && r.launchType() != t.launchType())) {
                        continue;
                    }
                }
                matching.add(t);
            }
            Page<Task> page = Page.of(matching, Task::arn, r.maxResults(), r.nextToken(), 100, 100);
            List<String> arns = new ArrayList<>();
            page.items().forEach(t -> arns.add(t.arn()));
            return ListTasksResponse.builder().taskArns(arns).nextToken(page.nextToken()).build();
        });
    }
}
