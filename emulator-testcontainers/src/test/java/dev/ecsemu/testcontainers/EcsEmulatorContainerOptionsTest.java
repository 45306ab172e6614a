package dev.ecsemu.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every start option of README's Configuration table has its with... method, except those the container sets itself. */
class EcsEmulatorContainerOptionsTest {
    /** The image sets the address and port; configure() the labels; the emulator finds the registry's host itself. */
    private static final Set<String> SET_BY_THE_CONTAINER = Set.of("ECS_EMU_HOST", "ECS_EMU_PORT", "ECS_EMU_CONTAINER_LABELS",
            "ECS_EMU_REGISTRY_HOST", "ECS_EMU_DATA_DIR");

    @Test
    void everyStartOptionOfTheReadmeHasItsMethod() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String configuration = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1));
        Set<String> documented = new HashSet<>();
        Matcher m = Pattern.compile("`(ECS_EMU_[A-Z_]+)`").matcher(configuration);
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).contains("ECS_EMU_INSTANCES", "ECS_EMU_TIME_SCALE");

        try (EcsEmulatorContainer all = new EcsEmulatorContainer().withInstances(1).withInstanceType("m5.xlarge")
                .withSharedInstanceAddresses().withLoopbackAwsvpcPorts().withTimeScale(0.05).withAccount("123456789012")
                .withRegion("eu-west-1").withoutTaskContainers().withContainerRemovalDelay(Duration.ofSeconds(5))
                .withoutRegistryAuth().withLogLevel("DEBUG")) {
            Set<String> covered = new HashSet<>(all.getEnvMap().keySet());
            covered.addAll(SET_BY_THE_CONTAINER);
            assertThat(covered).containsAll(documented);
        }
    }
}
