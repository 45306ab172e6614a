package dev.ecsemu.core.task;

import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.runtime.ContainerSpec;
import dev.ecsemu.core.runtime.TaskAddress;
import dev.ecsemu.core.runtime.TaskNetworkSpec;
import dev.ecsemu.core.taskdefinition.TaskSize;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.ContainerCondition;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerDependency;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;
import software.amazon.awssdk.services.ecs.model.VolumeFrom;

/**
 * The task state machine. Each step applies one event to a task (under the store's lock) and
 * answers what the runtime must do next: start the containers whose dependencies are now met, stop
 * the others when an essential container exits, remove the containers of a stopped task.
 */
public final class TaskLifecycle {
    /** The ECS agent's default time between SIGTERM and SIGKILL. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
    /** The longest a Fargate task's container may take to stop after SIGTERM. */
    static final Duration FARGATE_MAX_STOP_TIMEOUT = Duration.ofSeconds(120);

    private final Clock clock;

    public TaskLifecycle(Clock clock) {
        this.clock = clock;
    }

    /**
     * A new task: start every container whose dependencies allow it. An awsvpc task first gets its
     * network; its containers start once that is attached ({@link #onNetworkAttached}).
     */
    public List<RuntimeCommand> launch(Task task) {
        List<RuntimeCommand> commands = new ArrayList<>();
        if (task.attachment() != null && !task.attachment().isAttached()) {
            commands.add(new RuntimeCommand.AttachTaskNetwork(networkSpec(task)));
            return commands;
        }
        startReadyContainers(task, commands);
        return commands;
    }

    /** The awsvpc task's interface is attached: its containers may start. */
    public List<RuntimeCommand> onNetworkAttached(Task task, TaskAddress address) {
        List<RuntimeCommand> commands = new ArrayList<>();
        NetworkAttachment eni = task.attachment();
        if (eni == null || eni.privateIpv4Address() != null) {
            return commands;
        }
        if (task.isStopped()) {
            // Stopped while its network was being set up: release it now, and remove again in case the runtime's
            // removal of the task came first.
            commands.add(new RuntimeCommand.ReleaseTaskNetwork(task.arn()));
            commands.add(new RuntimeCommand.RemoveTaskLater(task.arn()));
            return commands;
        }
        eni.attached(address);
        task.changed();
        if (task.lastStatus().before(TaskStatus.PENDING)) {
            task.lastStatus(TaskStatus.PENDING);
        }
        if (Task.DESIRED_RUNNING.equals(task.desiredStatus())) {
            startReadyContainers(task, commands);
        }
        return commands;
    }

    /** The awsvpc task's network could not be set up: the task stops without starting a container. */
    public List<RuntimeCommand> onNetworkFailed(Task task, String reason) {
        List<RuntimeCommand> commands = new ArrayList<>();
        NetworkAttachment eni = task.attachment();
        if (eni == null || !NetworkAttachment.PRECREATED.equals(eni.status()) || task.isStopped()) {
            return commands;
        }
        eni.failed();
        task.executionStopped(now());
        commands.addAll(stop(task, TaskStopCode.TASK_FAILED_TO_START, reason));
        return commands;
    }

    /**
     * The holder of the awsvpc task's namespace stopped while the task should run. The ECS agent makes its
     * pause container an essential container of the task, so the task stops as when an essential container
     * exits; its own containers get SIGTERM, then SIGKILL.
     */
    public List<RuntimeCommand> onNetworkLost(Task task) {
        if (task.attachment() == null || task.isStopped() || !Task.DESIRED_RUNNING.equals(task.desiredStatus())) {
            return List.of();
        }
        task.executionStopped(now());
        return stop(task, TaskStopCode.ESSENTIAL_CONTAINER_EXITED, "Essential container in task exited");
    }

    public void onPullStarted(Task task, String containerName) {
        if (task.lastStatus().before(TaskStatus.PENDING)) {
            task.lastStatus(TaskStatus.PENDING);
        }
        task.pullStarted(now());
    }

    public void onPullStopped(Task task, String containerName, String imageDigest) {
        TaskContainer c = task.container(containerName);
        if (c != null) {
            c.imageDigest(imageDigest);
        }
        task.pullStopped(now());
    }

    public List<RuntimeCommand> onContainerStarted(Task task, String containerName, String runtimeId, List<NetworkBinding> bindings) {
        List<RuntimeCommand> commands = new ArrayList<>();
        TaskContainer c = task.container(containerName);
        if (c == null || c.isStopped()) {
            return commands;
        }
        c.started(runtimeId, bindings);
        task.changed();
        if (Task.DESIRED_STOPPED.equals(task.desiredStatus())) {
            // Started after the task was told to stop: stop it too (again, if a stop already went out while
            // it was starting), once nothing running depends on it.
            if (c.stopSent()) {
                commands.add(stop(task, c));
            } else {
                stopFreeContainers(task, commands);
            }
            return commands;
        }
        if (task.lastStatus().before(TaskStatus.ACTIVATING)) {
            task.lastStatus(TaskStatus.ACTIVATING);
            task.connected(now());
        }
        startReadyContainers(task, commands);
        maybeRunning(task);
        return commands;
    }

    public List<RuntimeCommand> onContainerHealth(Task task, String containerName, HealthStatus health) {
        List<RuntimeCommand> commands = new ArrayList<>();
        TaskContainer c = task.container(containerName);
        if (c == null || c.health() == health) {
            return commands;
        }
        c.health(health);
        task.changed();
        if (Task.DESIRED_RUNNING.equals(task.desiredStatus())) {
            startReadyContainers(task, commands);
            maybeRunning(task);
        }
        return commands;
    }

    public List<RuntimeCommand> onContainerStopped(Task task, String containerName, Integer exitCode, String reason) {
        List<RuntimeCommand> commands = new ArrayList<>();
        TaskContainer c = task.container(containerName);
        if (c == null || c.isStopped()) {
            return commands;
        }
        c.stopped(exitCode, reason);
        task.changed();
        if (Task.DESIRED_RUNNING.equals(task.desiredStatus())) {
            if (c.essential()) {
                task.executionStopped(now());
                commands.addAll(stop(task, TaskStopCode.ESSENTIAL_CONTAINER_EXITED, "Essential container in task exited"));
                return commands;
            }
            startReadyContainers(task, commands);
            maybeRunning(task);
        } else {
            stopFreeContainers(task, commands);
        }
        finishIfAllStopped(task, commands);
        return commands;
    }

    public List<RuntimeCommand> onContainerFailed(Task task, String containerName, String reason) {
        List<RuntimeCommand> commands = new ArrayList<>();
        TaskContainer c = task.container(containerName);
        if (c == null || c.isStopped()) {
            return commands;
        }
        c.stopped(null, reason);
        task.changed();
        if (Task.DESIRED_RUNNING.equals(task.desiredStatus())) {
            task.executionStopped(now());
            commands.addAll(stop(task, TaskStopCode.TASK_FAILED_TO_START, reason));
            return commands;
        }
        stopFreeContainers(task, commands);
        finishIfAllStopped(task, commands);
        return commands;
    }

    /**
     * A container's {@code startTimeout} has passed: if its dependencies are still unmet, it never
     * starts and the task stops, as the agent gives up on resolving them.
     */
    public List<RuntimeCommand> onStartTimeout(Task task, String containerName) {
        List<RuntimeCommand> commands = new ArrayList<>();
        TaskContainer c = task.container(containerName);
        if (c == null || c.startRequested() || c.isStopped() || !Task.DESIRED_RUNNING.equals(task.desiredStatus())) {
            return commands;
        }
        String waitingFor = String.join(", ", waitingOn(task, c));
        String reason = "CannotStartContainerError: dependency graph: container ordering dependency [" + waitingFor
                + "] for target [" + c.name() + "] has timed out.";
        c.stopped(null, reason);
        task.executionStopped(now());
        commands.addAll(stop(task, TaskStopCode.TASK_FAILED_TO_START, reason));
        return commands;
    }

    private List<String> waitingOn(Task task, TaskContainer c) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, ContainerCondition> dep : dependencies(c.definition()).entrySet()) {
            TaskContainer d = task.container(dep.getKey());
            if (d != null && met(d, dep.getValue()) != Readiness.READY) {
                names.add(d.name());
            }
        }
        return names;
    }

    /**
     * Sets the task's desired status to STOPPED and stops its containers. The task's lastStatus moves
     * on only in {@link #beginStopping}, so StopTask can answer with it unchanged, as ECS does.
     */
    public List<RuntimeCommand> requestStop(Task task, TaskStopCode code, String reason) {
        List<RuntimeCommand> commands = new ArrayList<>();
        if (Task.DESIRED_STOPPED.equals(task.desiredStatus())) {
            return commands;
        }
        task.desiredStopped(code, reason, now());
        for (TaskContainer c : task.containers()) {
            if (!c.isStopped() && !c.startRequested()) {
                c.stopped(null, null);
            }
        }
        stopFreeContainers(task, commands);
        finishIfAllStopped(task, commands);
        return commands;
    }

    /**
     * A Fargate Spot interruption: the task is told to stop with {@code SpotInterruption} and every
     * running container gets SIGTERM at once (the two-minute warning), then SIGKILL after its stopTimeout
     * (30 s unless set), or when {@code warning} is over if that comes first: the capacity is gone then.
     */
    public List<RuntimeCommand> interruptSpot(Task task, String reason, Duration warning) {
        List<RuntimeCommand> commands = new ArrayList<>();
        if (Task.DESIRED_STOPPED.equals(task.desiredStatus())) {
            return commands;
        }
        task.desiredStopped(TaskStopCode.SPOT_INTERRUPTION, reason, now());
        for (TaskContainer c : task.containers()) {
            if (c.isStopped()) {
                continue;
            }
            if (!c.startRequested()) {
                c.stopped(null, null);
            } else if (!c.stopSent()) {
                c.markStopSent();
                // SIGKILL follows after the container's stopTimeout, as on any stop, but no later than the warning's end.
                Duration timeout = stopTimeout(task, c);
                commands.add(new RuntimeCommand.StopContainer(task.arn(), c.name(), timeout.compareTo(warning) < 0 ? timeout : warning));
            }
        }
        finishIfAllStopped(task, commands);
        return commands;
    }

    /**
     * Shutdown runs in the reverse of start order: a container is sent SIGTERM once no container of
     * the task that depends on it (dependsOn, links, volumesFrom) is still running.
     */
    private void stopFreeContainers(Task task, List<RuntimeCommand> commands) {
        for (TaskContainer c : task.containers()) {
            if (c.isStopped() || !c.startRequested() || c.stopSent() || neededByARunningContainer(task, c)) {
                continue;
            }
            c.markStopSent();
            commands.add(stop(task, c));
        }
    }

    private static boolean neededByARunningContainer(Task task, TaskContainer c) {
        for (TaskContainer d : task.containers()) {
            if (d != c && !d.isStopped() && dependencies(d.definition()).containsKey(c.name())) {
                return true;
            }
        }
        return false;
    }

    /** After a stop was requested: the task shows that it is on its way down. */
    public void beginStopping(Task task) {
        if (!task.isStopped() && Task.DESIRED_STOPPED.equals(task.desiredStatus()) && task.lastStatus().before(TaskStatus.STOPPING)) {
            // DEACTIVATING is where load balancer targets drain; without one it passes at once.
            task.lastStatus(TaskStatus.DEACTIVATING);
            task.lastStatus(TaskStatus.STOPPING);
        }
    }

    private List<RuntimeCommand> stop(Task task, TaskStopCode code, String reason) {
        List<RuntimeCommand> commands = requestStop(task, code, reason);
        beginStopping(task);
        return commands;
    }

    private RuntimeCommand stop(Task task, TaskContainer c) {
        return new RuntimeCommand.StopContainer(task.arn(), c.name(), stopTimeout(task, c));
    }

    /** The container's stopTimeout, else the agent's 30 s; Fargate waits at most 120 s whatever the definition says. */
    static Duration stopTimeout(Task task, TaskContainer c) {
        Integer seconds = c.definition().stopTimeout();
        Duration timeout = seconds == null ? DEFAULT_STOP_TIMEOUT : Duration.ofSeconds(seconds);
        return task.launchType() == LaunchType.FARGATE && timeout.compareTo(FARGATE_MAX_STOP_TIMEOUT) > 0 ? FARGATE_MAX_STOP_TIMEOUT : timeout;
    }

    private void maybeRunning(Task task) {
        if (!task.lastStatus().before(TaskStatus.RUNNING)) {
            return;
        }
        boolean anyRunning = false;
        for (TaskContainer c : task.containers()) {
            if (!c.everStarted()) {
                return;
            }
            anyRunning |= c.isRunning();
        }
        if (anyRunning) {
            task.lastStatus(TaskStatus.RUNNING);
            task.running(now());
            ContainerInstance ci = task.containerInstance();
            if (ci != null) {
                ci.countTask(false, -1);
                ci.countTask(true, 1);
            }
        }
    }

    private void finishIfAllStopped(Task task, List<RuntimeCommand> commands) {
        if (task.isStopped()) {
            return;
        }
        for (TaskContainer c : task.containers()) {
            if (!c.isStopped()) {
                return;
            }
        }
        Instant at = now();
        boolean wasRunning = !task.lastStatus().before(TaskStatus.RUNNING) && task.startedAt() != null;
        task.executionStopped(at);
        // DEPROVISIONING is where a task's network interface is released; for bridge tasks it passes at once.
        task.lastStatus(TaskStatus.DEPROVISIONING);
        task.lastStatus(TaskStatus.STOPPED);
        task.stoppedAt(at);
        if (task.attachment() != null) {
            if (task.attachment().isAttached()) {
                commands.add(new RuntimeCommand.ReleaseTaskNetwork(task.arn()));
            }
            task.attachment().released();
        }
        ContainerInstance ci = task.containerInstance();
        if (ci != null) {
            ci.reserve(task.reservation(), -1);
            ci.countTask(wasRunning, -1);
            ci.countGroupTask(task.group(), -1);
        }
        commands.add(new RuntimeCommand.RemoveTaskLater(task.arn()));
    }

    private void startReadyContainers(Task task, List<RuntimeCommand> commands) {
        for (TaskContainer c : task.containers()) {
            if (c.startRequested() || c.isStopped()) {
                continue;
            }
            Readiness r = readiness(task, c);
            if (r == Readiness.WAIT && c.definition().startTimeout() != null && !c.startTimeoutArmed()) {
                c.armStartTimeout();
                commands.add(new RuntimeCommand.CheckStartTimeout(task.arn(), c.name(),
                        Duration.ofSeconds(c.definition().startTimeout())));
            }
            if (r == Readiness.READY) {
                c.requestStart();
                commands.add(new RuntimeCommand.StartContainer(spec(task, c)));
            } else if (r == Readiness.NEVER) {
                String reason = "CannotStartContainerError: dependency graph: container ordering dependency of [" + c.name()
                        + "] can never be met: " + unmetDependency(task, c);
                c.stopped(null, reason);
                task.executionStopped(now());
                commands.addAll(stop(task, TaskStopCode.TASK_FAILED_TO_START, reason));
                return;
            }
        }
    }

    private enum Readiness { READY, WAIT, NEVER }

    private Readiness readiness(Task task, TaskContainer c) {
        Readiness result = Readiness.READY;
        for (Map.Entry<String, ContainerCondition> dep : dependencies(c.definition()).entrySet()) {
            TaskContainer d = task.container(dep.getKey());
            if (d == null) {
                continue;
            }
            Readiness r = met(d, dep.getValue());
            if (r == Readiness.NEVER) {
                return Readiness.NEVER;
            }
            if (r == Readiness.WAIT) {
                result = Readiness.WAIT;
            }
        }
        return result;
    }

    private String unmetDependency(Task task, TaskContainer c) {
        for (Map.Entry<String, ContainerCondition> dep : dependencies(c.definition()).entrySet()) {
            TaskContainer d = task.container(dep.getKey());
            if (d != null && met(d, dep.getValue()) == Readiness.NEVER) {
                return "[" + d.name() + "] did not reach " + dep.getValue()
                        + (d.exitCode() != null ? " (exit code " + d.exitCode() + ")" : d.reason() != null ? " (" + d.reason() + ")" : "");
            }
        }
        return "";
    }

    private static Readiness met(TaskContainer d, ContainerCondition condition) {
        switch (condition) {
            case START:
                return d.everStarted() ? Readiness.READY : d.isStopped() ? Readiness.NEVER : Readiness.WAIT;
            case COMPLETE:
                return d.isStopped() ? (d.everStarted() ? Readiness.READY : Readiness.NEVER) : Readiness.WAIT;
            case SUCCESS:
                if (!d.isStopped()) {
                    return Readiness.WAIT;
                }
                return Integer.valueOf(0).equals(d.exitCode()) ? Readiness.READY : Readiness.NEVER;
            case HEALTHY:
                if (d.definition().healthCheck() == null) {
                    // A container without a health check never becomes HEALTHY.
                    return Readiness.NEVER;
                }
                if (d.health() == HealthStatus.HEALTHY) {
                    return Readiness.READY;
                }
                return d.isStopped() || d.health() == HealthStatus.UNHEALTHY ? Readiness.NEVER : Readiness.WAIT;
            default:
                return Readiness.READY;
        }
    }

    /** dependsOn, plus the START ordering that links and volumesFrom imply. */
    static Map<String, ContainerCondition> dependencies(ContainerDefinition d) {
        Map<String, ContainerCondition> deps = new LinkedHashMap<>();
        for (String link : d.links()) {
            deps.put(link.split(":", 2)[0], ContainerCondition.START);
        }
        for (VolumeFrom v : d.volumesFrom()) {
            if (v.sourceContainer() != null) {
                deps.put(v.sourceContainer(), ContainerCondition.START);
            }
        }
        for (ContainerDependency dep : d.dependsOn()) {
            if (dep.containerName() != null && dep.condition() != null) {
                deps.put(dep.containerName(), dep.condition());
            }
        }
        return deps;
    }

    private ContainerSpec spec(Task task, TaskContainer c) {
        var td = task.taskDefinition();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("com.amazonaws.ecs.cluster", task.clusterName());
        labels.put("com.amazonaws.ecs.container-name", c.name());
        labels.put("com.amazonaws.ecs.task-arn", task.arn());
        labels.put("com.amazonaws.ecs.task-definition-family", td.family());
        labels.put("com.amazonaws.ecs.task-definition-version", String.valueOf(td.revision()));
        String hostIp = task.containerInstance() == null ? "0.0.0.0" : task.containerInstance().bindAddress();
        // RunTask's task-level cpu/memory overrides replace the definition's, as they do for the reservation.
        var overrides = task.overrides();
        String taskCpu = overrides != null && overrides.cpu() != null ? overrides.cpu() : td.cpu();
        String taskMemory = overrides != null && overrides.memory() != null ? overrides.memory() : td.memory();
        return new ContainerSpec(task.arn(), task.id(), task.clusterName(), td.family(), td.revision(), c.definition(),
                td.networkMode(), hostIp, td.volumes(), size(taskCpu, true), size(taskMemory, false),
                stopTimeout(task, c), labels, Map.of());
    }

    private static TaskNetworkSpec networkSpec(Task task) {
        List<PortMapping> ports = new ArrayList<>();
        task.containers().forEach(c -> ports.addAll(c.definition().portMappings()));
        Arn arn = Arn.parse(task.arn()).orElseThrow();
        return new TaskNetworkSpec(task.arn(), task.id(), task.clusterName(), arn.account(), arn.region(), ports);
    }

    /** A task-level size ("512", "0.5 vCPU", "1 GB") in units or MiB; null when absent (the launch refused bad ones). */
    private static Integer size(String s, boolean cpu) {
        try {
            return cpu ? TaskSize.cpuUnits(s) : TaskSize.memoryMiB(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Instant now() {
        return clock.instant();
    }
}
