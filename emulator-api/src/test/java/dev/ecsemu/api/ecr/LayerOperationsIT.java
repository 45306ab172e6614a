package dev.ecsemu.api.ecr;

import static dev.ecsemu.api.testing.EcrAssertions.assertEcrError;
import static dev.ecsemu.api.testing.EcrAssertions.ecrError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.EcrImages;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.model.BatchCheckLayerAvailabilityResponse;
import software.amazon.awssdk.services.ecr.model.CompleteLayerUploadResponse;
import software.amazon.awssdk.services.ecr.model.EmptyUploadException;
import software.amazon.awssdk.services.ecr.model.InitiateLayerUploadResponse;
import software.amazon.awssdk.services.ecr.model.InvalidLayerException;
import software.amazon.awssdk.services.ecr.model.InvalidLayerPartException;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.Layer;
import software.amazon.awssdk.services.ecr.model.LayerAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.LayerAvailability;
import software.amazon.awssdk.services.ecr.model.LayerFailureCode;
import software.amazon.awssdk.services.ecr.model.LayerInaccessibleException;
import software.amazon.awssdk.services.ecr.model.LayersNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.UploadLayerPartResponse;
import software.amazon.awssdk.services.ecr.model.UploadNotFoundException;

/** The layer API through the SDK: uploads in parts into the registry's storage, availability, download URLs, and the refusals. */
class LayerOperationsIT extends EcrIT {
    private static final String NOT_THERE = "sha256:" + "0".repeat(64);

    @Test
    void aLayerUploadedInPartsBecomesABlobOfTheRepository() throws Exception {
        ecr.createRepository(r -> r.repositoryName("app"));
        byte[] layer = EcrImages.layer("parts", 10_000);
        String digest = EcrImages.digest(layer);

        InitiateLayerUploadResponse started = ecr.initiateLayerUpload(r -> r.repositoryName("app"));
        assertThat(started.uploadId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(started.partSize()).isEqualTo(5L * 1024 * 1024);
        String upload = started.uploadId();

        UploadLayerPartResponse first = part(upload, layer, 0, 4000);
        assertThat(first.lastByteReceived()).isEqualTo(3999L);
        assertThat(first.registryId()).isEqualTo(ACCOUNT);
        assertThat(first.repositoryName()).isEqualTo("app");
        assertThat(first.uploadId()).isEqualTo(upload);
        assertThat(part(upload, layer, 4000, 10_000).lastByteReceived()).isEqualTo(9999L);
        // Until it is complete the blob is not there.
        assertThat(availability("app", digest).layerAvailability()).isEqualTo(LayerAvailability.UNAVAILABLE);

        CompleteLayerUploadResponse done = ecr.completeLayerUpload(r -> r.repositoryName("app").uploadId(upload).layerDigests(digest));
        assertThat(done.layerDigest()).isEqualTo(digest);
        assertThat(done.uploadId()).isEqualTo(upload);
        assertThat(done.registryId()).isEqualTo(ACCOUNT);
        assertThat(done.repositoryName()).isEqualTo("app");

        Layer available = availability("app", digest);
        assertThat(available.layerAvailability()).isEqualTo(LayerAvailability.AVAILABLE);
        assertThat(available.layerSize()).isEqualTo(10_000L);
        assertThat(Files.readAllBytes(emu.emulator().registry().blobs().path(digest))).isEqualTo(layer);
        // Another repository does not have it.
        ecr.createRepository(r -> r.repositoryName("other"));
        assertThat(availability("other", digest).layerAvailability()).isEqualTo(LayerAvailability.UNAVAILABLE);
    }

    @Test
    void batchCheckLayerAvailabilityReportsMalformedDigestsAsFailures() {
        ecr.createRepository(r -> r.repositoryName("app"));
        String present = EcrImages.uploadBlob(ecr, "app", EcrImages.layer("p", 100));
        BatchCheckLayerAvailabilityResponse response = ecr.batchCheckLayerAvailability(r -> r.repositoryName("app")
                .layerDigests(present, NOT_THERE, "not-a-digest", ""));
        assertThat(response.layers()).extracting(Layer::layerDigest, Layer::layerAvailability).containsExactly(
                org.assertj.core.groups.Tuple.tuple(present, LayerAvailability.AVAILABLE),
                org.assertj.core.groups.Tuple.tuple(NOT_THERE, LayerAvailability.UNAVAILABLE));
        assertThat(response.failures()).extracting(f -> f.layerDigest() + " " + f.failureCode()).containsExactly(
                "not-a-digest " + LayerFailureCode.INVALID_LAYER_DIGEST, " " + LayerFailureCode.MISSING_LAYER_DIGEST);

        assertEcrError(() -> ecr.batchCheckLayerAvailability(r -> r.repositoryName("nope").layerDigests(present)),
                RepositoryNotFoundException.class, "The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");
        assertThat(ecrError(() -> ecr.batchCheckLayerAvailability(r -> r.repositoryName("app").layerDigests(new String[0])),
                InvalidParameterException.class)).contains("'layerDigests'");
    }

    @Test
    void aPartMustContinueWhereTheUploadIs() {
        ecr.createRepository(r -> r.repositoryName("app"));
        byte[] layer = EcrImages.layer("order", 3000);
        String upload = ecr.initiateLayerUpload(r -> r.repositoryName("app")).uploadId();
        part(upload, layer, 0, 1000);

        // A gap, an overlap, a last byte that does not fit the part, an empty part.
        assertThat(ecrError(() -> ecr.uploadLayerPart(r -> r.repositoryName("app").uploadId(upload).partFirstByte(1500L)
                .partLastByte(2499L).layerPartBlob(SdkBytes.fromByteArray(Arrays.copyOfRange(layer, 1500, 2500)))),
                InvalidLayerPartException.class)).contains("received 1000 bytes").contains("The last valid byte received is 999");
        assertThat(ecrError(() -> ecr.uploadLayerPart(r -> r.repositoryName("app").uploadId(upload).partFirstByte(500L)
                .partLastByte(1499L).layerPartBlob(SdkBytes.fromByteArray(Arrays.copyOfRange(layer, 500, 1500)))),
                InvalidLayerPartException.class)).contains("starts at byte 1000");
        assertThat(ecrError(() -> ecr.uploadLayerPart(r -> r.repositoryName("app").uploadId(upload).partFirstByte(1000L)
                .partLastByte(5000L).layerPartBlob(SdkBytes.fromByteArray(Arrays.copyOfRange(layer, 1000, 2000)))),
                InvalidLayerPartException.class)).contains("ends at byte 1999");
        ecrError(() -> ecr.uploadLayerPart(r -> r.repositoryName("app").uploadId(upload).partFirstByte(1000L).partLastByte(999L)
                .layerPartBlob(SdkBytes.fromByteArray(new byte[0]))), InvalidLayerPartException.class);

        // The refused parts left the upload as it was: it completes with the right bytes.
        part(upload, layer, 1000, 3000);
        ecr.completeLayerUpload(r -> r.repositoryName("app").uploadId(upload).layerDigests(EcrImages.digest(layer)));
        assertThat(availability("app", EcrImages.digest(layer)).layerSize()).isEqualTo(3000L);
    }

    @Test
    void completeLayerUploadRefusals() {
        ecr.createRepository(r -> r.repositoryName("app"));
        long before = bytesStored();
        byte[] layer = EcrImages.layer("complete", 2000);
        String digest = EcrImages.digest(layer);

        String empty = ecr.initiateLayerUpload(r -> r.repositoryName("app")).uploadId();
        assertThat(ecrError(() -> ecr.completeLayerUpload(r -> r.repositoryName("app").uploadId(empty).layerDigests(digest)),
                EmptyUploadException.class)).contains(empty);

        String wrong = ecr.initiateLayerUpload(r -> r.repositoryName("app")).uploadId();
        part(wrong, layer, 0, 2000);
        assertThat(ecrError(() -> ecr.completeLayerUpload(r -> r.repositoryName("app").uploadId(wrong).layerDigests("sha256:abc")),
                InvalidLayerException.class)).contains("is kept");
        assertThat(ecrError(() -> ecr.completeLayerUpload(r -> r.repositoryName("app").uploadId(wrong).layerDigests(NOT_THERE)),
                InvalidLayerException.class)).contains("do not hash to " + NOT_THERE);
        // A wrong digest discards the upload and stores nothing.
        assertThat(ecrError(() -> ecr.completeLayerUpload(r -> r.repositoryName("app").uploadId(wrong).layerDigests(digest)),
                UploadNotFoundException.class)).contains("'" + wrong + "'");
        assertThat(bytesStored()).isEqualTo(before);
        assertThat(availability("app", NOT_THERE).layerAvailability()).isEqualTo(LayerAvailability.UNAVAILABLE);

        EcrImages.uploadBlob(ecr, "app", layer);
        String again = ecr.initiateLayerUpload(r -> r.repositoryName("app")).uploadId();
        part(again, layer, 0, 2000);
        assertThat(ecrError(() -> ecr.completeLayerUpload(r -> r.repositoryName("app").uploadId(again).layerDigests(digest)),
                LayerAlreadyExistsException.class)).contains(digest).contains("'app'");

        String unknown = "12345678-1234-1234-1234-123456789012";
        assertThat(ecrError(() -> ecr.completeLayerUpload(r -> r.repositoryName("app").uploadId(unknown).layerDigests(digest)),
                UploadNotFoundException.class)).contains(unknown);
        assertThat(ecrError(() -> ecr.uploadLayerPart(r -> r.repositoryName("app").uploadId(unknown).partFirstByte(0L).partLastByte(0L)
                .layerPartBlob(SdkBytes.fromByteArray(new byte[1]))), UploadNotFoundException.class)).contains(unknown);
        // An upload belongs to the repository it was started in.
        ecr.createRepository(r -> r.repositoryName("other"));
        String mine = ecr.initiateLayerUpload(r -> r.repositoryName("app")).uploadId();
        ecrError(() -> ecr.uploadLayerPart(r -> r.repositoryName("other").uploadId(mine).partFirstByte(0L).partLastByte(0L)
                .layerPartBlob(SdkBytes.fromByteArray(new byte[1]))), UploadNotFoundException.class);
        assertEcrError(() -> ecr.initiateLayerUpload(r -> r.repositoryName("nope")), RepositoryNotFoundException.class,
                "The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");
    }

    @Test
    void getDownloadUrlForLayerNamesTheEmulatorsRegistry() {
        ecr.createRepository(r -> r.repositoryName("team/app"));
        EcrImages.Pushed image = EcrImages.push(ecr, "team/app", "v1", "dl");
        var response = ecr.getDownloadUrlForLayer(r -> r.repositoryName("team/app").layerDigest(image.layerDigest()));
        assertThat(response.layerDigest()).isEqualTo(image.layerDigest());
        assertThat(response.downloadUrl()).isEqualTo("http://" + emu.emulator().registryHost() + "/v2/" + ACCOUNT + "/us-east-1/team/app/blobs/"
                + image.layerDigest());

        assertThat(ecrError(() -> ecr.getDownloadUrlForLayer(r -> r.repositoryName("team/app").layerDigest(NOT_THERE)),
                LayersNotFoundException.class)).contains(NOT_THERE);
        String loose = EcrImages.uploadBlob(ecr, "team/app", EcrImages.layer("loose", 10));
        assertThat(ecrError(() -> ecr.getDownloadUrlForLayer(r -> r.repositoryName("team/app").layerDigest(loose)),
                LayerInaccessibleException.class)).contains(loose);
        assertThat(ecrError(() -> ecr.getDownloadUrlForLayer(r -> r.repositoryName("team/app").layerDigest("bad")),
                InvalidParameterException.class)).contains("'layerDigest'");
        assertEcrError(() -> ecr.getDownloadUrlForLayer(r -> r.repositoryName("nope").layerDigest(image.layerDigest())),
                RepositoryNotFoundException.class, "The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");
    }

    private static UploadLayerPartResponse part(String upload, byte[] layer, int from, int to) {
        return ecr.uploadLayerPart(r -> r.repositoryName("app").uploadId(upload).partFirstByte((long) from).partLastByte((long) to - 1)
                .layerPartBlob(SdkBytes.fromByteArray(Arrays.copyOfRange(layer, from, to))));
    }

    private static Layer availability(String repository, String digest) {
        return ecr.batchCheckLayerAvailability(r -> r.repositoryName(repository).layerDigests(digest)).layers().get(0);
    }
}
