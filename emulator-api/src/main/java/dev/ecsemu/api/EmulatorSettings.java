package dev.ecsemu.api;

import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.containerinstance.InstanceAddresses;
import java.time.Clock;
import java.time.Duration;

/**
 * How an emulator behaves beyond where it listens.
 *
 * @param clock                 every timestamp and timer
 * @param containerRemovalDelay how long the containers of a stopped task are kept (for {@code docker logs})
 * @param instanceAddresses     whether container instances bind on addresses of their own or all on 0.0.0.0
 * @param timeScale             multiplies the waits ECS imposes (settle and grace periods, back-off, event suppression)
 */
public record EmulatorSettings(Clock clock, Duration containerRemovalDelay, InstanceAddresses instanceAddresses, TimeScale timeScale) {

    public static EmulatorSettings defaults() {
        return new EmulatorSettings(Clock.systemUTC(), Duration.ofMinutes(1), InstanceAddresses.distinct(), TimeScale.REAL);
    }

    public EmulatorSettings withClock(Clock clock) {
        return new EmulatorSettings(clock, containerRemovalDelay, instanceAddresses, timeScale);
    }

    public EmulatorSettings withContainerRemovalDelay(Duration delay) {
        return new EmulatorSettings(clock, delay, instanceAddresses, timeScale);
    }

    public EmulatorSettings withInstanceAddresses(InstanceAddresses addresses) {
        return new EmulatorSettings(clock, containerRemovalDelay, addresses, timeScale);
    }

    public EmulatorSettings withTimeScale(TimeScale scale) {
        return new EmulatorSettings(clock, containerRemovalDelay, instanceAddresses, scale);
    }
}
