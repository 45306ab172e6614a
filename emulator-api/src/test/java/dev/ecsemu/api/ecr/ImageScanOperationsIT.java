package dev.ecsemu.api.ecr;

import static dev.ecsemu.api.testing.EcrAssertions.assertEcrError;
import static dev.ecsemu.api.testing.EcrAssertions.ecrError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.EcrImages;
import dev.ecsemu.api.testing.EcrImages.Pushed;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.DescribeImageScanFindingsResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.LimitExceededException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.ScanNotFoundException;
import software.amazon.awssdk.services.ecr.model.ScanStatus;
import software.amazon.awssdk.services.ecr.model.StartImageScanResponse;
import software.amazon.awssdk.services.ecr.model.UnsupportedImageTypeException;

/**
 * StartImageScan and DescribeImageScanFindings: a scan completes at once, says it did not look for
 * vulnerabilities, and reports none; ECR's basic-scanning rules (once a day, not a manifest list,
 * scan on push) hold.
 */
class ImageScanOperationsIT extends FakeClockEcrIT {
    private static ImageIdentifier tag(String tag) {
        return ImageIdentifier.builder().imageTag(tag).build();
    }

    @Test
    void aScanCompletesAtOnceAndFindsNothing() {
        Pushed image = EcrImages.push(ecr, "app", "v1", "scan");
        assertThat(ecrError(() -> ecr.describeImageScanFindings(r -> r.repositoryName("app").imageId(tag("v1"))), ScanNotFoundException.class))
                .isEqualTo("Image scan does not exist for the image with '{imageDigest:'null', imageTag:'v1'}' in the repository with name"
                        + " 'app' in the registry with id '" + ACCOUNT + "'. Start one with StartImageScan, or set scanOnPush on the repository.");

        StartImageScanResponse started = ecr.startImageScan(r -> r.repositoryName("app").imageId(tag("v1")));
        assertThat(started.registryId()).isEqualTo(ACCOUNT);
        assertThat(started.repositoryName()).isEqualTo("app");
        assertThat(started.imageId()).isEqualTo(ImageIdentifier.builder().imageDigest(image.digest()).imageTag("v1").build());
        assertThat(started.imageScanStatus().status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(started.imageScanStatus().description()).contains("does not scan images for vulnerabilities");

        ecr.waiter().waitUntilImageScanComplete(r -> r.repositoryName("app").imageId(tag("v1")));
        DescribeImageScanFindingsResponse findings = ecr.describeImageScanFindings(r -> r.repositoryName("app").imageId(tag("v1")));
        assertThat(findings.imageScanStatus().status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(findings.imageId().imageDigest()).isEqualTo(image.digest());
        assertThat(findings.imageScanFindings().imageScanCompletedAt()).isEqualTo(clock.instant());
        assertThat(findings.imageScanFindings().findings()).isEmpty();
        assertThat(findings.imageScanFindings().findingSeverityCounts()).isEmpty();
        assertThat(findings.nextToken()).isNull();

        ImageDetail detail = ecr.describeImages(r -> r.repositoryName("app").imageIds(tag("v1"))).imageDetails().get(0);
        assertThat(detail.imageScanStatus().status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(detail.imageScanFindingsSummary().imageScanCompletedAt()).isEqualTo(clock.instant());
        assertThat(detail.imageScanFindingsSummary().findingSeverityCounts()).isEmpty();
    }

    @Test
    void anImageIsScannedAtMostOnceADay() {
        EcrImages.push(ecr, "app", "v1", "daily");
        ecr.startImageScan(r -> r.repositoryName("app").imageId(tag("v1")));
        clock.advance(Duration.ofHours(23));
        assertThat(ecrError(() -> ecr.startImageScan(r -> r.repositoryName("app").imageId(tag("v1"))), LimitExceededException.class))
                .startsWith("The scan quota per image has been exceeded. Wait and try again");
        clock.advance(Duration.ofHours(1));
        ecr.startImageScan(r -> r.repositoryName("app").imageId(tag("v1")));
        assertThat(ecr.describeImageScanFindings(r -> r.repositoryName("app").imageId(tag("v1"))).imageScanFindings()
                .imageScanCompletedAt()).isEqualTo(clock.instant());
    }

    @Test
    void scanOnPushScansEveryNewImage() {
        ecr.createRepository(r -> r.repositoryName("scanned").imageScanningConfiguration(s -> s.scanOnPush(true)));
        Pushed image = EcrImages.push(ecr, "scanned", "v1", "on-push");
        var findings = ecr.describeImageScanFindings(r -> r.repositoryName("scanned").imageId(tag("v1")));
        assertThat(findings.imageScanStatus().status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(findings.imageScanFindings().findings()).isEmpty();
        // A manifest list is not scanned.
        String index = ecr.putImage(r -> r.repositoryName("scanned").imageTag("multi").imageManifest(EcrImages.index(List.of(image))))
                .image().imageId().imageDigest();
        ecrError(() -> ecr.describeImageScanFindings(r -> r.repositoryName("scanned").imageId(tag("multi"))), ScanNotFoundException.class);
        assertThat(ecrError(() -> ecr.startImageScan(r -> r.repositoryName("scanned").imageId(tag("multi"))),
                UnsupportedImageTypeException.class)).contains(index);
        // Without scanOnPush nothing is scanned by itself.
        EcrImages.push(ecr, "app", "v1", "not-on-push");
        ecrError(() -> ecr.describeImageScanFindings(r -> r.repositoryName("app").imageId(tag("v1"))), ScanNotFoundException.class);
    }

    @Test
    void scanRefusals() {
        assertEcrError(() -> ecr.startImageScan(r -> r.repositoryName("app").imageId(tag("nope"))), ImageNotFoundException.class,
                "The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository with name 'app' in the"
                        + " registry with id '" + ACCOUNT + "'");
        ecrError(() -> ecr.describeImageScanFindings(r -> r.repositoryName("app").imageId(tag("nope"))), ImageNotFoundException.class);
        assertEcrError(() -> ecr.startImageScan(r -> r.repositoryName("nope").imageId(tag("v1"))), RepositoryNotFoundException.class,
                "The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");
        ecrError(() -> ecr.describeImageScanFindings(r -> r.repositoryName("nope").imageId(tag("v1"))), RepositoryNotFoundException.class);
    }
}
