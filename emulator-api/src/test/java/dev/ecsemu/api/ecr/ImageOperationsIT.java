package dev.ecsemu.api.ecr;

import static dev.ecsemu.api.testing.EcrAssertions.assertEcrError;
import static dev.ecsemu.api.testing.EcrAssertions.ecrError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.EcrImages;
import dev.ecsemu.api.testing.EcrImages.Pushed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.BatchDeleteImageResponse;
import software.amazon.awssdk.services.ecr.model.BatchGetImageResponse;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.Image;
import software.amazon.awssdk.services.ecr.model.ImageAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageDigestDoesNotMatchException;
import software.amazon.awssdk.services.ecr.model.ImageFailure;
import software.amazon.awssdk.services.ecr.model.ImageFailureCode;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageStatus;
import software.amazon.awssdk.services.ecr.model.ImageStatusFilter;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.LayersNotFoundException;
import software.amazon.awssdk.services.ecr.model.ListImagesResponse;
import software.amazon.awssdk.services.ecr.model.ReferencedImagesNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.TagStatus;

/** PutImage, DescribeImages, ListImages, BatchGetImage, BatchDeleteImage through the SDK, images pushed through the layer API. */
class ImageOperationsIT extends EcrIT {
    private static final String NOT_THERE = "sha256:" + "0".repeat(64);

    private static ImageIdentifier tag(String tag) {
        return ImageIdentifier.builder().imageTag(tag).build();
    }

    private static ImageIdentifier digest(String digest) {
        return ImageIdentifier.builder().imageDigest(digest).build();
    }

    @Test
    void putImageStoresTheManifestAsSentAndAnswersItsDigest() {
        ecr.createRepository(r -> r.repositoryName("app"));
        String config = EcrImages.uploadBlob(ecr, "app", EcrImages.config("a"));
        String layer = EcrImages.uploadBlob(ecr, "app", EcrImages.layer("a", 1000));
        // Whitespace and member order are the client's: the digest is of these exact bytes.
        String manifest = EcrImages.manifest(config, EcrImages.config("a").length, layer, 1000).replace(",", ",\n  ");

        Image image = ecr.putImage(r -> r.repositoryName("app").imageTag("v1").imageManifest(manifest)).image();

        assertThat(image.registryId()).isEqualTo(ACCOUNT);
        assertThat(image.repositoryName()).isEqualTo("app");
        assertThat(image.imageId().imageDigest()).isEqualTo(EcrImages.digest(manifest));
        assertThat(image.imageId().imageTag()).isEqualTo("v1");
        assertThat(image.imageManifest()).isEqualTo(manifest);
        assertThat(image.imageManifestMediaType()).isEqualTo(EcrImages.DOCKER_MANIFEST);
        assertThat(ecr.batchGetImage(r -> r.repositoryName("app").imageIds(tag("v1"))).images().get(0).imageManifest()).isEqualTo(manifest);
    }

    @Test
    void putImageRetagsAndMovesTags() {
        ecr.createRepository(r -> r.repositoryName("app"));
        Pushed one = EcrImages.push(ecr, "app", "latest", "one");
        // Another tag for the same manifest.
        Image retagged = ecr.putImage(r -> r.repositoryName("app").imageTag("v1").imageManifest(one.manifest())).image();
        assertThat(retagged.imageId().imageDigest()).isEqualTo(one.digest());
        assertThat(describe("app", one.digest()).imageTags()).containsExactly("latest", "v1");

        // latest moves to a new image; the old one keeps v1.
        Pushed two = EcrImages.push(ecr, "app", "latest", "two");
        assertThat(describe("app", one.digest()).imageTags()).containsExactly("v1");
        assertThat(describe("app", two.digest()).imageTags()).containsExactly("latest");

        // Moving v1 as well leaves the first image untagged: ECR then omits imageTags.
        ecr.putImage(r -> r.repositoryName("app").imageTag("v1").imageManifest(two.manifest()));
        ImageDetail untagged = describe("app", one.digest());
        assertThat(untagged.hasImageTags()).isFalse();
    }

    @Test
    void putImageRefusals() {
        ecr.createRepository(r -> r.repositoryName("app"));
        Pushed one = EcrImages.push(ecr, "app", "v1", "one");

        assertEcrError(() -> ecr.putImage(r -> r.repositoryName("app").imageTag("v1").imageManifest(one.manifest())),
                ImageAlreadyExistsException.class, "Image with digest '" + one.digest() + "' and tag 'v1' already exists in the repository"
                        + " with name 'app' in registry with id '" + ACCOUNT + "'");
        assertEcrError(() -> ecr.putImage(r -> r.repositoryName("app").imageManifest(one.manifest())), ImageAlreadyExistsException.class,
                "Image with digest '" + one.digest() + "' already exists in the repository with name 'app' in registry with id '"
                        + ACCOUNT + "'");

        String missingLayer = EcrImages.manifest(one.configDigest(), 10, NOT_THERE, 10);
        assertThat(ecrError(() -> ecr.putImage(r -> r.repositoryName("app").imageTag("v2").imageManifest(missingLayer)),
                LayersNotFoundException.class)).startsWith("Layers with digests '[" + NOT_THERE
                        + "]' required for pushing image into repository with name 'app' in registry with id '" + ACCOUNT + "' do not exist");

        String index = EcrImages.index(List.of(one, new Pushed(NOT_THERE, "{}", null, null, 0)));
        assertThat(ecrError(() -> ecr.putImage(r -> r.repositoryName("app").imageTag("multi").imageManifest(index)),
                ReferencedImagesNotFoundException.class)).contains(NOT_THERE);

        for (String bad : List.of("not json", "[]", "{\"schemaVersion\":1,\"name\":\"x\"}", "{\"schemaVersion\":2,\"mediaType\":\""
                + EcrImages.DOCKER_MANIFEST + "\"}")) {
            assertThat(ecrError(() -> ecr.putImage(r -> r.repositoryName("app").imageTag("bad").imageManifest(bad)),
                    InvalidParameterException.class)).as("manifest %s", bad).startsWith("Invalid parameter at 'ImageManifest'");
        }
        assertThat(ecrError(() -> ecr.putImage(r -> r.repositoryName("app").imageTag("v3").imageManifest(one.manifest())
                .imageManifestMediaType("application/vnd.oci.image.manifest.v1+json")), InvalidParameterException.class))
                .contains("does not match");
        assertThat(ecrError(() -> ecr.putImage(r -> r.repositoryName("app").imageTag("v3").imageManifest(one.manifest())
                .imageDigest(NOT_THERE)), ImageDigestDoesNotMatchException.class)).contains(NOT_THERE).contains(one.digest());
        assertThat(ecrError(() -> ecr.putImage(r -> r.repositoryName("app").imageTag("bad tag").imageManifest(one.manifest())),
                InvalidParameterException.class)).contains("'imageTag'");
        assertThat(ecrError(() -> ecr.putImage(r -> r.repositoryName("app").imageTag("x".repeat(301)).imageManifest(one.manifest())),
                InvalidParameterException.class)).contains("'imageTag'");
        assertEcrError(() -> ecr.putImage(r -> r.repositoryName("nope").imageTag("v1").imageManifest(one.manifest())),
                RepositoryNotFoundException.class, "The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");

        // The digest named may be given when it is right.
        ecr.putImage(r -> r.repositoryName("app").imageTag("v4").imageManifest(one.manifest()).imageDigest(one.digest()));
        // None of the refusals stored anything.
        assertThat(ecr.listImages(r -> r.repositoryName("app")).imageIds()).containsExactlyInAnyOrder(
                ImageIdentifier.builder().imageDigest(one.digest()).imageTag("v1").build(),
                ImageIdentifier.builder().imageDigest(one.digest()).imageTag("v4").build());
    }

    @Test
    void describeImagesDetails() {
        ecr.createRepository(r -> r.repositoryName("app"));
        Instant before = Instant.now().minusSeconds(1);
        Pushed one = EcrImages.push(ecr, "app", "v1", "one", 5000);
        ecr.putImage(r -> r.repositoryName("app").imageTag("latest").imageManifest(one.manifest()));

        ImageDetail d = describe("app", one.digest());
        assertThat(d.registryId()).isEqualTo(ACCOUNT);
        assertThat(d.repositoryName()).isEqualTo("app");
        assertThat(d.imageDigest()).isEqualTo(one.digest());
        assertThat(d.imageTags()).containsExactly("latest", "v1");
        assertThat(d.imageSizeInBytes()).isEqualTo(5000L);
        assertThat(d.imagePushedAt()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(d.imageManifestMediaType()).isEqualTo(EcrImages.DOCKER_MANIFEST);
        assertThat(d.artifactMediaType()).isEqualTo(EcrImages.DOCKER_CONFIG);
        assertThat(d.imageStatus()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(d.lastRecordedPullTime()).isNull();
        assertThat(d.imageScanStatus()).isNull();

        // A pull (BatchGetImage) is recorded.
        ecr.batchGetImage(r -> r.repositoryName("app").imageIds(tag("v1")));
        assertThat(describe("app", one.digest()).lastRecordedPullTime()).isBetween(d.imagePushedAt(), Instant.now().plusSeconds(1));

        // By tag, by digest, by both: the same one entry.
        assertThat(ecr.describeImages(r -> r.repositoryName("app").imageIds(tag("latest"), digest(one.digest()),
                ImageIdentifier.builder().imageDigest(one.digest()).imageTag("v1").build())).imageDetails())
                .extracting(ImageDetail::imageDigest).containsExactly(one.digest());
    }

    @Test
    void describeImagesFiltersAndPages() {
        ecr.createRepository(r -> r.repositoryName("app"));
        List<String> tagged = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tagged.add(EcrImages.push(ecr, "app", "v" + i, "tagged-" + i).digest());
        }
        String untagged = EcrImages.push(ecr, "app", null, "untagged").digest();

        assertThat(describeAll("app", null)).hasSize(6);
        assertThat(describeAll("app", TagStatus.ANY)).hasSize(6);
        assertThat(describeAll("app", TagStatus.TAGGED)).containsExactlyInAnyOrderElementsOf(tagged);
        assertThat(describeAll("app", TagStatus.UNTAGGED)).containsExactly(untagged);
        assertThat(ecr.describeImages(r -> r.repositoryName("app").filter(f -> f.imageStatus(ImageStatusFilter.ARCHIVED))).imageDetails())
                .isEmpty();

        List<String> paged = new ArrayList<>();
        ecr.describeImagesPaginator(r -> r.repositoryName("app").maxResults(4)).imageDetails().forEach(d -> paged.add(d.imageDigest()));
        assertThat(paged).hasSize(6).doesNotHaveDuplicates().containsAll(tagged).contains(untagged);
        DescribeImagesResponse first = ecr.describeImages(r -> r.repositoryName("app").maxResults(4));
        assertThat(first.imageDetails()).hasSize(4);
        assertThat(first.nextToken()).isNotNull();
    }

    @Test
    void describeImagesRefusals() {
        ecr.createRepository(r -> r.repositoryName("app"));
        EcrImages.push(ecr, "app", "v1", "one");
        assertEcrError(() -> ecr.describeImages(r -> r.repositoryName("app").imageIds(tag("v1"), tag("nope"))), ImageNotFoundException.class,
                "The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository with name 'app' in the"
                        + " registry with id '" + ACCOUNT + "'");
        assertEcrError(() -> ecr.describeImages(r -> r.repositoryName("app").imageIds(digest(NOT_THERE))), ImageNotFoundException.class,
                "The image with imageId {imageDigest:'" + NOT_THERE + "', imageTag:'null'} does not exist within the repository with name"
                        + " 'app' in the registry with id '" + ACCOUNT + "'");
        assertThat(ecrError(() -> ecr.describeImages(r -> r.repositoryName("app").imageIds(digest("nodigest"))),
                InvalidParameterException.class)).contains("digest");
        assertThat(ecrError(() -> ecr.describeImages(r -> r.repositoryName("app").imageIds(tag("v1")).maxResults(5)),
                InvalidParameterException.class)).contains("maxResults");
        assertEcrError(() -> ecr.describeImages(r -> r.repositoryName("nope")), RepositoryNotFoundException.class,
                "The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");
    }

    @Test
    void listImagesHasOneEntryPerTagAndOnePerUntaggedImage() {
        ecr.createRepository(r -> r.repositoryName("app"));
        Pushed one = EcrImages.push(ecr, "app", "v1", "one");
        ecr.putImage(r -> r.repositoryName("app").imageTag("latest").imageManifest(one.manifest()));
        Pushed two = EcrImages.push(ecr, "app", null, "two");

        ImageIdentifier v1 = ImageIdentifier.builder().imageDigest(one.digest()).imageTag("v1").build();
        ImageIdentifier latest = ImageIdentifier.builder().imageDigest(one.digest()).imageTag("latest").build();
        ImageIdentifier bare = ImageIdentifier.builder().imageDigest(two.digest()).build();
        assertThat(ecr.listImages(r -> r.repositoryName("app")).imageIds()).containsExactlyInAnyOrder(v1, latest, bare);
        assertThat(ecr.listImages(r -> r.repositoryName("app").filter(f -> f.tagStatus(TagStatus.TAGGED))).imageIds())
                .containsExactlyInAnyOrder(v1, latest);
        assertThat(ecr.listImages(r -> r.repositoryName("app").filter(f -> f.tagStatus(TagStatus.UNTAGGED))).imageIds())
                .containsExactly(bare);

        List<ImageIdentifier> paged = new ArrayList<>();
        ListImagesResponse page = ecr.listImages(r -> r.repositoryName("app").maxResults(2));
        paged.addAll(page.imageIds());
        assertThat(page.nextToken()).isNotNull();
        String token = page.nextToken();
        page = ecr.listImages(r -> r.repositoryName("app").maxResults(2).nextToken(token));
        paged.addAll(page.imageIds());
        assertThat(page.nextToken()).isNull();
        assertThat(paged).containsExactlyInAnyOrder(v1, latest, bare);
        assertThat(ecr.listImagesPaginator(r -> r.repositoryName("app").maxResults(1)).imageIds()).hasSize(3);

        assertEcrError(() -> ecr.listImages(r -> r.repositoryName("nope")), RepositoryNotFoundException.class,
                "The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");
        assertThat(ecrError(() -> ecr.listImages(r -> r.repositoryName("app").maxResults(1001)), InvalidParameterException.class))
                .contains("maxResults");
    }

    @Test
    void batchGetImageAnswersManifestsAndFailures() {
        ecr.createRepository(r -> r.repositoryName("app"));
        Pushed one = EcrImages.push(ecr, "app", "v1", "one");
        Pushed two = EcrImages.push(ecr, "app", "v2", "two");

        BatchGetImageResponse response = ecr.batchGetImage(r -> r.repositoryName("app").imageIds(tag("v1"), digest(two.digest()),
                tag("nope"), digest(NOT_THERE), digest("md5:zz"), ImageIdentifier.builder().build(),
                ImageIdentifier.builder().imageDigest(one.digest()).imageTag("v2").build()));

        assertThat(response.images()).extracting(Image::imageId).containsExactly(
                ImageIdentifier.builder().imageDigest(one.digest()).imageTag("v1").build(), digest(two.digest()));
        assertThat(response.images()).extracting(Image::imageManifest).containsExactly(one.manifest(), two.manifest());
        assertThat(response.images()).allSatisfy(i -> {
            assertThat(i.registryId()).isEqualTo(ACCOUNT);
            assertThat(i.repositoryName()).isEqualTo("app");
            assertThat(i.imageManifestMediaType()).isEqualTo(EcrImages.DOCKER_MANIFEST);
        });
        assertThat(response.failures()).extracting(ImageFailure::failureCode).containsExactly(ImageFailureCode.IMAGE_NOT_FOUND,
                ImageFailureCode.IMAGE_NOT_FOUND, ImageFailureCode.INVALID_IMAGE_DIGEST, ImageFailureCode.MISSING_DIGEST_AND_TAG,
                ImageFailureCode.IMAGE_TAG_DOES_NOT_MATCH_DIGEST);
        assertThat(response.failures().get(0).imageId()).isEqualTo(tag("nope"));
        assertThat(response.failures().get(0).failureReason()).isEqualTo("Requested image not found");
        assertThat(response.failures().get(3).failureReason()).isEqualTo("Invalid request parameters: both tag and digest cannot be null");

        // acceptedMediaTypes: the emulator converts nothing, so a manifest of another type is not found.
        assertThat(ecr.batchGetImage(r -> r.repositoryName("app").imageIds(tag("v1")).acceptedMediaTypes(EcrImages.DOCKER_MANIFEST))
                .images()).hasSize(1);
        BatchGetImageResponse oci = ecr.batchGetImage(r -> r.repositoryName("app").imageIds(tag("v1"))
                .acceptedMediaTypes("application/vnd.oci.image.manifest.v1+json"));
        assertThat(oci.images()).isEmpty();
        assertThat(oci.failures()).singleElement().satisfies(f -> {
            assertThat(f.failureCode()).isEqualTo(ImageFailureCode.IMAGE_NOT_FOUND);
            assertThat(f.failureReason()).contains(EcrImages.DOCKER_MANIFEST).contains("acceptedMediaTypes");
        });

        assertEcrError(() -> ecr.batchGetImage(r -> r.repositoryName("nope").imageIds(tag("v1"))), RepositoryNotFoundException.class,
                "The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");
        List<ImageIdentifier> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(tag("t" + i));
        }
        assertThat(ecrError(() -> ecr.batchGetImage(r -> r.repositoryName("app").imageIds(many)), InvalidParameterException.class))
                .contains("'imageIds'").contains("between 1 and 100");
    }

    @Test
    void batchDeleteImageByTagRemovesTheTagAndTheImageWithItsLastTag() {
        ecr.createRepository(r -> r.repositoryName("app"));
        Pushed one = EcrImages.push(ecr, "app", "v1", "one");
        ecr.putImage(r -> r.repositoryName("app").imageTag("latest").imageManifest(one.manifest()));

        BatchDeleteImageResponse first = ecr.batchDeleteImage(r -> r.repositoryName("app").imageIds(tag("latest")));
        assertThat(first.imageIds()).containsExactly(ImageIdentifier.builder().imageDigest(one.digest()).imageTag("latest").build());
        assertThat(first.failures()).isEmpty();
        assertThat(describe("app", one.digest()).imageTags()).containsExactly("v1");

        long before = bytesStored();
        BatchDeleteImageResponse last = ecr.batchDeleteImage(r -> r.repositoryName("app").imageIds(tag("v1")));
        assertThat(last.imageIds()).containsExactly(ImageIdentifier.builder().imageDigest(one.digest()).imageTag("v1").build());
        assertThat(ecr.listImages(r -> r.repositoryName("app")).imageIds()).isEmpty();
        // Its blobs, which no image refers to any more, are freed.
        assertThat(bytesStored()).isLessThanOrEqualTo(before - one.layerSize());
    }

    @Test
    void batchDeleteImageByDigestRemovesTheImageAndAllItsTags() {
        ecr.createRepository(r -> r.repositoryName("app"));
        Pushed one = EcrImages.push(ecr, "app", "v1", "one");
        ecr.putImage(r -> r.repositoryName("app").imageTag("latest").imageManifest(one.manifest()));
        Pushed untagged = EcrImages.push(ecr, "app", null, "two");

        BatchDeleteImageResponse response = ecr.batchDeleteImage(r -> r.repositoryName("app").imageIds(digest(one.digest()),
                digest(untagged.digest()), tag("nope"), digest(NOT_THERE), digest("bad"), ImageIdentifier.builder().build()));
        assertThat(response.imageIds()).containsExactlyInAnyOrder(
                ImageIdentifier.builder().imageDigest(one.digest()).imageTag("latest").build(),
                ImageIdentifier.builder().imageDigest(one.digest()).imageTag("v1").build(),
                ImageIdentifier.builder().imageDigest(untagged.digest()).build());
        assertThat(response.failures()).extracting(ImageFailure::failureCode).containsExactly(ImageFailureCode.IMAGE_NOT_FOUND,
                ImageFailureCode.IMAGE_NOT_FOUND, ImageFailureCode.INVALID_IMAGE_DIGEST, ImageFailureCode.MISSING_DIGEST_AND_TAG);
        assertThat(response.failures().get(1).imageId()).isEqualTo(digest(NOT_THERE));
        assertThat(ecr.listImages(r -> r.repositoryName("app")).imageIds()).isEmpty();
    }

    @Test
    void anImageAManifestListRefersToIsNotDeleted() {
        ecr.createRepository(r -> r.repositoryName("multi"));
        Pushed amd = EcrImages.push(ecr, "multi", null, "amd64");
        Pushed arm = EcrImages.push(ecr, "multi", null, "arm64");
        String index = EcrImages.index(List.of(amd, arm));
        Image indexImage = ecr.putImage(r -> r.repositoryName("multi").imageTag("latest").imageManifest(index)).image();
        assertThat(indexImage.imageManifestMediaType()).isEqualTo(EcrImages.OCI_INDEX);
        ImageDetail detail = describe("multi", indexImage.imageId().imageDigest());
        assertThat(detail.imageSizeInBytes()).isEqualTo(Math.max(amd.layerSize(), arm.layerSize()));
        assertThat(detail.artifactMediaType()).isNull();

        BatchDeleteImageResponse refused = ecr.batchDeleteImage(r -> r.repositoryName("multi").imageIds(digest(amd.digest())));
        assertThat(refused.imageIds()).isEmpty();
        assertThat(refused.failures()).singleElement().satisfies(f -> {
            assertThat(f.failureCode()).isEqualTo(ImageFailureCode.IMAGE_REFERENCED_BY_MANIFEST_LIST);
            assertThat(f.failureReason()).isEqualTo("Requested image referenced by manifest list: [" + indexImage.imageId().imageDigest() + "]");
        });

        // Once the index is gone, its images can go.
        ecr.batchDeleteImage(r -> r.repositoryName("multi").imageIds(tag("latest")));
        assertThat(ecr.batchDeleteImage(r -> r.repositoryName("multi").imageIds(digest(amd.digest()))).failures()).isEmpty();
    }

    @Test
    void batchDeleteImageRefusals() {
        assertEcrError(() -> ecr.batchDeleteImage(r -> r.repositoryName("nope").imageIds(tag("v1"))), RepositoryNotFoundException.class,
                "The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");
        ecr.createRepository(r -> r.repositoryName("app"));
        assertThat(ecrError(() -> ecr.batchDeleteImage(r -> r.repositoryName("app").imageIds(List.of())), InvalidParameterException.class))
                .contains("'imageIds'");
    }

    private static ImageDetail describe(String repository, String digest) {
        return ecr.describeImages(r -> r.repositoryName(repository).imageIds(digest(digest))).imageDetails().get(0);
    }

    private static List<String> describeAll(String repository, TagStatus status) {
        List<String> out = new ArrayList<>();
        ecr.describeImagesPaginator(r -> r.repositoryName(repository).filter(f -> f.tagStatus(status))).imageDetails()
                .forEach(d -> out.add(d.imageDigest()));
        return out;
    }
}
