package dev.ecsemu.core.state;

import dev.ecsemu.core.containerinstance.InstanceAddresses;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One {@link RegionStore} per (account, region), created on first use. */
public final class Stores {
    private final Clock clock;
    private final InstanceAddresses addresses;
    private final ConcurrentMap<Scope, RegionStore> stores = new ConcurrentHashMap<>();

    /** Stores whose container instances each bind on an address of their own. */
    public Stores(Clock clock) {
        this(clock, InstanceAddresses.distinct());
    }

    /** @param addresses shared by every account and region: they all run on this one machine */
    public Stores(Clock clock, InstanceAddresses addresses) {
        this.clock = clock;
        this.addresses = addresses;
    }

    public RegionStore of(Scope scope) {
        return stores.computeIfAbsent(scope, s -> new RegionStore(s, clock, addresses));
    }

    public void forEach(java.util.function.Consumer<RegionStore> action) {
        stores.values().forEach(action);
    }

    public void forEach(java.util.function.BiConsumer<Scope, RegionStore> action) {
        stores.forEach(action);
    }

    /** Forgets every account and region. */
    public void reset() {
        stores.clear();
    }
}
