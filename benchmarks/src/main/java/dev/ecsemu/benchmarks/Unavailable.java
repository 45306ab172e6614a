package dev.ecsemu.benchmarks;

/** A capability a measurement needs is missing on this machine (a tool, an engine, an API); the report says "not available". */
public final class Unavailable extends Exception {
    public Unavailable(String reason) {
        super(reason);
    }
}
