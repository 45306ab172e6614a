package dev.ecsemu.core.state;

import dev.ecsemu.core.containerinstance.InstanceAddresses;
import java.time.Clock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The store of one (account, region). Every mutation runs under its write lock, so mutations are
 * serialised and each one is all-or-nothing as seen by readers; reads share the read lock and see a
 * consistent state. Hold the lock only for in-memory work: never call Docker inside it.
 */
public final class RegionStore {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final RegionState state;

    RegionStore(Scope scope, Clock clock, InstanceAddresses addresses) {
        this.state = new RegionState(scope, clock, addresses);
    }

    public <T> T read(Function<RegionState, T> reader) {
        ReentrantReadWriteLock.ReadLock readLock = lock.readLock();
        readLock.lock();
        try {
            return reader.apply(state);
        } finally {
            readLock.unlock();
        }
    }

    public <T> T write(Function<RegionState, T> writer) {
        ReentrantReadWriteLock.WriteLock writeLock = lock.writeLock();
        writeLock.lock();
        try {
            return writer.apply(state);
        } finally {
            writeLock.unlock();
        }
    }
}
