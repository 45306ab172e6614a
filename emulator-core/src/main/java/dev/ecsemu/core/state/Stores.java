package dev.ecsemu.core.state;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One {@link RegionStore} per (account, region), created on first use. */
public final class Stores {
    private final Clock clock;
    private final ConcurrentMap<Scope, RegionStore> stores = new ConcurrentHashMap<>();

    public Stores(Clock clock) {
        this.clock = clock;
    }

    public RegionStore of(Scope scope) {
        return stores.computeIfAbsent(scope, s -> new RegionStore(s, clock));
    }

    public void forEach(java.util.function.Consumer<RegionStore> action) {
        stores.values().forEach(action);
    }

    /** Forgets every account and region. */
    public void reset() {
        stores.clear();
    }
}
