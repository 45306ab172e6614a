package dev.ecsemu.api;

import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.containerinstance.InstanceAddresses;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * How an emulator behaves beyond where it listens.
 *
 * @param clock                 every timestamp and timer
 * @param containerRemovalDelay how long the containers of a stopped task are kept (for {@code docker logs})
 * @param instanceAddresses     whether container instances bind on addresses of their own or all on 0.0.0.0
 * @param timeScale             multiplies the waits ECS imposes (settle and grace periods, back-off, event suppression)
 * @param dataDir               where registry blobs live; null: a temporary directory, removed when the emulator closes
 * @param registryHost          the {@code host:port} repository URIs name; null: {@code localhost:<port>}
 * @param registryAuth          whether the registry requires {@code docker login} with a GetAuthorizationToken password
 */
public record EmulatorSettings(Clock clock, Duration containerRemovalDelay, InstanceAddresses instanceAddresses, TimeScale timeScale,
        Path dataDir, String registryHost, boolean registryAuth) {

    public static EmulatorSettings defaults() {
        return new EmulatorSettings(Clock.systemUTC(), Duration.ofMinutes(1), InstanceAddresses.distinct(), TimeScale.REAL, null, null,
                true);
    }

    public EmulatorSettings withClock(Clock clock) {
        return new EmulatorSettings(clock, containerRemovalDelay, instanceAddresses, timeScale, dataDir, registryHost, registryAuth);
    }

    public EmulatorSettings withContainerRemovalDelay(Duration delay) {
        return new EmulatorSettings(clock, delay, instanceAddresses, timeScale, dataDir, registryHost, registryAuth);
    }

    public EmulatorSettings withInstanceAddresses(InstanceAddresses addresses) {
        return new EmulatorSettings(clock, containerRemovalDelay, addresses, timeScale, dataDir, registryHost, registryAuth);
    }

    public EmulatorSettings withTimeScale(TimeScale scale) {
        return new EmulatorSettings(clock, containerRemovalDelay, instanceAddresses, scale, dataDir, registryHost, registryAuth);
    }

    public EmulatorSettings withDataDir(Path dir) {
        return new EmulatorSettings(clock, containerRemovalDelay, instanceAddresses, timeScale, dir, registryHost, registryAuth);
    }

    public EmulatorSettings withRegistryHost(String host) {
        return new EmulatorSettings(clock, containerRemovalDelay, instanceAddresses, timeScale, dataDir, host, registryAuth);
    }

    public EmulatorSettings withRegistryAuth(boolean required) {
        return new EmulatorSettings(clock, containerRemovalDelay, instanceAddresses, timeScale, dataDir, registryHost, required);
    }
}
