package dev.ecsemu.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dependency rules of DESIGN.md, checked on the source of emulator-core: core knows no wire
 * protocol, no HTTP and no Netty, and only the Docker adapter package knows docker-java. Jackson reads
 * the JSON documents ECR keeps (image manifests, policies) in the ECR package only; the wire codecs
 * stay in the api module. Imports and fully qualified names in code both count; comments and string
 * literals do not.
 */
class ArchitectureTest {
    /** Maven runs tests with the module directory as the working directory. */
    private static final Path MAIN_SOURCES = Path.of("src/main/java");

    private static final List<String> FORBIDDEN_EVERYWHERE = List.of(
            "io.netty",
            "software.amazon.awssdk.protocols",
            "software.amazon.awssdk.http",
            "software.amazon.awssdk.core.protocol");
    private static final String DOCKER_JAVA = "com.github.dockerjava";
    private static final String DOCKER_ADAPTER = "dev/ecsemu/core/runtime/docker/";
    /** Jackson reads the JSON documents ECR interprets (image manifests, lifecycle policies); no wire format in core. */
    private static final String JACKSON = "com.fasterxml.jackson";
    private static final String ECR_DOCUMENTS = "dev/ecsemu/core/ecr/";

    record Violation(String file, int line, String reference) {
        @Override
        public String toString() {
            return file + ":" + line + " uses " + reference;
        }
    }

    @Test
    void coreSourcesKeepToTheDependencyRules() {
        assertThat(MAIN_SOURCES).as("run from the emulator-core module directory").isDirectory();
        List<Path> files = javaFiles(MAIN_SOURCES);
        assertThat(files).as("the scan must see the core's sources")
                .hasSizeGreaterThan(15)
                .anyMatch(p -> p.endsWith(Path.of("dev/ecsemu/core/cluster/Clusters.java")))
                .anyMatch(p -> p.endsWith(Path.of("dev/ecsemu/core/runtime/docker/DockerRuntime.java")));

        assertThat(violations(MAIN_SOURCES)).isEmpty();
    }

    @Test
    void theDockerAdapterIsWhereDockerJavaIsUsed() {
        // Proves the scanner sees real references: the adapter does use docker-java.
        assertThat(references(MAIN_SOURCES, DOCKER_JAVA)).isNotEmpty()
                .allMatch(v -> v.file().startsWith(DOCKER_ADAPTER), "inside " + DOCKER_ADAPTER);
    }

    @Test
    void theScannerCatchesViolations(@TempDir Path root) throws IOException {
        write(root, "dev/ecsemu/core/cluster/Bad.java", """
                package dev.ecsemu.core.cluster;

                import io.netty.buffer.ByteBuf;
                import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
                import com.github.dockerjava.api.DockerClient;

                final class Bad {
                    software.amazon.awssdk.http.SdkHttpClient client;
                    Object codec = new software.amazon.awssdk.protocols.json.AwsJsonProtocol[0];
                    software.amazon.awssdk.core.protocol.MarshallLocation where;
                }
                """);
        write(root, "dev/ecsemu/core/runtime/docker/Fine.java", """
                package dev.ecsemu.core.runtime.docker;

                import com.github.dockerjava.api.DockerClient;
                import software.amazon.awssdk.core.SdkBytes;

                final class Fine {
                    // io.netty.buffer.ByteBuf in a comment is not a use
                    /* nor is com.fasterxml.jackson.core.JsonParser here */
                    String text = "io.netty.channel.Channel and software.amazon.awssdk.http.Foo";
                    String block = \"""
                            com.fasterxml.jackson.databind.ObjectMapper
                            \""";
                    char quote = '"';
                    String after = "x"; // a string after a char literal is still a string: "io.netty.x"
                    Object httpish = software.amazon.awssdk.httpauth.Thing.class;
                }
                """);

        write(root, "dev/ecsemu/core/ecr/Document.java", """
                package dev.ecsemu.core.ecr;

                import com.fasterxml.jackson.databind.ObjectMapper;
                import io.netty.buffer.ByteBuf;

                final class Document {
                }
                """);

        assertThat(violations(root)).extracting(Violation::toString).containsExactly(
                "dev/ecsemu/core/cluster/Bad.java:3 uses io.netty",
                "dev/ecsemu/core/cluster/Bad.java:4 uses com.fasterxml.jackson",
                "dev/ecsemu/core/cluster/Bad.java:5 uses com.github.dockerjava",
                "dev/ecsemu/core/cluster/Bad.java:8 uses software.amazon.awssdk.http",
                "dev/ecsemu/core/cluster/Bad.java:9 uses software.amazon.awssdk.protocols",
                "dev/ecsemu/core/cluster/Bad.java:10 uses software.amazon.awssdk.core.protocol",
                "dev/ecsemu/core/ecr/Document.java:4 uses io.netty");
    }

    /** Every forbidden reference under {@code root}, in file then line order. */
    static List<Violation> violations(Path root) {
        List<Violation> out = new ArrayList<>();
        for (String forbidden : FORBIDDEN_EVERYWHERE) {
            out.addAll(references(root, forbidden));
        }
        for (Violation v : references(root, DOCKER_JAVA)) {
            if (!v.file().startsWith(DOCKER_ADAPTER)) {
                out.add(v);
            }
        }
        for (Violation v : references(root, JACKSON)) {
            if (!v.file().startsWith(ECR_DOCUMENTS)) {
                out.add(v);
            }
        }
        out.sort((a, b) -> a.file().equals(b.file()) ? Integer.compare(a.line(), b.line()) : a.file().compareTo(b.file()));
        return out;
    }

    /** Where the code under {@code root} names the package {@code prefix} or one below it. */
    static List<Violation> references(Path root, String prefix) {
        Pattern use = Pattern.compile("(?<![\\w.$])" + Pattern.quote(prefix) + "(?![\\w$])");
        List<Violation> out = new ArrayList<>();
        for (Path file : javaFiles(root)) {
            String code = codeOnly(read(file));
            String relative = root.relativize(file).toString().replace('\\', '/');
            Matcher m = use.matcher(code);
            while (m.find()) {
                int line = 1;
                for (int i = 0; i < m.start(); i++) {
                    if (code.charAt(i) == '\n') {
                        line++;
                    }
                }
                out.add(new Violation(relative, line, prefix));
            }
        }
        return out;
    }

    /** The source with comments and string, text-block and char literals blanked out; line breaks are kept. */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(source, i, end, out);
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && source.charAt(end - 1) == '\\') {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                end = end < 0 ? n : end + 3;
                blank(source, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                int end = Math.min(n, j + 1);
                blank(source, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String source, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            out.append(source.charAt(k) == '\n' ? '\n' : ' ');
        }
    }

    private static List<Path> javaFiles(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
