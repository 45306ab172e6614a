package dev.ecsemu.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import org.testcontainers.DockerClientFactory;

/**
 * The tests' task image, built locally (no registry is reachable from the build machines): FROM scratch with the
 * static busybox of the Debian package busybox-static, as the emulator's own tests build it.
 */
final class BusyboxImage {
    static final String NAME = "ecs-emu-test/busybox:1";

    private BusyboxImage() {
    }

    static synchronized String build() {
        try {
            Path context = Files.createTempDirectory("busybox-image");
            Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
            Files.writeString(context.resolve("Dockerfile"),
                    "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\nENV PATH=/bin\n");
            DockerClientFactory.instance().client().buildImageCmd(context.toFile()).withTags(Set.of(NAME)).withPull(false)
                    .withRemove(true).start().awaitImageId();
            return NAME;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
