package dev.ecsemu.api.ecr;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.ecr.Image;
import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.error.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecr.model.DescribeImageScanFindingsRequest;
import software.amazon.awssdk.services.ecr.model.DescribeImageScanFindingsResponse;
import software.amazon.awssdk.services.ecr.model.ImageScanFindings;
import software.amazon.awssdk.services.ecr.model.LimitExceededException;
import software.amazon.awssdk.services.ecr.model.ScanNotFoundException;
import software.amazon.awssdk.services.ecr.model.StartImageScanRequest;
import software.amazon.awssdk.services.ecr.model.StartImageScanResponse;
import software.amazon.awssdk.services.ecr.model.UnsupportedImageTypeException;

/**
 * StartImageScan and DescribeImageScanFindings, answered honestly: ecs-emu has no vulnerability
 * database, so a scan completes at once, says in its status description that it did not look, and
 * reports no findings. The bookkeeping is ECR's basic scanning: one scan per image per 24 hours,
 * none of a manifest list, findings only for a scanned image (StartImageScan, or scanOnPush).
 */
public final class ImageScanOperations {
    /** Basic scanning scans an image at most once a day. */
    static final Duration SCAN_QUOTA_PERIOD = Duration.ofHours(24);

    private final Clock clock;

    public ImageScanOperations(Clock clock) {
        this.clock = clock;
    }

    public StartImageScanResponse startImageScan(StartImageScanRequest r, RequestContext ctx) {
        return ctx.store().write(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            Image image = ImageLookup.require(repo, r.imageId());
            if (image.facts().isIndex()) {
                throw ApiException.of(UnsupportedImageTypeException.class, "The image " + image.digest() + " is a manifest list ("
                        + image.mediaType() + "), which cannot be scanned; scan the images it lists.");
            }
            Instant now = clock.instant();
            if (image.scanCompletedAt() != null && now.isBefore(image.scanCompletedAt().plus(SCAN_QUOTA_PERIOD))) {
                throw ApiException.of(LimitExceededException.class, "The scan quota per image has been exceeded. Wait and try again:"
                        + " an image can be scanned once every 24 hours; this one was scanned at " + image.scanCompletedAt() + ".");
            }
            image.scanned(now);
            return StartImageScanResponse.builder()
                    .registryId(repo.registryId())
                    .repositoryName(repo.name())
                    .imageId(EcrViews.imageId(image.digest(), r.imageId().imageTag()))
                    .imageScanStatus(EcrViews.scanStatus())
                    .build();
        });
    }

    public DescribeImageScanFindingsResponse describeImageScanFindings(DescribeImageScanFindingsRequest r, RequestContext ctx) {
        if (r.maxResults() != null && (r.maxResults() < 1 || r.maxResults() > 1000)) {
            throw EcrRequests.invalidParameter("maxResults must be between 1 and 1000 (was " + r.maxResults() + ").");
        }
        return ctx.store().read(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            Image image = ImageLookup.require(repo, r.imageId());
            if (image.scanCompletedAt() == null) {
                throw ApiException.of(ScanNotFoundException.class, "Image scan does not exist for the image with '"
                        + ImageLookup.describe(r.imageId()) + "' in the repository with name '" + repo.name()
                        + "' in the registry with id '" + repo.registryId() + "'. Start one with StartImageScan,"
                        + " or set scanOnPush on the repository.");
            }
            return DescribeImageScanFindingsResponse.builder()
                    .registryId(repo.registryId())
                    .repositoryName(repo.name())
                    .imageId(EcrViews.imageId(image.digest(), r.imageId().imageTag()))
                    .imageScanStatus(EcrViews.scanStatus())
                    .imageScanFindings(ImageScanFindings.builder()
                            .imageScanCompletedAt(image.scanCompletedAt())
                            .findingSeverityCountsWithStrings(Map.of())
                            .findings(List.of())
                            .build())
                    .build();
        });
    }
}
