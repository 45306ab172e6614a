package dev.ecsemu.api;

import dev.ecsemu.core.containerinstance.InstanceAddresses;
import java.time.Clock;
import java.time.Duration;

/**
 * How an emulator behaves beyond where it listens.
 *
 * @param clock                 every timestamp and timer
 * @param containerRemovalDelay how long the containers of a stopped task are kept (for {@code docker logs})
 * @param instanceAddresses     whether container instances bind on addresses of their own or all on 0.0.0.0
 */
public record EmulatorSettings(Clock clock, Duration containerRemovalDelay, InstanceAddresses instanceAddresses) {

    public static EmulatorSettings defaults() {
        return new EmulatorSettings(Clock.systemUTC(), Duration.ofMinutes(1), InstanceAddresses.distinct());
    }

    public EmulatorSettings withClock(Clock clock) {
        return new EmulatorSettings(clock, containerRemovalDelay, instanceAddresses);
    }

    public EmulatorSettings withContainerRemovalDelay(Duration delay) {
        return new EmulatorSettings(clock, delay, instanceAddresses);
    }

    public EmulatorSettings withInstanceAddresses(InstanceAddresses addresses) {
        return new EmulatorSettings(clock, containerRemovalDelay, addresses);
    }
}
