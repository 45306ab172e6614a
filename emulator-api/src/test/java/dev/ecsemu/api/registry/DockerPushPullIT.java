package dev.ecsemu.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.ecr.Image;
import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.testing.RequiresDocker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;

/**
 * The real docker CLI and engine against the emulator's registry, as the ECR workflow has it: log in
 * with a GetAuthorizationToken password, push a locally built image, pull it back by the same digest.
 * The CLI uses a private DOCKER_CONFIG, so the user's own credentials are never touched.
 */
@RequiresDocker
class DockerPushPullIT {
    private static final String ACCOUNT = "000000000000";
    private static final String REGION = "us-east-1";
    private static final Scope SCOPE = new Scope(ACCOUNT, REGION);
    private static final Pattern PUSHED = Pattern.compile("(\\S+): digest: (sha256:[0-9a-f]{64}) size: \\d+");

    private static TestEmulator emu;
    private static Path dockerConfig;
    private static Cli docker;
    private final List<String> images = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        emu = TestEmulator.modelOnly();
        dockerConfig = Files.createTempDirectory("ecs-emu-docker-config");
        docker = new Cli(Map.of("DOCKER_CONFIG", dockerConfig.toString(), "DOCKER_BUILDKIT", "0"));
    }

    @AfterAll
    static void stop() {
        if (emu != null) {
            emu.close();
        }
        deleteRecursively(dockerConfig);
    }

    @AfterEach
    void removeImages() {
        for (String image : images) {
            docker.run("docker", "rmi", "--force", image);
        }
        docker.run("docker", "logout", emu.emulator().registryHost());
    }

    @Test
    void loginPushRmiPullGetsTheSameDigest() throws IOException {
        createRepository("app", ImageTagMutability.MUTABLE);
        String image = uri("app") + ":v1";
        build(image, 3);

        Cli.Result anonymous = docker.run("docker", "push", image);
        assertThat(anonymous.ok()).as(anonymous.output()).isFalse();
        assertThat(anonymous.output()).containsAnyOf("no basic auth credentials", "unauthorized", "Not Authorized");
        assertThat(repository("app").images()).isEmpty();

        login();
        String pushed = push(image);
        Image stored = repository("app").image("v1").orElseThrow();
        assertThat(stored.digest()).isEqualTo(pushed);
        int baseLayers = Integer.parseInt(docker.expect("docker", "image", "inspect", "--format", "{{len .RootFS.Layers}}",
                dev.ecsemu.core.testing.TestImages.busybox()).trim());
        assertThat(stored.facts().blobs()).as("the config, the base image's layers and 3 more").hasSize(1 + baseLayers + 3);

        docker.expect("docker", "rmi", image);
        assertThat(docker.run("docker", "image", "inspect", image).ok()).isFalse();
        docker.expect("docker", "pull", image);
        String repoDigest = docker.expect("docker", "inspect", "--format", "{{index .RepoDigests 0}}", image).trim();
        assertThat(repoDigest).isEqualTo(uri("app") + "@" + pushed);
        assertThat(docker.expect("docker", "run", "--rm", "--entrypoint", "/bin/cat", image, "/data/file-2.txt"))
                .isEqualTo("layer 2\n");
    }

    @Test
    void aTagPushToAnImmutableRepositoryThatHasTheTagIsRefused() throws IOException {
        createRepository("fixed", ImageTagMutability.IMMUTABLE);
        login();
        String image = uri("fixed") + ":v1";
        build(image, 1);
        String first = push(image);

        build(image, 2); // another image under the same tag
        Cli.Result again = docker.run("docker", "push", image);
        assertThat(again.ok()).as(again.output()).isFalse();
        assertThat(again.output()).contains("The image tag 'v1' already exists in the 'fixed' repository and cannot be overwritten"
                + " because the repository is immutable.");
        assertThat(repository("fixed").image("v1").orElseThrow().digest()).isEqualTo(first);
    }

    @Test
    void aPushToARepositoryThatDoesNotExistIsRefused() throws IOException {
        login();
        String image = uri("missing") + ":v1";
        build(image, 1);
        Cli.Result r = docker.run("docker", "push", image);
        assertThat(r.ok()).as(r.output()).isFalse();
        assertThat(r.output()).contains("The repository with name 'missing' does not exist in the registry with id '" + ACCOUNT + "'");
    }

    private void login() {
        String password = emu.emulator().registry().tokens().issue(ACCOUNT, REGION).password();
        Cli.Result r = docker.runWithInput(password, "docker", "login", emu.emulator().registryHost(), "--username", "AWS", "--password-stdin");
        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Login Succeeded");
    }

    private String push(String image) {
        String output = docker.expect("docker", "push", image);
        Matcher m = PUSHED.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group(2);
    }

    /** A FROM scratch image of {@code layers} layers, each a file of its own (no base image, no network). */
    private void build(String tag, int layers) throws IOException {
        Path context = Files.createTempDirectory("ecs-emu-image");
        try {
            StringBuilder dockerfile = new StringBuilder("FROM ").append(dev.ecsemu.core.testing.TestImages.busybox()).append('\n');
            Random random = new Random();
            for (int i = 1; i <= layers; i++) {
                Files.writeString(context.resolve("file-" + i + ".txt"), "layer " + i + "\n");
                byte[] noise = new byte[64 * 1024];
                random.nextBytes(noise); // each build differs, so each image has a digest of its own
                Files.write(context.resolve("noise-" + i + ".bin"), noise);
                dockerfile.append("COPY file-").append(i).append(".txt noise-").append(i).append(".bin /data/\n");
            }
            Files.writeString(context.resolve("Dockerfile"), dockerfile.toString(), StandardCharsets.UTF_8);
            String id = docker.expect("docker", "build", "--quiet", "--tag", tag, context.toString()).trim();
            images.add(tag);
            images.add(id.substring(id.lastIndexOf('\n') + 1)); // once the tag moves on, only its id names it
        } finally {
            deleteRecursively(context);
        }
    }

    private static String uri(String repository) {
        return emu.emulator().registryHost() + "/" + ACCOUNT + "/" + REGION + "/" + repository;
    }

    private static void createRepository(String name, ImageTagMutability mutability) {
        emu.emulator().stores().of(SCOPE).write(s -> s.repositories().create(name, mutability, null, null));
    }

    private static Repository repository(String name) {
        return emu.emulator().stores().of(SCOPE).read(s -> s.repositories().require(name));
    }

    static void deleteRecursively(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
