package dev.ecsemu.api.ecr;

import dev.ecsemu.core.ecr.Image;
import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.state.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageScanFindingsSummary;
import software.amazon.awssdk.services.ecr.model.ImageScanStatus;
import software.amazon.awssdk.services.ecr.model.ImageStatus;
import software.amazon.awssdk.services.ecr.model.ScanStatus;
import software.amazon.awssdk.services.ecr.model.Tag;

/** The domain's repositories and images as ECR's API shows them. */
final class EcrViews {
    /** What a scan by the emulator finds, and says so: it has no vulnerability database. */
    static final String SCAN_DESCRIPTION = "ecs-emu does not scan images for vulnerabilities: the scan is complete without looking,"
            + " so it reports no findings.";

    private EcrViews() {
    }

    /** Where the emulator's registry serves the repository: {@code <registryHost>/<account>/<region>/<name>}. */
    static String repositoryUri(String registryHost, Scope scope, String name) {
        return registryHost + "/" + scope.account() + "/" + scope.region() + "/" + name;
    }

    static software.amazon.awssdk.services.ecr.model.Repository repository(Repository r, Scope scope, String registryHost) {
        return software.amazon.awssdk.services.ecr.model.Repository.builder()
                .repositoryArn(r.arn())
                .registryId(r.registryId())
                .repositoryName(r.name())
                .repositoryUri(repositoryUri(registryHost, scope, r.name()))
                .createdAt(r.createdAt())
                .imageTagMutability(r.imageTagMutability())
                .imageTagMutabilityExclusionFilters(r.imageTagMutabilityExclusionFilters().isEmpty() ? null
                        : r.imageTagMutabilityExclusionFilters())
                .imageScanningConfiguration(r.imageScanningConfiguration())
                .encryptionConfiguration(r.encryptionConfiguration())
                .build();
    }

    static ImageDetail imageDetail(Repository r, Image image) {
        List<String> tags = r.tagsOf(image.digest());
        ImageDetail.Builder b = ImageDetail.builder()
                .registryId(r.registryId())
                .repositoryName(r.name())
                .imageDigest(image.digest())
                .imageTags(tags.isEmpty() ? null : tags)
                .imageSizeInBytes(image.sizeInBytes())
                .imagePushedAt(image.pushedAt())
                .imageManifestMediaType(image.mediaType())
                .artifactMediaType(artifactMediaType(image))
                .lastRecordedPullTime(image.lastRecordedPullTime())
                .imageStatus(ImageStatus.ACTIVE);
        if (image.scanCompletedAt() != null) {
            b.imageScanStatus(scanStatus()).imageScanFindingsSummary(ImageScanFindingsSummary.builder()
                    .imageScanCompletedAt(image.scanCompletedAt())
                    .findingSeverityCountsWithStrings(Map.of())
                    .build());
        }
        return b.build();
    }

    /** The image's artifact type: the config's media type for an image, an OCI artifactType where the manifest has one. */
    static String artifactMediaType(Image image) {
        return image.facts().artifactType() != null ? image.facts().artifactType() : image.facts().configMediaType();
    }

    static ImageScanStatus scanStatus() {
        return ImageScanStatus.builder().status(ScanStatus.COMPLETE).description(SCAN_DESCRIPTION).build();
    }

    static ImageIdentifier imageId(String digest, String tag) {
        return ImageIdentifier.builder().imageDigest(digest).imageTag(tag).build();
    }

    static List<Tag> tags(Map<String, String> tags) {
        List<Tag> out = new ArrayList<>(tags.size());
        tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        return out;
    }
}
