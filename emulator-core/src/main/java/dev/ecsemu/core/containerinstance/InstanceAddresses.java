package dev.ecsemu.core.containerinstance;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The addresses container instances bind their tasks' host ports on. On real ECS each instance is
 * its own host, so two tasks may use the same fixed host port on two instances. Here every instance
 * gets its own loopback address (127.1.0.1, 127.1.0.2, ...), which Linux routes to this machine;
 * {@link #shared()} binds everything on 0.0.0.0 instead, for Docker Desktop, whose port forwarding
 * only reaches 127.0.0.1.
 */
public final class InstanceAddresses {
    private static final int PER_BLOCK = 250;

    private final boolean distinct;
    private final AtomicInteger next = new AtomicInteger();

    private InstanceAddresses(boolean distinct) {
        this.distinct = distinct;
    }

    public static InstanceAddresses distinct() {
        return new InstanceAddresses(true);
    }

    public static InstanceAddresses shared() {
        return new InstanceAddresses(false);
    }

    public boolean isDistinct() {
        return distinct;
    }

    /** The address for the next instance registered. */
    public String next() {
        if (!distinct) {
            return "0.0.0.0";
        }
        int n = next.getAndIncrement() % (PER_BLOCK * 256);
        return "127.1." + (n / PER_BLOCK) + "." + (n % PER_BLOCK + 1);
    }
}
