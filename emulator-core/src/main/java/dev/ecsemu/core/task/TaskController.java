package dev.ecsemu.core.task;

import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.runtime.ContainerRuntime;
import dev.ecsemu.core.runtime.RuntimeListener;
import dev.ecsemu.core.runtime.TaskAddress;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.state.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;

/**
 * Drives tasks from what the runtime reports: each report is one lifecycle step on the task's store
 * (under its lock), and the runtime work the step decides on is done after the lock is released.
 */
public final class TaskController implements RuntimeListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskController.class);

    private final Stores stores;
    private final ContainerRuntime runtime;
    private final Duration removalDelay;
    private volatile java.util.function.Consumer<Scope> serviceTaskChanged = scope -> { };
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "task-timers");
        t.setDaemon(true);
        return t;
    });

    /** @param removalDelay how long the containers of a stopped task are kept (for {@code docker logs}) before removal */
    public TaskController(Stores stores, ContainerRuntime runtime, Duration removalDelay) {
        this.stores = stores;
        this.runtime = runtime;
        this.removalDelay = removalDelay;
    }

    /** Told (after the lock is released) whenever a service's task took a lifecycle step. */
    public void onServiceTaskChanged(java.util.function.Consumer<Scope> listener) {
        this.serviceTaskChanged = listener;
    }

    /** Carries out runtime work decided under a store's lock. Call it after the lock is released. */
    public void execute(List<RuntimeCommand> commands) {
        try {
            executeAll(commands);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // The timers are closed: the emulator is shutting down and removes every task's containers itself.
        }
    }

    private void executeAll(List<RuntimeCommand> commands) {
        for (RuntimeCommand c : commands) {
            if (c instanceof RuntimeCommand.AttachTaskNetwork) {
                runtime.attachTaskNetwork(((RuntimeCommand.AttachTaskNetwork) c).spec());
            } else if (c instanceof RuntimeCommand.StartContainer) {
                runtime.startContainer(((RuntimeCommand.StartContainer) c).spec());
            } else if (c instanceof RuntimeCommand.StopContainer) {
                RuntimeCommand.StopContainer stop = (RuntimeCommand.StopContainer) c;
                runtime.stopContainer(stop.taskArn(), stop.containerName(), stop.timeout());
            } else if (c instanceof RuntimeCommand.CheckStartTimeout) {
                RuntimeCommand.CheckStartTimeout check = (RuntimeCommand.CheckStartTimeout) c;
                timers.schedule(() -> step(check.taskArn(), (state, task) -> state.lifecycle().onStartTimeout(task, check.containerName())),
                        check.after().toMillis(), TimeUnit.MILLISECONDS);
            } else if (c instanceof RuntimeCommand.ReleaseTaskNetwork) {
                runtime.releaseTaskNetwork(((RuntimeCommand.ReleaseTaskNetwork) c).taskArn());
            } else if (c instanceof RuntimeCommand.RemoveTaskLater) {
                String arn = ((RuntimeCommand.RemoveTaskLater) c).taskArn();
                timers.schedule(() -> runtime.removeTask(arn), removalDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void pullStarted(String taskArn, String containerName) {
        step(taskArn, (state, task) -> {
            state.lifecycle().onPullStarted(task, containerName);
            return List.of();
        });
    }

    @Override
    public void pullStopped(String taskArn, String containerName, String imageDigest) {
        step(taskArn, (state, task) -> {
            state.lifecycle().onPullStopped(task, containerName, imageDigest);
            return List.of();
        });
    }

    @Override
    public void containerStarted(String taskArn, String containerName, String runtimeId, List<NetworkBinding> bindings) {
        step(taskArn, (state, task) -> state.lifecycle().onContainerStarted(task, containerName, runtimeId, bindings));
    }

    @Override
    public void containerHealth(String taskArn, String containerName, HealthStatus health) {
        step(taskArn, (state, task) -> state.lifecycle().onContainerHealth(task, containerName, health));
    }

    @Override
    public void containerStopped(String taskArn, String containerName, Integer exitCode, String reason) {
        step(taskArn, (state, task) -> state.lifecycle().onContainerStopped(task, containerName, exitCode, reason));
    }

    @Override
    public void containerFailed(String taskArn, String containerName, String reason) {
        LOG.info("Task {} container {} failed to start: {}", taskArn, containerName, reason);
        step(taskArn, (state, task) -> state.lifecycle().onContainerFailed(task, containerName, reason));
    }

    @Override
    public void taskNetworkAttached(String taskArn, TaskAddress address) {
        step(taskArn, (state, task) -> state.lifecycle().onNetworkAttached(task, address));
    }

    @Override
    public void taskNetworkFailed(String taskArn, String reason) {
        LOG.info("Task {}: its network could not be set up: {}", taskArn, reason);
        step(taskArn, (state, task) -> state.lifecycle().onNetworkFailed(task, reason));
    }

    @Override
    public void taskNetworkLost(String taskArn) {
        LOG.debug("Task {}: the holder of its network namespace stopped (killed, or removed with the stopped task)", taskArn);
        step(taskArn, (state, task) -> state.lifecycle().onNetworkLost(task));
    }

    private void step(String taskArn, BiFunction<RegionState, Task, List<RuntimeCommand>> step) {
        Optional<Scope> scope = Arn.parse(taskArn)
                .filter(a -> Scope.isAccountId(a.account()) && Scope.isRegionName(a.region()))
                .map(a -> new Scope(a.account(), a.region()));
        if (scope.isEmpty()) {
            return;
        }
        boolean[] serviceTask = new boolean[1];
        List<RuntimeCommand> commands = stores.of(scope.get()).write(state -> state.tasks().byArn(taskArn)
                .map(task -> {
                    serviceTask[0] = task.group() != null && task.group().startsWith("service:");
                    return step.apply(state, task);
                })
                .orElse(List.of()));
        execute(commands);
        if (serviceTask[0]) {
            serviceTaskChanged.accept(scope.get());
        }
    }

    /** Every task ARN of every store, for removing their containers at shutdown. */
    public List<String> allTaskArns() {
        List<String> arns = new ArrayList<>();
        stores.forEach(store -> store.read(state -> {
            state.tasks().all().forEach(t -> arns.add(t.arn()));
            return null;
        }));
        return arns;
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
