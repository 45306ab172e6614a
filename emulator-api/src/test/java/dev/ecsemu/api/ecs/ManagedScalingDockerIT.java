package dev.ecsemu.api.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.runtime.docker.DockerRuntime;
import dev.ecsemu.core.testing.RequiresDocker;
import dev.ecsemu.core.testing.TestImages;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Managed scaling on the Docker engine: the 6 tasks placed on the instances the capacity provider
 * launched run as real containers, and none is left once the service is at 0 and the group empty.
 */
@RequiresDocker
class ManagedScalingDockerIT {
    /** Stops at once on SIGTERM: `wait` returns when the signal arrives, a foreground `sleep` would not. */
    private static final String SERVE = "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done";

    @Test
    void aServiceGrowsTheClusterFromZeroAndScalingToZeroShrinksIt() throws Exception {
        String image = TestImages.busybox();
        DockerRuntime docker = new DockerRuntime();
        // 15 minutes of scale-in delay x 0.002 = 1.8 s.
        try (TestEmulator emu = TestEmulator.with(docker, EmulatorSettings.defaults().withTimeScale(new TimeScale(0.002)));
                EcsClient ecs = emu.ecs()) {
            docker.firstCheck().get(20, TimeUnit.SECONDS);
            new ManagedScalingScenario(ecs).run(image, List.of("sh", "-c", SERVE));
        }
        Process ps = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=ecs-emu.pid=" + ProcessHandle.current().pid())
                .redirectErrorStream(true).start();
        String left = new String(ps.getInputStream().readAllBytes()).trim();
        ps.waitFor(10, TimeUnit.SECONDS);
        assertThat(left).as("containers left behind").isEmpty();
    }
}
