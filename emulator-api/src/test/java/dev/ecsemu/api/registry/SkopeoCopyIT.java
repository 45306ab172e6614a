package dev.ecsemu.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.Json;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.ecr.Image;
import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.registry.Digests;
import dev.ecsemu.core.state.Scope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;

/**
 * skopeo (containers/image, the library of podman and buildah) copies OCI images into the registry and
 * back out unchanged, an image index with all its images included.
 */
@RequiresSkopeo
class SkopeoCopyIT {
    private static final String ACCOUNT = "000000000000";
    private static final String REGION = "us-east-1";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    private TestEmulator emu;
    private Path work;
    private final Cli skopeo = new Cli(Map.of());
    private final Random random = new Random(7);

    @BeforeEach
    void start() throws IOException {
        emu = TestEmulator.modelOnly();
        work = Files.createTempDirectory("ecs-emu-skopeo");
        emu.emulator().stores().of(new Scope(ACCOUNT, REGION)).write(s -> s.repositories().create("app", ImageTagMutability.MUTABLE,
                null, null));
    }

    @AfterEach
    void stop() {
        emu.close();
        DockerPushPullIT.deleteRecursively(work);
    }

    @Test
    void copiesAnOciImageInAndOut() throws IOException {
        Layout source = new Layout(work.resolve("in"));
        String manifest = source.image("amd64", 2);
        source.index(Map.of("v1", new Descriptor(OCI_MANIFEST, manifest, source.size(manifest))));

        copy("--dest-creds", "AWS:" + password(), "oci:" + source.dir + ":v1", "docker://" + reference("v1"));
        Image stored = repository().image("v1").orElseThrow();
        assertThat(stored.digest()).isEqualTo(manifest);
        assertThat(stored.mediaType()).isEqualTo(OCI_MANIFEST);
        assertThat(stored.manifest()).isEqualTo(source.blob(manifest));

        Path out = work.resolve("out");
        copy("--src-creds", "AWS:" + password(), "docker://" + reference("v1"), "oci:" + out + ":v1");
        Layout copied = new Layout(out);
        assertThat(copied.refs()).containsEntry("v1", manifest);
        for (String blob : source.blobs()) {
            assertThat(copied.blob(blob)).as(blob).isEqualTo(source.blob(blob));
        }
    }

    @Test
    void copiesAnIndexWithAllItsImages() throws IOException {
        Layout source = new Layout(work.resolve("in"));
        String amd64 = source.image("amd64", 1);
        String arm64 = source.image("arm64", 2);
        String index = source.put(("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + amd64 + "\",\"size\":" + source.size(amd64)
                + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + arm64 + "\",\"size\":" + source.size(arm64)
                + ",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}").getBytes(StandardCharsets.UTF_8));
        source.index(Map.of("multi", new Descriptor(OCI_INDEX, index, source.size(index))));

        copy("--all", "--dest-creds", "AWS:" + password(), "oci:" + source.dir + ":multi", "docker://" + reference("multi"));
        assertThat(repository().image("multi").orElseThrow().digest()).isEqualTo(index);
        assertThat(repository().images()).extracting(Image::digest).containsExactlyInAnyOrder(amd64, arm64, index);

        Path out = work.resolve("out");
        copy("--all", "--src-creds", "AWS:" + password(), "docker://" + reference("multi"), "oci:" + out + ":multi");
        Layout copied = new Layout(out);
        assertThat(copied.refs()).containsEntry("multi", index);
        for (String blob : source.blobs()) {
            assertThat(copied.blob(blob)).as(blob).isEqualTo(source.blob(blob));
        }
    }

    @Test
    void aCopyWithoutValidCredentialsIsRefused() throws IOException {
        Layout source = new Layout(work.resolve("in"));
        String manifest = source.image("amd64", 1);
        source.index(Map.of("v1", new Descriptor(OCI_MANIFEST, manifest, source.size(manifest))));
        Cli.Result r = skopeo.run("skopeo", "--insecure-policy", "copy", "--preserve-digests", "--dest-tls-verify=false",
                "--dest-creds", "AWS:wrong", "oci:" + source.dir + ":v1", "docker://" + reference("v1"));
        assertThat(r.ok()).as(r.output()).isFalse();
        assertThat(r.output()).containsIgnoringCase("unauthorized");
        assertThat(repository().images()).isEmpty();
        assertThat(emu.emulator().registry().blobs().bytesStored()).isZero();
    }

    private void copy(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--preserve-digests",
                "--src-tls-verify=false", "--dest-tls-verify=false"));
        command.addAll(List.of(args));
        skopeo.expect(command.toArray(String[]::new));
    }

    private String reference(String tag) {
        return emu.emulator().registryHost() + "/" + ACCOUNT + "/" + REGION + "/app:" + tag;
    }

    private String password() {
        return emu.emulator().registry().tokens().issue(ACCOUNT, REGION).password();
    }

    private Repository repository() {
        return emu.emulator().stores().of(new Scope(ACCOUNT, REGION)).read(s -> s.repositories().require("app"));
    }

    private record Descriptor(String mediaType, String digest, long size) {
    }

    /** An OCI image layout directory: {@code oci-layout}, {@code index.json}, {@code blobs/sha256/…}. */
    private final class Layout {
        final Path dir;

        Layout(Path dir) throws IOException {
            this.dir = dir;
            Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
        }

        String put(byte[] bytes) throws IOException {
            String digest = Digests.of(bytes);
            Files.write(path(digest), bytes);
            return digest;
        }

        byte[] blob(String digest) throws IOException {
            return Files.readAllBytes(path(digest));
        }

        long size(String digest) throws IOException {
            return Files.size(path(digest));
        }

        List<String> blobs() throws IOException {
            try (var files = Files.list(dir.resolve("blobs").resolve("sha256"))) {
                return files.map(f -> "sha256:" + f.getFileName()).toList();
            }
        }

        private Path path(String digest) {
            return dir.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
        }

        /** A config and {@code layers} gzipped layers; answers the manifest's digest. */
        String image(String architecture, int layers) throws IOException {
            byte[] config = ("{\"architecture\":\"" + architecture + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
                    + "\"config\":{}}").getBytes(StandardCharsets.UTF_8);
            StringBuilder m = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                    + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + put(config) + "\",\"size\":" + config.length
                    + "},\"layers\":[");
            for (int i = 0; i < layers; i++) {
                byte[] layer = gzip(i);
                m.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"")
                        .append(put(layer)).append("\",\"size\":").append(layer.length).append('}');
            }
            return put(m.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        }

        void index(Map<String, Descriptor> refs) throws IOException {
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            StringBuilder s = new StringBuilder("{\"schemaVersion\":2,\"manifests\":[");
            String sep = "";
            for (Map.Entry<String, Descriptor> r : refs.entrySet()) {
                s.append(sep).append("{\"mediaType\":\"").append(r.getValue().mediaType()).append("\",\"digest\":\"")
                        .append(r.getValue().digest()).append("\",\"size\":").append(r.getValue().size())
                        .append(",\"annotations\":{\"org.opencontainers.image.ref.name\":\"").append(r.getKey()).append("\"}}");
                sep = ",";
            }
            Files.writeString(dir.resolve("index.json"), s.append("]}").toString());
        }

        /** The tags of index.json and the digests they name. */
        @SuppressWarnings("unchecked")
        Map<String, String> refs() throws IOException {
            Map<String, String> out = new java.util.HashMap<>();
            for (Object o : (List<Object>) Json.object(Files.readString(dir.resolve("index.json"))).get("manifests")) {
                Map<String, Object> d = (Map<String, Object>) o;
                Map<String, Object> annotations = (Map<String, Object>) d.get("annotations");
                out.put((String) annotations.get("org.opencontainers.image.ref.name"), (String) d.get("digest"));
            }
            return out;
        }

        private byte[] gzip(int i) throws IOException {
            byte[] content = new byte[32 * 1024 + i];
            random.nextBytes(content);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(content);
            }
            return out.toByteArray();
        }
    }
}
