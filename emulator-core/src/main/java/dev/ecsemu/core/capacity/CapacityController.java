package dev.ecsemu.core.capacity;

import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.ContainerInstances;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.placement.ContainerInstanceCandidate;
import dev.ecsemu.core.placement.Placement;
import dev.ecsemu.core.placement.PlacementRules;
import dev.ecsemu.core.service.Service;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.state.RegionStore;
import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.state.Stores;
import dev.ecsemu.core.task.RuntimeCommand;
import dev.ecsemu.core.task.Task;
import dev.ecsemu.core.task.TaskController;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the emulated Auto Scaling groups of every store: each pass puts the tasks that wait in
 * PROVISIONING on their provider's instances where they now fit, lets {@link ManagedScaling} decide,
 * registers the instances the group launches (with the provider's name, as the ECS agent reports
 * it) and deregisters the idle ones it terminates. Passes run on a thread of their own, every
 * {@link #TICK}: a task left waiting by RunTask or a service is looked at within that.
 */
public final class CapacityController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CapacityController.class);
    static final Duration TICK = Duration.ofMillis(250);

    private final Stores stores;
    private final TaskController tasks;
    private final Consumer<Scope> servicesChanged;
    private final Clock clock;
    private final ManagedScaling scaling;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "capacity-providers");
        t.setDaemon(true);
        return t;
    });

    /** @param servicesChanged told when a pass started service tasks or changed instances, so services look again */
    public CapacityController(Stores stores, TaskController tasks, Consumer<Scope> servicesChanged, Clock clock, TimeScale scale) {
        this.stores = stores;
        this.tasks = tasks;
        this.servicesChanged = servicesChanged;
        this.clock = clock;
        this.scaling = new ManagedScaling(scale);
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        stores.forEach(this::safely);
    }

    private void safely(Scope scope, RegionStore store) {
        try {
            run(scope, store);
        } catch (RuntimeException e) {
            LOG.error("Capacity provider pass over {} failed; the next pass retries", scope, e);
        }
    }

    private void run(Scope scope, RegionStore store) {
        if (store.read(state -> state.capacityProviders().listActive().isEmpty())) {
            return;
        }
        List<RuntimeCommand> commands = new ArrayList<>();
        boolean changed = store.write(state -> pass(state, scaling, clock, commands));
        tasks.execute(commands);
        if (changed) {
            servicesChanged.accept(scope);
        }
    }

    /** One pass over the store's providers, under its lock; answers whether anything changed. */
    static boolean pass(RegionState state, ManagedScaling scaling, Clock clock, List<RuntimeCommand> commands) {
        boolean changed = false;
        for (CapacityProvider provider : state.capacityProviders().listActive()) {
            Cluster cluster = state.clusterOf(provider).orElse(null);
            if (cluster == null) {
                continue;
            }
            List<Task> waiting = waiting(state, cluster, provider);
            Map<Task, PlacementRules> rules = new HashMap<>();
            waiting.forEach(t -> rules.put(t, rulesOf(state, cluster, t)));
            changed |= placeWaiting(state, provider, cluster, waiting, rules, commands);
            List<ContainerInstance> instances = active(state.containerInstances().registered(cluster.arn(), provider.name()));
            List<ManagedScaling.Demand> demand = new ArrayList<>();
            waiting.forEach(t -> demand.add(new ManagedScaling.Demand(t.reservation(), rules.get(t).distinctInstance() ? t.group() : null)));
            ManagedScaling.Decision decision = scaling.decideFor(provider, instances, demand, clock.instant());
            if (decision.launch() > 0) {
                launch(state, cluster, provider, instances.size(), decision.launch());
                LOG.info("Capacity provider {}: CapacityProviderReservation {}% with {} instances; launched {} {} instance(s)",
                        provider.name(), decision.reservationPercent(), instances.size(), decision.launch(), provider.group().instanceType());
                placeWaiting(state, provider, cluster, waiting, rules, commands);
                changed = true;
            }
            for (ContainerInstance idle : decision.terminate()) {
                state.containerInstances().deregister(idle);
                LOG.info("Capacity provider {}: terminated idle instance {} ({})", provider.name(), idle.ec2InstanceId(), idle.id());
                changed = true;
            }
        }
        return changed;
    }

    /** The tasks waiting for the provider's capacity in the cluster, oldest first. */
    private static List<Task> waiting(RegionState state, Cluster cluster, CapacityProvider provider) {
        List<Task> out = new ArrayList<>();
        for (Task t : state.tasks().inCluster(cluster.arn())) {
            if (t.awaitsCapacity() && provider.name().equals(t.capacityProviderName())) {
                out.add(t);
            }
        }
        out.sort(Comparator.comparing(Task::createdAt).thenComparing(Task::arn));
        return out;
    }

    /**
     * The rules a waiting task is placed by: a service task's are its service's (constraints and
     * strategies), as when the service placed it; another task's its definition's constraints.
     */
    private static PlacementRules rulesOf(RegionState state, Cluster cluster, Task task) {
        for (Service service : state.services().inCluster(cluster.arn())) {
            if (service.isActive() && service.taskGroup().equals(task.group())) {
                try {
                    return state.placement().serviceRules(task.taskDefinition().placementConstraints(),
                            service.settings().placementConstraints(), service.settings().placementStrategy());
                } catch (ApiException e) {
                    break; // checked when the service was created or updated; fall back to the definition's
                }
            }
        }
        return state.placement().runTaskRules(task.taskDefinition().placementConstraints(), List.of(), List.of());
    }

    /** Puts waiting tasks on instances where they fit now; the ones placed leave {@code waiting}. */
    private static boolean placeWaiting(RegionState state, CapacityProvider provider, Cluster cluster, List<Task> waiting,
            Map<Task, PlacementRules> rules, List<RuntimeCommand> commands) {
        if (waiting.isEmpty()) {
            return false;
        }
        List<ContainerInstanceCandidate> candidates = ContainerInstanceCandidate.of(state.containerInstances().registered(cluster.arn(),
                provider.name()));
        if (candidates.isEmpty()) {
            return false;
        }
        boolean placed = false;
        for (Task t : new ArrayList<>(waiting)) {
            Placement<ContainerInstanceCandidate> p = state.placement().place(candidates, t.reservation(), t.group(), rules.get(t));
            if (p.placed()) {
                state.tasks().place(t, p.chosen().instance());
                commands.addAll(state.lifecycle().launch(t));
                waiting.remove(t);
                placed = true;
            }
        }
        return placed;
    }

    private static void launch(RegionState state, Cluster cluster, CapacityProvider provider, int existing, int count) {
        String region = state.scope().region();
        List<String> zones = List.of(region + "a", region + "b", region + "c");
        for (int i = 0; i < count; i++) {
            state.containerInstances().register(cluster.name(), cluster.arn(), new ContainerInstances.Spec(null,
                    provider.group().instanceType(), zones.get((existing + i) % zones.size()), null, null, null, Map.of()),
                    provider.name());
        }
    }

    private static List<ContainerInstance> active(List<ContainerInstance> instances) {
        List<ContainerInstance> out = new ArrayList<>();
        for (ContainerInstance ci : instances) {
            if (ci.isActive()) {
                out.add(ci);
            }
        }
        return out;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
