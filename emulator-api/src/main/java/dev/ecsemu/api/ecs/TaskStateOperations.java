package dev.ecsemu.api.ecs;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.Tasks;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.GetTaskProtectionRequest;
import software.amazon.awssdk.services.ecs.model.GetTaskProtectionResponse;
import software.amazon.awssdk.services.ecs.model.ProtectedTask;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeResponse;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeResponse;
import software.amazon.awssdk.services.ecs.model.UpdateTaskProtectionRequest;
import software.amazon.awssdk.services.ecs.model.UpdateTaskProtectionResponse;

/**
 * Task scale-in protection, and the container agent's state-change submissions. The emulator is its
 * own agent: it learns task and container state from the container engine, so submissions are
 * checked and acknowledged but do not change what the emulator reports.
 */
public final class TaskStateOperations {
    private static final int DEFAULT_PROTECTION_MINUTES = 120;
    private static final int MAX_PROTECTION_MINUTES = 2880;
    private final Clock clock;

    public TaskStateOperations(Clock clock) {
        this.clock = clock;
    }

    public UpdateTaskProtectionResponse updateTaskProtection(UpdateTaskProtectionRequest r, RequestContext ctx) {
        int minutes = r.expiresInMinutes() == null ? DEFAULT_PROTECTION_MINUTES : r.expiresInMinutes();
        if (minutes < 1 || minutes > MAX_PROTECTION_MINUTES) {
            throw EcsErrors.invalidParameter("expiresInMinutes must be between 1 and " + MAX_PROTECTION_MINUTES + " (was " + minutes + ").");
        }
        checkTaskCount(r.tasks());
        boolean enable = Boolean.TRUE.equals(r.protectionEnabled());
        return ctx.store().write(state -> {
            List<Failure> failures = new ArrayList<>();
            List<ProtectedTask> done = new ArrayList<>();
            for (Task task : protectable(state, r.cluster(), r.tasks(), failures)) {
                state.tasks().protect(task, enable ? clock.instant().plus(Duration.ofMinutes(minutes)) : null);
                done.add(view(state, task));
            }
            return UpdateTaskProtectionResponse.builder().protectedTasks(done).failures(failures).build();
        });
    }

    public GetTaskProtectionResponse getTaskProtection(GetTaskProtectionRequest r, RequestContext ctx) {
        if (r.hasTasks()) {
            checkTaskCount(r.tasks());
        }
        return ctx.store().read(state -> {
            List<Failure> failures = new ArrayList<>();
            List<ProtectedTask> found = new ArrayList<>();
            for (Task task : protectable(state, r.cluster(), r.tasks(), failures)) {
                found.add(view(state, task));
            }
            return GetTaskProtectionResponse.builder().protectedTasks(found).failures(failures).build();
        });
    }

    public SubmitTaskStateChangeResponse submitTaskStateChange(SubmitTaskStateChangeRequest r, RequestContext ctx) {
        return SubmitTaskStateChangeResponse.builder().acknowledgment(acknowledge(ctx, r.cluster(), r.task())).build();
    }

    public SubmitContainerStateChangeResponse submitContainerStateChange(SubmitContainerStateChangeRequest r, RequestContext ctx) {
        return SubmitContainerStateChangeResponse.builder().acknowledgment(acknowledge(ctx, r.cluster(), r.task())).build();
    }

    /** A state change is acknowledged once its cluster and task are known; it changes nothing. */
    private static String acknowledge(RequestContext ctx, String clusterRef, String taskRef) {
        return ctx.store().read(state -> {
            Cluster cluster = state.clusters().active(clusterRef);
            if (taskRef != null && state.tasks().find(cluster, taskRef).isEmpty()) {
                throw EcsErrors.invalidParameter("The referenced task was not found.");
            }
            return "ACK";
        });
    }

    /** The tasks named that can be protected; the others become ECS's failures (MISSING, TASK_NOT_VALID). */
    private static List<Task> protectable(RegionState state, String clusterRef, List<String> refs, List<Failure> failures) {
        Cluster cluster = state.clusters().active(clusterRef);
        List<Task> tasks = new ArrayList<>();
        for (String ref : refs) {
            Optional<Task> task = state.tasks().find(cluster, ref);
            if (task.isEmpty()) {
                failures.add(Failure.builder().arn(ref).reason("MISSING").build());
            } else if (!Tasks.protectable(task.get())) {
                failures.add(Failure.builder().arn(task.get().arn()).reason("TASK_NOT_VALID")
                        .detail("The task is not part of an Amazon ECS service or has stopped.").build());
            } else {
                tasks.add(task.get());
            }
        }
        return tasks;
    }

    private static void checkTaskCount(List<String> tasks) {
        if (tasks.isEmpty() || tasks.size() > 10) {
            throw EcsErrors.invalidParameter("Give 1 to 10 tasks (got " + tasks.size() + ").");
        }
    }

    private ProtectedTask view(RegionState state, Task task) {
        boolean on = state.tasks().isProtected(task);
        return ProtectedTask.builder().taskArn(task.arn()).protectionEnabled(on)
                .expirationDate(on ? task.protectedUntil() : null).build();
    }
}
