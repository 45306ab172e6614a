package dev.ecsemu.api.registry;

import static dev.ecsemu.api.registry.RegistryClient.header;
import static dev.ecsemu.api.registry.RegistryClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.testing.Json;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.registry.BlobStore;
import dev.ecsemu.core.registry.Digests;
import dev.ecsemu.core.state.Scope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;

/**
 * The registry under /v2/ over plain HTTP, request by request as the distribution spec and ECR have it:
 * what each endpoint answers, and what it refuses (with the spec's error, and nothing stored).
 */
class RegistryProtocolIT {
    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";
    static final Scope SCOPE = new Scope(ACCOUNT, REGION);
    static final String APP = ACCOUNT + "/" + REGION + "/app";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    private static TestEmulator emu;
    private static RegistryClient registry;
    private final Random random = new Random(42);

    @BeforeAll
    static void start() {
        emu = TestEmulator.modelOnly();
        String token = emu.emulator().registry().tokens().issue(ACCOUNT, REGION).authorizationToken();
        registry = new RegistryClient(emu.endpoint(), "Basic " + token);
    }

    @AfterAll
    static void stop() {
        if (emu != null) {
            emu.close();
        }
    }

    @BeforeEach
    void clean() {
        assertThat(emu.postEmpty("/_ecs-emu/reset").statusCode()).isEqualTo(200);
        createRepository(SCOPE, "app", ImageTagMutability.MUTABLE);
    }

    // ---- base check and authentication ----------------------------------------------------------------

    @Test
    void baseCheckAnswersTheApiVersion() {
        HttpResponse<byte[]> r = registry.get("/v2/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
    }

    @Test
    void requestsWithoutCredentialsGetTheBasicChallenge() {
        RegistryClient anonymous = registry.withAuthorization(null);
        for (String path : List.of("/v2/", "/v2/" + APP + "/tags/list", "/v2/_catalog")) {
            HttpResponse<byte[]> r = anonymous.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(header(r, "WWW-Authenticate"))
                    .isEqualTo("Basic realm=\"http://" + emu.emulator().registryHost() + "/\",service=\"ecr.amazonaws.com\"");
            assertThat(header(r, "Docker-Distribution-Api-Version")).isEqualTo("registry/2.0");
            assertThat(errorCode(r)).isEqualTo("UNAUTHORIZED");
        }
        HttpResponse<byte[]> push = anonymous.post("/v2/" + APP + "/blobs/uploads/", new byte[0]);
        assertThat(push.statusCode()).isEqualTo(401);
        assertThat(emu.emulator().registry().blobs().upload("any")).isEmpty();
    }

    @Test
    void aPasswordThisEmulatorDidNotIssueIsRefused() {
        String forged = "Basic " + java.util.Base64.getEncoder().encodeToString("AWS:not-a-token".getBytes(StandardCharsets.UTF_8));
        String otherUser = "Basic " + java.util.Base64.getEncoder().encodeToString(("bob:" + emu.emulator().registry().tokens()
                .issue(ACCOUNT, REGION).password()).getBytes(StandardCharsets.UTF_8));
        String tampered = emu.emulator().registry().tokens().issue(ACCOUNT, REGION).password() + "x";
        for (String authorization : List.of(forged, otherUser, "Basic " + java.util.Base64.getEncoder().encodeToString(("AWS:" + tampered)
                .getBytes(StandardCharsets.UTF_8)), "Bearer abc")) {
            HttpResponse<byte[]> r = registry.withAuthorization(authorization).get("/v2/");
            assertThat(r.statusCode()).as(authorization).isEqualTo(401);
            assertThat(header(r, "WWW-Authenticate")).startsWith("Basic realm=");
        }
    }

    @Test
    void withAuthenticationOffNoCredentialsAreNeeded() {
        try (TestEmulator open = TestEmulator.modelOnly(EmulatorSettings.defaults().withRegistryAuth(false))) {
            RegistryClient anonymous = new RegistryClient(open.endpoint(), null);
            assertThat(anonymous.get("/v2/").statusCode()).isEqualTo(200);
            assertThat(anonymous.get("/v2/_catalog").statusCode()).isEqualTo(200);
        }
    }

    // ---- blob uploads -----------------------------------------------------------------------------------

    @Test
    void monolithicUploadStoresTheBlob() {
        byte[] blob = bytes(100_000);
        String digest = Digests.of(blob);
        HttpResponse<byte[]> r = registry.post("/v2/" + APP + "/blobs/uploads/?digest=" + digest, blob,
                "Content-Type", "application/octet-stream");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(header(r, "Location")).isEqualTo("/v2/" + APP + "/blobs/" + digest);
        assertThat(header(r, "Docker-Content-Digest")).isEqualTo(digest);

        HttpResponse<byte[]> head = registry.head("/v2/" + APP + "/blobs/" + digest);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(header(head, "Content-Length")).isEqualTo("100000");
        assertThat(header(head, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(head.body()).isEmpty();

        HttpResponse<byte[]> get = registry.get("/v2/" + APP + "/blobs/" + digest);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(blob);
        assertThat(header(get, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(blobs().bytesStored()).isEqualTo(blob.length);
    }

    @Test
    void chunkedUploadGoesPostPatchPut() {
        byte[] blob = bytes(300_000);
        String digest = Digests.of(blob);
        HttpResponse<byte[]> start = registry.post("/v2/" + APP + "/blobs/uploads/", new byte[0]);
        assertThat(start.statusCode()).isEqualTo(202);
        String location = header(start, "Location");
        String uuid = header(start, "Docker-Upload-UUID");
        assertThat(location).isEqualTo("/v2/" + APP + "/blobs/uploads/" + uuid);
        assertThat(header(start, "Range")).isEqualTo("0-0");

        HttpResponse<byte[]> first = registry.patch(location, Arrays.copyOfRange(blob, 0, 100_000), "Content-Range", "0-99999",
                "Content-Type", "application/octet-stream");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(header(first, "Range")).isEqualTo("0-99999");
        assertThat(header(first, "Location")).isEqualTo(location);
        assertThat(header(first, "Docker-Upload-UUID")).isEqualTo(uuid);

        HttpResponse<byte[]> outOfOrder = registry.patch(location, Arrays.copyOfRange(blob, 200_000, 300_000), "Content-Range",
                "200000-299999");
        assertThat(outOfOrder.statusCode()).isEqualTo(416);
        assertThat(header(outOfOrder, "Range")).isEqualTo("0-99999");

        HttpResponse<byte[]> streamed = registry.patch(location, Arrays.copyOfRange(blob, 100_000, 200_000)); // no Content-Range
        assertThat(streamed.statusCode()).isEqualTo(202);
        assertThat(header(streamed, "Range")).isEqualTo("0-199999");

        HttpResponse<byte[]> status = registry.get(location);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(header(status, "Range")).isEqualTo("0-199999");
        assertThat(header(status, "Docker-Upload-UUID")).isEqualTo(uuid);
        assertThat(registry.head("/v2/" + APP + "/blobs/" + digest).statusCode()).as("invisible until committed").isEqualTo(404);

        HttpResponse<byte[]> done = registry.put(location + "?digest=" + digest, Arrays.copyOfRange(blob, 200_000, 300_000));
        assertThat(done.statusCode()).isEqualTo(201);
        assertThat(header(done, "Location")).isEqualTo("/v2/" + APP + "/blobs/" + digest);
        assertThat(header(done, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(registry.get("/v2/" + APP + "/blobs/" + digest).body()).isEqualTo(blob);
        assertThat(registry.get(location).statusCode()).as("the upload is over").isEqualTo(404);
    }

    @Test
    void aLargeBodyStreamsThroughInChunks() {
        int size = 48 * 1024 * 1024 + 123; // over the API's 8 MiB body limit: it is never collected
        byte[] blob = bytes(size);
        String digest = Digests.of(blob);
        String location = header(registry.post("/v2/" + APP + "/blobs/uploads/", new byte[0]), "Location");
        // Chunked transfer encoding, as docker sends a layer it streams.
        HttpResponse<byte[]> patch = registry.send("PATCH", location, HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(blob)));
        assertThat(patch.statusCode()).isEqualTo(202);
        assertThat(header(patch, "Range")).isEqualTo("0-" + (size - 1));
        assertThat(registry.put(location + "?digest=" + digest, new byte[0]).statusCode()).isEqualTo(201);
        assertThat(registry.get("/v2/" + APP + "/blobs/" + digest).body()).isEqualTo(blob);
    }

    @Test
    void aWrongDigestIsRefusedAndNothingIsStored() {
        byte[] blob = bytes(50_000);
        String wrong = Digests.of(bytes(10));
        String location = header(registry.post("/v2/" + APP + "/blobs/uploads/", new byte[0]), "Location");
        assertThat(registry.patch(location, blob).statusCode()).isEqualTo(202);
        HttpResponse<byte[]> r = registry.put(location + "?digest=" + wrong, new byte[0]);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("DIGEST_INVALID");
        assertNothingStored();
        assertThat(registry.get(location).statusCode()).isEqualTo(404);

        HttpResponse<byte[]> monolithic = registry.post("/v2/" + APP + "/blobs/uploads/?digest=" + wrong, blob);
        assertThat(monolithic.statusCode()).isEqualTo(400);
        assertThat(errorCode(monolithic)).isEqualTo("DIGEST_INVALID");
        assertNothingStored();
    }

    @Test
    void aTruncatedUploadIsRefusedAndNothingIsStored() {
        byte[] blob = bytes(80_000);
        String digest = Digests.of(blob);
        String location = header(registry.post("/v2/" + APP + "/blobs/uploads/", new byte[0]), "Location");
        assertThat(registry.patch(location, Arrays.copyOfRange(blob, 0, 30_000)).statusCode()).isEqualTo(202);
        HttpResponse<byte[]> r = registry.put(location + "?digest=" + digest, Arrays.copyOfRange(blob, 30_000, 60_000));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("DIGEST_INVALID");
        assertThat(registry.head("/v2/" + APP + "/blobs/" + digest).statusCode()).isEqualTo(404);
        assertNothingStored();

        HttpResponse<byte[]> monolithic = registry.post("/v2/" + APP + "/blobs/uploads/?digest=" + digest, Arrays.copyOf(blob, 79_999));
        assertThat(errorCode(monolithic)).isEqualTo("DIGEST_INVALID");
        assertNothingStored();
    }

    @Test
    void malformedDigestsAreRefused() {
        String location = header(registry.post("/v2/" + APP + "/blobs/uploads/", new byte[0]), "Location");
        for (String digest : List.of("sha256:abc", "md5:d41d8cd98f00b204e9800998ecf8427e", "SHA256:" + "a".repeat(64))) {
            HttpResponse<byte[]> r = registry.put(location + "?digest=" + digest, new byte[0]);
            assertThat(r.statusCode()).as(digest).isEqualTo(400);
            assertThat(errorCode(r)).isEqualTo("DIGEST_INVALID");
        }
        HttpResponse<byte[]> noDigest = registry.put(location, new byte[0]);
        assertThat(errorCode(noDigest)).isEqualTo("DIGEST_INVALID");
        assertThat(errorCode(registry.get("/v2/" + APP + "/blobs/sha256:xyz"))).isEqualTo("DIGEST_INVALID");
        assertNothingStored();
    }

    @Test
    void cancelledUploadsAreGone() {
        String location = header(registry.post("/v2/" + APP + "/blobs/uploads/", new byte[0]), "Location");
        registry.patch(location, bytes(1000));
        assertThat(registry.delete(location).statusCode()).isEqualTo(204);
        HttpResponse<byte[]> status = registry.get(location);
        assertThat(status.statusCode()).isEqualTo(404);
        assertThat(errorCode(status)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        assertThat(errorCode(registry.patch(location, bytes(10)))).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        assertThat(errorCode(registry.get("/v2/" + APP + "/blobs/uploads/no-such-upload"))).isEqualTo("BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void anUploadBelongsToItsRepository() {
        createRepository(SCOPE, "other", ImageTagMutability.MUTABLE);
        String location = header(registry.post("/v2/" + APP + "/blobs/uploads/", new byte[0]), "Location");
        String elsewhere = location.replace("/app/", "/other/");
        assertThat(errorCode(registry.get(elsewhere))).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        assertThat(registry.get(location).statusCode()).isEqualTo(204);
    }

    @Test
    void aConnectionClosedMidBodyLeavesAResumableUpload() throws Exception {
        String location = header(registry.post("/v2/" + APP + "/blobs/uploads/", new byte[0]), "Location");
        byte[] blob = bytes(20_000);
        try (Socket socket = new Socket(emu.endpoint().getHost(), emu.endpoint().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + authorization()
                    + "\r\nContent-Length: 20000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(blob, 0, 8_000);
            out.flush();
            // Closed after 8000 of 20000 bytes.
        }
        // The server writes what arrived after the connection is gone; ask until it has (the client would, too).
        String range = null;
        for (int i = 0; i < 200 && !"0-7999".equals(range); i++) {
            range = header(registry.get(location), "Range");
            if (!"0-7999".equals(range)) {
                Thread.sleep(25);
            }
        }
        assertThat(range).isEqualTo("0-7999");
        assertThat(registry.patch(location, Arrays.copyOfRange(blob, 8_000, 20_000), "Content-Range", "8000-19999").statusCode())
                .isEqualTo(202);
        assertThat(registry.put(location + "?digest=" + Digests.of(blob), new byte[0]).statusCode()).isEqualTo(201);
    }

    // ---- blob reads -------------------------------------------------------------------------------------

    @Test
    void blobRangesAreServed() {
        byte[] blob = bytes(1000);
        String digest = pushBlob(APP, blob);
        String path = "/v2/" + APP + "/blobs/" + digest;

        HttpResponse<byte[]> middle = registry.get(path, "Range", "bytes=10-19");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(header(middle, "Content-Range")).isEqualTo("bytes 10-19/1000");
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(blob, 10, 20));

        HttpResponse<byte[]> open = registry.get(path, "Range", "bytes=990-");
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(blob, 990, 1000));

        HttpResponse<byte[]> suffix = registry.get(path, "Range", "bytes=-5");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(blob, 995, 1000));
        assertThat(header(suffix, "Content-Range")).isEqualTo("bytes 995-999/1000");

        HttpResponse<byte[]> beyond = registry.get(path, "Range", "bytes=1000-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(header(beyond, "Content-Range")).isEqualTo("bytes */1000");

        HttpResponse<byte[]> whole = registry.get(path, "Range", "bytes=0-5,10-20"); // several ranges: the whole blob
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(blob);
    }

    @Test
    void aBlobIsOnlyServedFromARepositoryHoldingIt() {
        createRepository(SCOPE, "other", ImageTagMutability.MUTABLE);
        String digest = pushBlob(APP, bytes(100));
        HttpResponse<byte[]> r = registry.head("/v2/" + ACCOUNT + "/" + REGION + "/other/blobs/" + digest);
        assertThat(r.statusCode()).isEqualTo(404);
        HttpResponse<byte[]> get = registry.get("/v2/" + ACCOUNT + "/" + REGION + "/other/blobs/" + digest);
        assertThat(errorCode(get)).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void crossRepositoryMountLinksAnExistingBlob() {
        createRepository(SCOPE, "other", ImageTagMutability.MUTABLE);
        createRepository(new Scope(ACCOUNT, "eu-west-1"), "app", ImageTagMutability.MUTABLE);
        String digest = pushBlob(APP, bytes(5000));
        long stored = blobs().bytesStored();

        HttpResponse<byte[]> mounted = registry.post("/v2/" + ACCOUNT + "/" + REGION + "/other/blobs/uploads/?mount=" + digest
                + "&from=" + APP, new byte[0]);
        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(header(mounted, "Location")).isEqualTo("/v2/" + ACCOUNT + "/" + REGION + "/other/blobs/" + digest);
        assertThat(header(mounted, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(registry.head("/v2/" + ACCOUNT + "/" + REGION + "/other/blobs/" + digest).statusCode()).isEqualTo(200);
        assertThat(blobs().bytesStored()).as("one copy on disk").isEqualTo(stored);

        // Another region's registry, or a source that does not hold it: an ordinary upload starts.
        HttpResponse<byte[]> otherRegion = registry.post("/v2/" + ACCOUNT + "/eu-west-1/app/blobs/uploads/?mount=" + digest
                + "&from=" + APP, new byte[0]);
        assertThat(otherRegion.statusCode()).isEqualTo(202);
        assertThat(header(otherRegion, "Location")).startsWith("/v2/" + ACCOUNT + "/eu-west-1/app/blobs/uploads/");
        String unknown = Digests.of(bytes(7));
        HttpResponse<byte[]> missing = registry.post("/v2/" + ACCOUNT + "/" + REGION + "/other/blobs/uploads/?mount=" + unknown
                + "&from=" + APP, new byte[0]);
        assertThat(missing.statusCode()).isEqualTo(202);
        assertThat(header(missing, "Docker-Upload-UUID")).isNotBlank();
    }

    // ---- manifests --------------------------------------------------------------------------------------

    @Test
    void dockerSchema2ManifestByTagAndDigest() {
        byte[] manifest = image(APP, DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json",
                "application/vnd.docker.image.rootfs.diff.tar.gzip", 2);
        String digest = Digests.of(manifest);
        HttpResponse<byte[]> put = registry.put("/v2/" + APP + "/manifests/latest", manifest, "Content-Type", DOCKER_MANIFEST);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(header(put, "Location")).isEqualTo("/v2/" + APP + "/manifests/" + digest);

        for (String reference : List.of("latest", digest)) {
            HttpResponse<byte[]> get = registry.get("/v2/" + APP + "/manifests/" + reference, "Accept", DOCKER_MANIFEST);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).as("byte-exact").isEqualTo(manifest);
            assertThat(header(get, "Content-Type")).isEqualTo(DOCKER_MANIFEST);
            assertThat(header(get, "Docker-Content-Digest")).isEqualTo(digest);
            HttpResponse<byte[]> head = registry.head("/v2/" + APP + "/manifests/" + reference);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(header(head, "Content-Length")).isEqualTo(Integer.toString(manifest.length));
            assertThat(header(head, "Docker-Content-Digest")).isEqualTo(digest);
        }
    }

    @Test
    void ociManifestAndIndex() {
        byte[] amd64 = image(APP, OCI_MANIFEST, "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip",
                1);
        byte[] arm64 = image(APP, OCI_MANIFEST, "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar",
                3);
        for (byte[] m : List.of(amd64, arm64)) {
            HttpResponse<byte[]> put = registry.put("/v2/" + APP + "/manifests/" + Digests.of(m), m, "Content-Type", OCI_MANIFEST);
            assertThat(put.statusCode()).isEqualTo(201);
        }
        byte[] index = index(OCI_INDEX, OCI_MANIFEST, amd64, arm64);
        HttpResponse<byte[]> put = registry.put("/v2/" + APP + "/manifests/v1", index, "Content-Type", OCI_INDEX);
        assertThat(put.statusCode()).isEqualTo(201);

        HttpResponse<byte[]> get = registry.get("/v2/" + APP + "/manifests/v1", "Accept", OCI_INDEX + ", " + OCI_MANIFEST);
        assertThat(get.body()).isEqualTo(index);
        assertThat(header(get, "Content-Type")).isEqualTo(OCI_INDEX);
        HttpResponse<byte[]> child = registry.get("/v2/" + APP + "/manifests/" + Digests.of(arm64));
        assertThat(child.body()).isEqualTo(arm64);
        assertThat(header(child, "Content-Type")).isEqualTo(OCI_MANIFEST);
        assertThat(repository(SCOPE, "app").images()).hasSize(3);
        assertThat(repository(SCOPE, "app").tags()).containsOnlyKeys("v1");
    }

    @Test
    void aManifestReferencingAMissingBlobIsRefused() {
        String config = pushBlob(APP, bytes(100));
        String missing = Digests.of(bytes(33));
        byte[] manifest = manifest(DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json", config, 100,
                "application/vnd.docker.image.rootfs.diff.tar.gzip", Map.of(missing, 33L));
        HttpResponse<byte[]> r = registry.put("/v2/" + APP + "/manifests/latest", manifest, "Content-Type", DOCKER_MANIFEST);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
        assertThat(text(r)).contains(missing);
        assertThat(repository(SCOPE, "app").images()).isEmpty();
        assertThat(registry.get("/v2/" + APP + "/manifests/latest").statusCode()).isEqualTo(404);
    }

    @Test
    void anIndexReferencingAMissingManifestIsRefused() {
        byte[] notPushed = image(APP, OCI_MANIFEST, "application/vnd.oci.image.config.v1+json",
                "application/vnd.oci.image.layer.v1.tar+gzip", 1);
        HttpResponse<byte[]> r = registry.put("/v2/" + APP + "/manifests/v1", index(OCI_INDEX, OCI_MANIFEST, notPushed), "Content-Type",
                OCI_INDEX);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
        assertThat(repository(SCOPE, "app").images()).isEmpty();
    }

    @Test
    void invalidManifestsAreRefused() {
        for (String body : List.of("not json", "[]", "{\"schemaVersion\":1,\"name\":\"x\"}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_MANIFEST + "\",\"layers\":[]}")) {
            HttpResponse<byte[]> r = registry.put("/v2/" + APP + "/manifests/latest", body.getBytes(StandardCharsets.UTF_8),
                    "Content-Type", DOCKER_MANIFEST);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(errorCode(r)).isEqualTo("MANIFEST_INVALID");
        }
        HttpResponse<byte[]> tooLarge = registry.put("/v2/" + APP + "/manifests/latest", new byte[4 * 1024 * 1024 + 1],
                "Content-Type", DOCKER_MANIFEST);
        assertThat(tooLarge.statusCode()).isEqualTo(400);
        assertThat(errorCode(tooLarge)).isEqualTo("MANIFEST_INVALID");
        byte[] manifest = image(APP, DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json",
                "application/vnd.docker.image.rootfs.diff.tar.gzip", 1);
        HttpResponse<byte[]> wrongDigest = registry.put("/v2/" + APP + "/manifests/" + Digests.of(bytes(3)), manifest,
                "Content-Type", DOCKER_MANIFEST);
        assertThat(errorCode(wrongDigest)).isEqualTo("DIGEST_INVALID");
        HttpResponse<byte[]> badTag = registry.put("/v2/" + APP + "/manifests/-bad", manifest, "Content-Type", DOCKER_MANIFEST);
        assertThat(errorCode(badTag)).isEqualTo("TAG_INVALID");
        assertThat(repository(SCOPE, "app").images()).isEmpty();
    }

    @Test
    void unknownManifestsAreManifestUnknown() {
        HttpResponse<byte[]> r = registry.get("/v2/" + APP + "/manifests/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(errorCode(r)).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(registry.head("/v2/" + APP + "/manifests/" + Digests.of(bytes(1))).statusCode()).isEqualTo(404);
    }

    @Test
    void anImmutableRepositoryRefusesToMoveATag() {
        createRepository(SCOPE, "fixed", ImageTagMutability.IMMUTABLE);
        String name = ACCOUNT + "/" + REGION + "/fixed";
        byte[] first = image(name, DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json",
                "application/vnd.docker.image.rootfs.diff.tar.gzip", 1);
        byte[] second = image(name, DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json",
                "application/vnd.docker.image.rootfs.diff.tar.gzip", 1);
        assertThat(registry.put("/v2/" + name + "/manifests/v1", first, "Content-Type", DOCKER_MANIFEST).statusCode()).isEqualTo(201);
        for (byte[] again : List.of(second, first)) {
            HttpResponse<byte[]> r = registry.put("/v2/" + name + "/manifests/v1", again, "Content-Type", DOCKER_MANIFEST);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(errorCode(r)).isEqualTo("TAG_INVALID");
            assertThat(errorMessage(r)).isEqualTo("The image tag 'v1' already exists in the 'fixed' repository and cannot be overwritten"
                    + " because the repository is immutable.");
        }
        assertThat(registry.get("/v2/" + name + "/manifests/v1").body()).isEqualTo(first);
        // By digest, with no tag, the same image may be pushed again.
        assertThat(registry.put("/v2/" + name + "/manifests/" + Digests.of(second), second, "Content-Type", DOCKER_MANIFEST)
                .statusCode()).isEqualTo(201);
    }

    @Test
    void deletingAManifestByDigestFreesItsBlobs() {
        byte[] manifest = image(APP, DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json",
                "application/vnd.docker.image.rootfs.diff.tar.gzip", 2);
        String digest = Digests.of(manifest);
        registry.put("/v2/" + APP + "/manifests/latest", manifest, "Content-Type", DOCKER_MANIFEST);
        assertThat(blobs().bytesStored()).isPositive();

        HttpResponse<byte[]> r = registry.delete("/v2/" + APP + "/manifests/" + digest);
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(registry.get("/v2/" + APP + "/manifests/latest").statusCode()).isEqualTo(404);
        assertThat(registry.get("/v2/" + APP + "/manifests/" + digest).statusCode()).isEqualTo(404);
        assertThat(errorCode(registry.delete("/v2/" + APP + "/manifests/" + digest))).isEqualTo("MANIFEST_UNKNOWN");
        emu.emulator().registry().collectGarbage(); // the one the delete set off may still be on its way
        assertThat(blobs().bytesStored()).isZero();
    }

    @Test
    void deletingByTagRemovesOnlyTheTag() {
        byte[] manifest = image(APP, DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json",
                "application/vnd.docker.image.rootfs.diff.tar.gzip", 1);
        registry.put("/v2/" + APP + "/manifests/latest", manifest, "Content-Type", DOCKER_MANIFEST);
        assertThat(registry.delete("/v2/" + APP + "/manifests/latest").statusCode()).isEqualTo(202);
        assertThat(registry.get("/v2/" + APP + "/manifests/latest").statusCode()).isEqualTo(404);
        assertThat(registry.get("/v2/" + APP + "/manifests/" + Digests.of(manifest)).statusCode()).isEqualTo(200);
    }

    // ---- listings ---------------------------------------------------------------------------------------

    @Test
    void tagsArePaged() {
        byte[] manifest = image(APP, DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json",
                "application/vnd.docker.image.rootfs.diff.tar.gzip", 1);
        for (String tag : List.of("e", "b", "a", "d", "c")) {
            registry.put("/v2/" + APP + "/manifests/" + tag, manifest, "Content-Type", DOCKER_MANIFEST);
        }
        HttpResponse<byte[]> all = registry.get("/v2/" + APP + "/tags/list");
        assertThat(Json.object(text(all))).isEqualTo(Map.of("name", APP, "tags", List.of("a", "b", "c", "d", "e")));
        assertThat(header(all, "Link")).isNull();

        HttpResponse<byte[]> first = registry.get("/v2/" + APP + "/tags/list?n=2");
        assertThat(Json.object(text(first)).get("tags")).isEqualTo(List.of("a", "b"));
        String link = header(first, "Link");
        assertThat(link).isEqualTo("</v2/" + APP + "/tags/list?n=2&last=b>; rel=\"next\"");
        HttpResponse<byte[]> second = registry.get(link.substring(1, link.indexOf('>')));
        assertThat(Json.object(text(second)).get("tags")).isEqualTo(List.of("c", "d"));
        HttpResponse<byte[]> last = registry.get("/v2/" + APP + "/tags/list?n=2&last=d");
        assertThat(Json.object(text(last)).get("tags")).isEqualTo(List.of("e"));
        assertThat(header(last, "Link")).isNull();
        assertThat(errorCode(registry.get("/v2/" + APP + "/tags/list?n=-1"))).isEqualTo("PAGINATION_NUMBER_INVALID");
    }

    @Test
    void theCatalogNamesEveryAccountAndRegion() {
        createRepository(SCOPE, "team/api", ImageTagMutability.MUTABLE);
        createRepository(new Scope("111122223333", "eu-west-1"), "web", ImageTagMutability.MUTABLE);
        HttpResponse<byte[]> all = registry.get("/v2/_catalog");
        assertThat(Json.object(text(all)).get("repositories")).isEqualTo(List.of(ACCOUNT + "/" + REGION + "/app",
                ACCOUNT + "/" + REGION + "/team/api", "111122223333/eu-west-1/web"));
        HttpResponse<byte[]> page = registry.get("/v2/_catalog?n=1&last=" + APP);
        assertThat(Json.object(text(page)).get("repositories")).isEqualTo(List.of(ACCOUNT + "/" + REGION + "/team/api"));
        assertThat(header(page, "Link")).isEqualTo("</v2/_catalog?n=1&last=" + ACCOUNT + "/" + REGION + "/team/api>; rel=\"next\"");
    }

    // ---- names ------------------------------------------------------------------------------------------

    @Test
    void aRepositoryThatDoesNotExistIsNameUnknown() {
        String name = ACCOUNT + "/" + REGION + "/nope";
        for (HttpResponse<byte[]> r : List.of(registry.post("/v2/" + name + "/blobs/uploads/", new byte[0]),
                registry.post("/v2/" + name + "/blobs/uploads/?digest=" + Digests.of(new byte[] {1}), new byte[] {1}),
                registry.put("/v2/" + name + "/manifests/latest", "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", DOCKER_MANIFEST),
                registry.get("/v2/" + name + "/manifests/latest"),
                registry.get("/v2/" + name + "/tags/list"),
                registry.get("/v2/" + name + "/blobs/" + Digests.of(new byte[] {1})))) {
            assertThat(r.statusCode()).as(r.request().method() + " " + r.uri()).isEqualTo(404);
            assertThat(errorCode(r)).isEqualTo("NAME_UNKNOWN");
            assertThat(errorMessage(r)).isEqualTo("The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");
        }
        assertNothingStored();
    }

    @Test
    void badNamesAndPathTraversalAreNameInvalid() throws IOException {
        for (String name : List.of("app", REGION + "/app", "12345/" + REGION + "/app", ACCOUNT + "/nowhere/app",
                ACCOUNT + "/" + REGION + "/App", ACCOUNT + "/" + REGION + "/a//b", ACCOUNT + "/" + REGION + "/./app")) {
            HttpResponse<byte[]> r = registry.post("/v2/" + name + "/blobs/uploads/", new byte[0]);
            assertThat(r.statusCode()).as(name).isEqualTo(400);
            assertThat(errorCode(r)).isEqualTo("NAME_INVALID");
        }
        byte[] blob = bytes(10);
        // Sent as written: HTTP clients would resolve the dot segments before sending.
        for (String path : List.of("/v2/" + ACCOUNT + "/" + REGION + "/../../../../tmp/evil/blobs/uploads/?digest=" + Digests.of(blob),
                "/v2/" + ACCOUNT + "/" + REGION + "/app/../../x/blobs/uploads/?digest=" + Digests.of(blob),
                "/v2/" + ACCOUNT + "/" + REGION + "/%2e%2e/%2e%2e/x/blobs/uploads/?digest=" + Digests.of(blob))) {
            String answer = raw("POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + authorization()
                    + "\r\nContent-Length: 10\r\nConnection: close\r\n\r\n", blob);
            assertThat(answer).as(path).startsWith("HTTP/1.1 400 ").contains("\"NAME_INVALID\"");
        }
        assertNothingStored();
    }

    @Test
    void aUriThatIsNotValidPercentEncodingIsRefused() throws IOException {
        String answer = raw("GET /v2/" + APP + "/manifests/%zz HTTP/1.1\r\nHost: x\r\nAuthorization: " + authorization()
                + "\r\nConnection: close\r\n\r\n", new byte[0]);
        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"UNSUPPORTED\"");
    }

    @Test
    void wrongMethodsAndUnknownPathsAreRefused() {
        HttpResponse<byte[]> r = registry.send("POST", "/v2/" + APP + "/tags/list", HttpRequest.BodyPublishers.noBody());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(errorCode(r)).isEqualTo("UNSUPPORTED");
        assertThat(registry.get("/v2/" + APP + "/nothing").statusCode()).isEqualTo(404);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private void assertNothingStored() {
        assertThat(blobs().bytesStored()).isZero();
        for (Repository r : emu.emulator().stores().of(SCOPE).read(s -> s.repositories().all())) {
            assertThat(r.blobs()).as(r.name()).isEmpty();
            assertThat(r.images()).as(r.name()).isEmpty();
        }
    }

    private static String raw(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket(emu.endpoint().getHost(), emu.endpoint().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String authorization() {
        return "Basic " + emu.emulator().registry().tokens().issue(ACCOUNT, REGION).authorizationToken();
    }

    private static BlobStore blobs() {
        return emu.emulator().registry().blobs();
    }

    static void createRepository(Scope scope, String name, ImageTagMutability mutability) {
        emu.emulator().stores().of(scope).write(s -> s.repositories().create(name, mutability, null, null));
    }

    private static Repository repository(Scope scope, String name) {
        return emu.emulator().stores().of(scope).read(s -> s.repositories().require(name));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private String pushBlob(String name, byte[] blob) {
        String digest = Digests.of(blob);
        HttpResponse<byte[]> r = registry.post("/v2/" + name + "/blobs/uploads/?digest=" + digest, blob);
        assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
        return digest;
    }

    /** Pushes a config and {@code layers} random layers, and answers a manifest of them (not pushed). */
    private byte[] image(String name, String mediaType, String configType, String layerType, int layers) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + random.nextLong() + "}")
                .getBytes(StandardCharsets.UTF_8);
        String configDigest = pushBlob(name, config);
        Map<String, Long> layerDigests = new java.util.LinkedHashMap<>();
        for (int i = 0; i < layers; i++) {
            byte[] layer = bytes(2000 + i);
            layerDigests.put(pushBlob(name, layer), (long) layer.length);
        }
        return manifest(mediaType, configType, configDigest, config.length, layerType, layerDigests);
    }

    private static byte[] manifest(String mediaType, String configType, String config, long configSize, String layerType,
            Map<String, Long> layers) {
        StringBuilder s = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"config\":{\"mediaType\":\""
                + configType + "\",\"size\":" + configSize + ",\"digest\":\"" + config + "\"},\"layers\":[");
        String sep = "";
        for (Map.Entry<String, Long> l : layers.entrySet()) {
            s.append(sep).append("{\"mediaType\":\"").append(layerType).append("\",\"size\":").append(l.getValue())
                    .append(",\"digest\":\"").append(l.getKey()).append("\"}");
            sep = ",";
        }
        return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] index(String mediaType, String childType, byte[]... children) {
        StringBuilder s = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"manifests\":[");
        String sep = "";
        for (byte[] c : children) {
            s.append(sep).append("{\"mediaType\":\"").append(childType).append("\",\"size\":").append(c.length).append(",\"digest\":\"")
                    .append(Digests.of(c)).append("\",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}");
            sep = ",";
        }
        return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static String errorCode(HttpResponse<byte[]> r) {
        return (String) error(r).get("code");
    }

    static String errorMessage(HttpResponse<byte[]> r) {
        return (String) error(r).get("message");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(HttpResponse<byte[]> r) {
        assertThat(header(r, "Content-Type")).as(text(r)).startsWith("application/json");
        List<Object> errors = (List<Object>) Json.object(text(r)).get("errors");
        assertThat(errors).hasSize(1);
        return (Map<String, Object>) errors.get(0);
    }
}
