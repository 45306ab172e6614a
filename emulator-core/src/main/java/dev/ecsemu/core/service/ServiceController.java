package dev.ecsemu.core.service;

import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.state.RegionStore;
import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.state.Stores;
import dev.ecsemu.core.task.RuntimeCommand;
import dev.ecsemu.core.task.TaskController;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link ServiceScheduler} over every service of a store: when something relevant happens
 * (a task changes, a service or instance is changed: {@link #kick}), when time alone changes
 * something (a settle period ends), and on a slow tick as a safety net. Passes run on one thread of
 * their own, never on a caller's.
 */
public final class ServiceController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceController.class);
    private static final Duration TICK = Duration.ofSeconds(1);

    private final Stores stores;
    private final TaskController tasks;
    private final ServiceScheduler scheduler;
    private final Clock clock;
    private final Set<Scope> queued = ConcurrentHashMap.newKeySet();
    private final Map<Scope, Instant> wakes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "service-scheduler");
        t.setDaemon(true);
        return t;
    });

    public ServiceController(Stores stores, TaskController tasks, Clock clock, TimeScale scale) {
        this.stores = stores;
        this.tasks = tasks;
        this.clock = clock;
        this.scheduler = new ServiceScheduler(clock, scale);
    }

    /** Starts the safety-net tick; kicks work without it. */
    public void start() {
        executor.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a pass over the store's services soon; kicks that arrive before it runs share it. */
    public void kick(Scope scope) {
        if (queued.add(scope)) {
            try {
                executor.execute(() -> {
                    queued.remove(scope);
                    safely(scope);
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                queued.remove(scope);
            }
        }
    }

    /** One pass over every service of the store, now, on the caller's thread (tests drive it this way). */
    public void reconcile(Scope scope) {
        reconcile(scope, stores.of(scope));
    }

    private void reconcile(Scope scope, RegionStore store) {
        List<RuntimeCommand> commands = new ArrayList<>();
        Instant wake = store.write(state -> {
            state.services().purgeExpired();
            Instant earliest = null;
            for (Service service : state.services().scheduled()) {
                ServiceScheduler.Pass pass = scheduler.reconcile(state, service);
                commands.addAll(pass.commands());
                if (pass.wakeAt() != null && (earliest == null || pass.wakeAt().isBefore(earliest))) {
                    earliest = pass.wakeAt();
                }
            }
            return earliest;
        });
        tasks.execute(commands);
        if (wake != null) {
            wakeAt(scope, wake);
        }
    }

    private void wakeAt(Scope scope, Instant at) {
        Instant already = wakes.get(scope);
        Instant now = clock.instant();
        if (already != null && !already.isAfter(at) && already.isAfter(now)) {
            return;
        }
        wakes.put(scope, at);
        long delay = Math.max(0, Duration.between(now, at).toMillis()) + 5;
        try {
            executor.schedule(() -> {
                wakes.remove(scope, at);
                kick(scope);
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // shutting down
        }
    }

    private void tick() {
        stores.forEach((scope, store) -> {
            if (!store.read(state -> state.services().scheduled().isEmpty())) {
                safelyOn(scope, store);
            }
        });
    }

    private void safely(Scope scope) {
        safelyOn(scope, stores.of(scope));
    }

    private void safelyOn(Scope scope, RegionStore store) {
        try {
            reconcile(scope, store);
        } catch (RuntimeException e) {
            LOG.error("Service scheduler pass over {} failed; the next pass retries", scope, e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
