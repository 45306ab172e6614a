package dev.ecsemu.api.ecr;

import dev.ecsemu.core.ecr.Image;
import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.error.ApiException;
import java.util.Optional;
import software.amazon.awssdk.services.ecr.model.ImageFailure;
import software.amazon.awssdk.services.ecr.model.ImageFailureCode;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;

/**
 * Finds the image an {@code imageId} (a tag, a digest, or both) names, or says why not in the
 * failure codes and reasons of ECR's batch calls.
 */
record ImageLookup(Image image, ImageFailure failure) {

    static ImageLookup of(Repository repo, ImageIdentifier id) {
        String digest = id.imageDigest();
        String tag = id.imageTag();
        if (digest == null && tag == null) {
            return failed(id, ImageFailureCode.MISSING_DIGEST_AND_TAG, "Invalid request parameters: both tag and digest cannot be null");
        }
        if (digest != null && !EcrRequests.isDigestShaped(digest)) {
            return failed(id, ImageFailureCode.INVALID_IMAGE_DIGEST,
                    "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'");
        }
        if (tag != null && (tag.isEmpty() || tag.length() > 300)) {
            return failed(id, ImageFailureCode.INVALID_IMAGE_TAG, "Invalid request parameters: image tag should be 1 to 300 characters long");
        }
        Optional<Image> byTag = tag == null ? Optional.empty() : repo.image(tag);
        if (digest == null) {
            return byTag.map(ImageLookup::found).orElseGet(() -> notFound(id));
        }
        Optional<Image> byDigest = repo.byDigest(digest);
        if (byDigest.isEmpty() || tag != null && byTag.isEmpty()) {
            return notFound(id);
        }
        if (tag != null && !byTag.get().digest().equals(digest)) {
            return failed(id, ImageFailureCode.IMAGE_TAG_DOES_NOT_MATCH_DIGEST,
                    "Invalid request parameters: given tag and digest do not point to the same image");
        }
        return found(byDigest.get());
    }

    /** The image, or ECR's ImageNotFoundException (DescribeImages, StartImageScan, ... refuse the call instead of reporting a failure). */
    static Image require(Repository repo, ImageIdentifier id) {
        ImageLookup found = of(repo, id);
        if (found.image() != null) {
            return found.image();
        }
        if (found.failure().failureCode() == ImageFailureCode.IMAGE_NOT_FOUND) {
            throw ApiException.of(ImageNotFoundException.class, "The image with imageId " + describe(id)
                    + " does not exist within the repository with name '" + repo.name() + "' in the registry with id '"
                    + repo.registryId() + "'");
        }
        throw EcrRequests.invalidParameter(found.failure().failureReason());
    }

    /** An image id as ECR writes it in messages: {@code {imageDigest:'null', imageTag:'latest'}}. */
    static String describe(ImageIdentifier id) {
        return "{imageDigest:'" + id.imageDigest() + "', imageTag:'" + id.imageTag() + "'}";
    }

    private static ImageLookup found(Image image) {
        return new ImageLookup(image, null);
    }

    private static ImageLookup notFound(ImageIdentifier id) {
        return failed(id, ImageFailureCode.IMAGE_NOT_FOUND, "Requested image not found");
    }

    static ImageLookup failed(ImageIdentifier id, ImageFailureCode code, String reason) {
        return new ImageLookup(null, ImageFailure.builder().imageId(id).failureCode(code).failureReason(reason).build());
    }
}
