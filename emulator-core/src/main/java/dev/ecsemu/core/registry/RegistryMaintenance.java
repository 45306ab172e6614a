package dev.ecsemu.core.registry;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the registry does on its own schedule: every hour it enforces every repository's lifecycle
 * policy, so rules counting days since a push expire images even when nothing is pushed (ECR does
 * this within 24 hours). Pushes and PutLifecyclePolicy apply a policy at once; this is the rest.
 */
public final class RegistryMaintenance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryMaintenance.class);
    public static final Duration INTERVAL = Duration.ofHours(1);

    private final Registry registry;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-lifecycle");
        t.setDaemon(true);
        return t;
    });

    private RegistryMaintenance(Registry registry) {
        this.registry = registry;
    }

    public static RegistryMaintenance start(Registry registry) {
        RegistryMaintenance m = new RegistryMaintenance(registry);
        m.executor.scheduleWithFixedDelay(m::run, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return m;
    }

    private void run() {
        try {
            registry.applyLifecyclePolicies();
        } catch (RuntimeException e) {
            LOG.error("Applying lifecycle policies failed; the next run in {} retries", INTERVAL, e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
