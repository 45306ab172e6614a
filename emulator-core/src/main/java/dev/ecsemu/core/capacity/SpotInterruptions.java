package dev.ecsemu.core.capacity;

import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.state.Stores;
import dev.ecsemu.core.task.RuntimeCommand;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.TaskController;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interrupts FARGATE_SPOT tasks as AWS does when it takes the capacity back: the task is told to
 * stop with stopCode {@code SpotInterruption} and stoppedReason {@value #REASON}, its containers get
 * SIGTERM at once and are killed after their stopTimeout, at the latest when the two-minute warning
 * (× the time scale) is over; a service
 * replaces the task as it replaces any task that stops.
 */
public final class SpotInterruptions {
    private static final Logger LOG = LoggerFactory.getLogger(SpotInterruptions.class);
    public static final String REASON = "Your Spot Task was interrupted.";
    public static final Duration WARNING = Duration.ofMinutes(2);

    private final Stores stores;
    private final TaskController tasks;
    private final Consumer<Scope> servicesChanged;
    private final Clock clock;
    private final TimeScale scale;

    public SpotInterruptions(Stores stores, TaskController tasks, Consumer<Scope> servicesChanged, Clock clock, TimeScale scale) {
        this.stores = stores;
        this.tasks = tasks;
        this.servicesChanged = servicesChanged;
        this.clock = clock;
        this.scale = scale;
    }

    /** The interrupted task, and when its containers are killed at the latest. */
    public record Interruption(String taskArn, Instant killedBy) {
    }

    /** Interrupts the FARGATE_SPOT task the ARN names; refuses any other task. */
    public Interruption interrupt(String taskArn) {
        Optional<Scope> scope = Optional.ofNullable(taskArn).flatMap(Arn::parse)
                .filter(a -> a.service().equals("ecs") && a.resourceType().equals("task"))
                .filter(a -> Scope.isAccountId(a.account()) && Scope.isRegionName(a.region()))
                .map(a -> new Scope(a.account(), a.region()));
        if (scope.isEmpty()) {
            throw EcsErrors.invalidParameter("Give the full ARN of a task (arn:aws:ecs:<region>:<account>:task/<cluster>/<id>); got '"
                    + taskArn + "'.");
        }
        Duration warning = scale.of(WARNING);
        List<RuntimeCommand> commands = stores.of(scope.get()).write(state -> {
            Task task = state.tasks().byArn(taskArn).filter(t -> !t.isStopped())
                    .orElseThrow(() -> EcsErrors.resourceNotFound("The task " + taskArn + " is not running (or does not exist)."));
            if (!CapacityProviders.FARGATE_SPOT.equals(task.capacityProviderName())) {
                throw EcsErrors.invalidParameter("Only tasks of capacity provider FARGATE_SPOT can be interrupted; task " + task.id()
                        + (task.capacityProviderName() == null ? " was started by launch type " + task.launchType()
                                : " runs on capacity provider " + task.capacityProviderName()) + ".");
            }
            if (Task.DESIRED_STOPPED.equals(task.desiredStatus())) {
                throw EcsErrors.invalidParameter("The task " + task.id() + " is already stopping (" + task.stopCode() + ").");
            }
            List<RuntimeCommand> out = state.lifecycle().interruptSpot(task, REASON, warning);
            state.lifecycle().beginStopping(task);
            return out;
        });
        LOG.info("Spot interruption of task {}: SIGTERM now, stopped within {} ms", taskArn, warning.toMillis());
        tasks.execute(commands);
        servicesChanged.accept(scope.get());
        return new Interruption(taskArn, clock.instant().plus(warning));
    }
}
