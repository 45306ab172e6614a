package dev.ecsemu.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Images for tests, built locally: no image registry is reachable from the build machines. The busybox
 * image is {@code FROM scratch} with the static busybox binary of the Debian package busybox-static and a
 * symlink for each of its applets (sh, sleep, httpd, wget, ...). It is built once per JVM.
 */
public final class TestImages {
    public static final String BUSYBOX = "ecs-emu-test/busybox:1";
    private static final Path BUSYBOX_BINARY = Path.of("/bin/busybox");
    private static boolean busyboxBuilt;

    private TestImages() {
    }

    /** Builds (once per JVM) and answers {@value #BUSYBOX}. */
    public static synchronized String busybox() {
        if (busyboxBuilt) {
            return BUSYBOX;
        }
        checkStaticBusybox();
        Path context = null;
        try {
            context = Files.createTempDirectory("ecs-emu-busybox-image");
            Files.copy(BUSYBOX_BINARY, context.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
            Files.writeString(context.resolve("Dockerfile"), String.join("\n",
                    "FROM scratch",
                    "COPY busybox /bin/busybox",
                    "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]",
                    "ENV PATH=/bin",
                    ""), StandardCharsets.UTF_8);
            TestDocker.client().buildImageCmd(context.toFile()).withTags(Set.of(BUSYBOX)).withPull(false).withRemove(true)
                    .start().awaitImageId();
            busyboxBuilt = true;
            return BUSYBOX;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the build context of " + BUSYBOX, e);
        } finally {
            deleteQuietly(context);
        }
    }

    private static void checkStaticBusybox() {
        if (!Files.isRegularFile(BUSYBOX_BINARY)) {
            throw new IllegalStateException(BUSYBOX_BINARY + " is missing: the Docker tests build their image from the static"
                    + " busybox of the Debian package busybox-static (apt-get install busybox-static)");
        }
        // A dynamically linked busybox (package busybox) names its loader in the first bytes; it cannot run FROM scratch.
        try (InputStream in = Files.newInputStream(BUSYBOX_BINARY)) {
            String head = new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1);
            if (!head.startsWith("\u007fELF") || head.contains("ld-linux") || head.contains("ld-musl")) {
                throw new IllegalStateException(BUSYBOX_BINARY + " is not a static busybox: install the Debian package"
                        + " busybox-static (apt-get install busybox-static), which replaces the dynamic one");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BUSYBOX_BINARY, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
