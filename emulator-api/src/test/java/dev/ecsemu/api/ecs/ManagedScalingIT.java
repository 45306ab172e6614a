package dev.ecsemu.api.ecs;

import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.clock.TimeScale;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/** Managed scaling of an Auto Scaling group capacity provider with engine none (the control plane alone). */
class ManagedScalingIT {
    @Test
    void aServiceGrowsTheClusterFromZeroAndScalingToZeroShrinksIt() throws InterruptedException {
        // 15 minutes of scale-in delay x 0.002 = 1.8 s.
        try (TestEmulator emu = TestEmulator.modelOnly(EmulatorSettings.defaults().withTimeScale(new TimeScale(0.002)));
                EcsClient ecs = emu.ecs()) {
            new ManagedScalingScenario(ecs).run("busybox", List.of("sleep", "3600"));
        }
    }
}
