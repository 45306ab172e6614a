package dev.ecsemu.api.ecr;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.ecr.Image;
import dev.ecsemu.core.ecr.ImageRejected;
import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.registry.Registry;
import dev.ecsemu.core.state.Page;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecr.model.BatchDeleteImageRequest;
import software.amazon.awssdk.services.ecr.model.BatchDeleteImageResponse;
import software.amazon.awssdk.services.ecr.model.BatchGetImageRequest;
import software.amazon.awssdk.services.ecr.model.BatchGetImageResponse;
import software.amazon.awssdk.services.ecr.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.ImageAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageDigestDoesNotMatchException;
import software.amazon.awssdk.services.ecr.model.ImageFailure;
import software.amazon.awssdk.services.ecr.model.ImageFailureCode;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageStatusFilter;
import software.amazon.awssdk.services.ecr.model.ImageTagAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.LayersNotFoundException;
import software.amazon.awssdk.services.ecr.model.ListImagesRequest;
import software.amazon.awssdk.services.ecr.model.ListImagesResponse;
import software.amazon.awssdk.services.ecr.model.PutImageRequest;
import software.amazon.awssdk.services.ecr.model.PutImageResponse;
import software.amazon.awssdk.services.ecr.model.ReferencedImagesNotFoundException;
import software.amazon.awssdk.services.ecr.model.TagStatus;

/** DescribeImages, ListImages, BatchGetImage, BatchDeleteImage, PutImage. */
public final class ImageOperations {
    private final Registry registry;
    private final Clock clock;

    public ImageOperations(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** One entry per image (digest); by imageIds (an unknown one refuses the call) or all, filtered by tagStatus, paged. */
    public DescribeImagesResponse describeImages(DescribeImagesRequest r, RequestContext ctx) {
        if (r.hasImageIds()) {
            EcrRequests.checkCount("imageIds", r.imageIds(), 1, 100);
            EcrRequests.checkNoPaging("imageIds", r.maxResults(), r.nextToken());
        }
        return ctx.store().read(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            List<ImageDetail> details = new ArrayList<>();
            if (r.hasImageIds()) {
                Map<String, Image> images = new LinkedHashMap<>();
                for (ImageIdentifier id : r.imageIds()) {
                    Image image = ImageLookup.require(repo, id);
                    images.putIfAbsent(image.digest(), image);
                }
                images.values().forEach(i -> details.add(EcrViews.imageDetail(repo, i)));
                return DescribeImagesResponse.builder().imageDetails(details).build();
            }
            TagStatus tagStatus = r.filter() == null ? null : r.filter().tagStatus();
            boolean archivedOnly = r.filter() != null && r.filter().imageStatus() != null
                    && r.filter().imageStatus() != ImageStatusFilter.ACTIVE && r.filter().imageStatus() != ImageStatusFilter.ANY;
            List<Image> selected = new ArrayList<>();
            for (Image image : repo.images()) {
                if (!archivedOnly && matches(tagStatus, !repo.tagsOf(image.digest()).isEmpty())) {
                    selected.add(image);
                }
            }
            selected.sort(java.util.Comparator.comparing(Image::digest));
            Page<Image> page = Page.of(selected, Image::digest, r.maxResults(), r.nextToken(), 100, 1000);
            page.items().forEach(i -> details.add(EcrViews.imageDetail(repo, i)));
            return DescribeImagesResponse.builder().imageDetails(details).nextToken(page.nextToken()).build();
        });
    }

    /** One entry per tag, and one (digest only) per untagged image; filtered by tagStatus, paged. */
    public ListImagesResponse listImages(ListImagesRequest r, RequestContext ctx) {
        return ctx.store().read(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            TagStatus tagStatus = r.filter() == null ? null : r.filter().tagStatus();
            boolean archivedOnly = r.filter() != null && r.filter().imageStatus() != null
                    && r.filter().imageStatus() != ImageStatusFilter.ACTIVE && r.filter().imageStatus() != ImageStatusFilter.ANY;
            List<ImageIdentifier> ids = new ArrayList<>();
            for (Image image : archivedOnly ? List.<Image>of() : repo.images()) {
                List<String> tags = repo.tagsOf(image.digest());
                if (!matches(tagStatus, !tags.isEmpty())) {
                    continue;
                }
                if (tags.isEmpty()) {
                    ids.add(EcrViews.imageId(image.digest(), null));
                }
                tags.forEach(tag -> ids.add(EcrViews.imageId(image.digest(), tag)));
            }
            ids.sort(java.util.Comparator.comparing(ImageOperations::key));
            Page<ImageIdentifier> page = Page.of(ids, ImageOperations::key, r.maxResults(), r.nextToken(), 100, 1000);
            return ListImagesResponse.builder().imageIds(page.items()).nextToken(page.nextToken()).build();
        });
    }

    private static String key(ImageIdentifier id) {
        return id.imageDigest() + " " + (id.imageTag() == null ? "" : id.imageTag());
    }

    private static boolean matches(TagStatus filter, boolean tagged) {
        return filter == null || filter == TagStatus.ANY || (filter == TagStatus.TAGGED) == tagged;
    }

    /** The manifests asked for, exactly as pushed; a manifest whose media type is not among acceptedMediaTypes is a failure (the emulator converts none). A returned manifest counts as pulled. */
    public BatchGetImageResponse batchGetImage(BatchGetImageRequest r, RequestContext ctx) {
        EcrRequests.checkCount("imageIds", r.imageIds(), 1, 100);
        if (r.hasAcceptedMediaTypes()) {
            EcrRequests.checkCount("acceptedMediaTypes", r.acceptedMediaTypes(), 1, 100);
        }
        return ctx.store().write(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            List<software.amazon.awssdk.services.ecr.model.Image> images = new ArrayList<>();
            List<ImageFailure> failures = new ArrayList<>();
            for (ImageIdentifier id : r.imageIds()) {
                ImageLookup found = ImageLookup.of(repo, id);
                Image image = found.image();
                if (image == null) {
                    failures.add(found.failure());
                } else if (r.hasAcceptedMediaTypes() && !r.acceptedMediaTypes().contains(image.mediaType())) {
                    failures.add(ImageLookup.failed(id, ImageFailureCode.IMAGE_NOT_FOUND, "Requested image not found: its manifest is "
                            + image.mediaType() + ", which is not among the acceptedMediaTypes " + r.acceptedMediaTypes()
                            + " (ecs-emu does not convert manifests)").failure());
                } else {
                    image.pulled(clock.instant());
                    images.add(image(repo, image, id.imageTag()));
                }
            }
            return BatchGetImageResponse.builder().images(images).failures(failures).build();
        });
    }

    /**
     * By digest: the image and all its tags go. By tag: the tag goes, and the image with it when it
     * was its last tag. An image a manifest list (index) of the repository refers to stays.
     */
    public BatchDeleteImageResponse batchDeleteImage(BatchDeleteImageRequest r, RequestContext ctx) {
        EcrRequests.checkCount("imageIds", r.imageIds(), 1, 100);
        BatchDeleteImageResponse response = ctx.store().write(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            List<ImageIdentifier> deleted = new ArrayList<>();
            List<ImageFailure> failures = new ArrayList<>();
            for (ImageIdentifier id : r.imageIds()) {
                ImageLookup found = ImageLookup.of(repo, id);
                if (found.image() == null) {
                    failures.add(found.failure());
                    continue;
                }
                String digest = found.image().digest();
                List<String> tags = repo.tagsOf(digest);
                if (id.imageDigest() == null && tags.size() > 1) {
                    repo.untag(id.imageTag());
                    deleted.add(EcrViews.imageId(digest, id.imageTag()));
                    continue;
                }
                List<String> indexes = repo.indexesListing(digest);
                if (!indexes.isEmpty()) {
                    failures.add(ImageLookup.failed(id, ImageFailureCode.IMAGE_REFERENCED_BY_MANIFEST_LIST,
                            "Requested image referenced by manifest list: " + indexes).failure());
                    continue;
                }
                repo.delete(digest);
                if (tags.isEmpty()) {
                    deleted.add(EcrViews.imageId(digest, null));
                }
                tags.forEach(tag -> deleted.add(EcrViews.imageId(digest, tag)));
            }
            return BatchDeleteImageResponse.builder().imageIds(deleted).failures(failures).build();
        });
        if (!response.imageIds().isEmpty()) {
            registry.collectGarbage();
        }
        return response;
    }

    /**
     * Stores a manifest whose blobs (or, for an index, manifests) are already in the repository, and
     * moves the tag to it. Pushing an image that already has the tag, or moving a tag of an IMMUTABLE
     * repository, is refused as ECR refuses it.
     */
    public PutImageResponse putImage(PutImageRequest r, RequestContext ctx) {
        EcrRequests.checkLength("imageTag", r.imageTag(), 1, 300);
        byte[] manifest = r.imageManifest().getBytes(StandardCharsets.UTF_8);
        PutImageResponse response = ctx.store().write(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            Image image;
            try {
                image = repo.put(manifest, r.imageManifestMediaType(), r.imageTag(), r.imageDigest(), clock.instant(), true);
            } catch (ImageRejected e) {
                throw refusal(e, repo);
            }
            return PutImageResponse.builder().image(software.amazon.awssdk.services.ecr.model.Image.builder()
                    .registryId(repo.registryId())
                    .repositoryName(repo.name())
                    .imageId(EcrViews.imageId(image.digest(), r.imageTag()))
                    .imageManifest(r.imageManifest())
                    .imageManifestMediaType(image.mediaType())
                    .build()).build();
        });
        return response;
    }

    private static ApiException refusal(ImageRejected e, Repository repo) {
        String where = " in the repository with name '" + repo.name() + "' in registry with id '" + repo.registryId() + "'";
        switch (e.reason()) {
            case TAG_IMMUTABLE:
                return ApiException.of(ImageTagAlreadyExistsException.class, e.getMessage());
            case ALREADY_EXISTS:
                return ApiException.of(ImageAlreadyExistsException.class, e.getMessage());
            case BLOB_UNKNOWN:
                return ApiException.of(LayersNotFoundException.class, "Layers with digests '[" + e.detail()
                        + "]' required for pushing image into repository with name '" + repo.name() + "' in registry with id '"
                        + repo.registryId() + "' do not exist. Upload them first (InitiateLayerUpload, UploadLayerPart,"
                        + " CompleteLayerUpload) or push with docker.");
            case MANIFEST_UNKNOWN:
                return ApiException.of(ReferencedImagesNotFoundException.class, "The manifest list references the image "
                        + e.detail() + ", which does not exist" + where + ". Push the images it lists first.");
            case DIGEST_INVALID:
                return ApiException.of(ImageDigestDoesNotMatchException.class, "The imageDigest " + e.detail()
                        + " does not match the digest of the image manifest: " + e.getMessage());
            case TAG_INVALID:
                return EcrRequests.invalidParameter("Invalid parameter at 'imageTag' failed to satisfy constraint: '" + e.getMessage()
                        + "'");
            case MANIFEST_INVALID:
            default:
                return EcrRequests.invalidParameter("Invalid parameter at 'ImageManifest' failed to satisfy constraint: '"
                        + e.getMessage() + "'");
        }
    }

    private static software.amazon.awssdk.services.ecr.model.Image image(Repository repo, Image image, String tag) {
        return software.amazon.awssdk.services.ecr.model.Image.builder()
                .registryId(repo.registryId())
                .repositoryName(repo.name())
                .imageId(EcrViews.imageId(image.digest(), tag))
                .imageManifest(new String(image.manifest(), StandardCharsets.UTF_8))
                .imageManifestMediaType(image.mediaType())
                .build();
    }
}
