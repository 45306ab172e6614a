package dev.ecsemu.api;

import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.containerinstance.InstanceAddresses;
import dev.ecsemu.core.runtime.AwsvpcPorts;
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
 * @param awsvpcPorts           how awsvpc tasks' ports are reached from the host: at the task's IP, or also on 127.0.0.1
 */
public record EmulatorSettings(Clock clock, Duration containerRemovalDelay, InstanceAddresses instanceAddresses, TimeScale timeScale,
        Path dataDir, String registryHost, boolean registryAuth, AwsvpcPorts awsvpcPorts) {

    public static EmulatorSettings defaults() {
        return new EmulatorSettings(Clock.systemUTC(), Duration.ofMinutes(1), InstanceAddresses.distinct(), TimeScale.REAL, null, null,
                true, AwsvpcPorts.TASK_IP);
    }

    public EmulatorSettings withClock(Clock clock) {
        return new EmulatorSettings(clock, containerRemovalDelay, instanceAddresses, timeScale, dataDir, registryHost, registryAuth, awsvpcPorts);
    }

    public EmulatorSettings withContainerRemovalDelay(Duration delay) {
        return new EmulatorSettings(clock, delay, instanceAddresses, timeScale, dataDir, registryHost, registryAuth, awsvpcPorts);
    }

    public EmulatorSettings withInstanceAddresses(InstanceAddresses addresses) {
        return new EmulatorSettings(clock, containerRemovalDelay, addresses, timeScale, dataDir, registryHost, registryAuth, awsvpcPorts);
    }

    public EmulatorSettings withTimeScale(TimeScale scale) {
        return new EmulatorSettings(clock, containerRemovalDelay, instanceAddresses, scale, dataDir, registryHost, registryAuth, awsvpcPorts);
    }

    public EmulatorSettings withDataDir(Path dir) {
        return new EmulatorSettings(clock, containerRemovalDelay, instanceAddresses, timeScale, dir, registryHost, registryAuth, awsvpcPorts);
    }

    public EmulatorSettings withRegistryHost(String host) {
        return new EmulatorSettings(clock, containerRemovalDelay, instanceAddresses, timeScale, dataDir, host, registryAuth, awsvpcPorts);
    }

    public EmulatorSettings withAwsvpcPorts(AwsvpcPorts ports) {
        return new EmulatorSettings(clock, containerRemovalDelay, instanceAddresses, timeScale, dataDir, registryHost, registryAuth, ports);
    }

    public EmulatorSettings withRegistryAuth(boolean required) {
        return new EmulatorSettings(clock, containerRemovalDelay, instanceAddresses, timeScale, dataDir, registryHost, required, awsvpcPorts);
    }
}
