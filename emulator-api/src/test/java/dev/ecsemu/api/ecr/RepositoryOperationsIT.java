package dev.ecsemu.api.ecr;

import static dev.ecsemu.api.testing.EcrAssertions.assertEcrError;
import static dev.ecsemu.api.testing.EcrAssertions.ecrError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.EcrImages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryResponse;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesResponse;
import software.amazon.awssdk.services.ecr.model.EncryptionType;
import software.amazon.awssdk.services.ecr.model.ImageTagAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilterType;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.InvalidTagParameterException;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotEmptyException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.Tag;

/** CreateRepository, DescribeRepositories, DeleteRepository, PutImageTagMutability, PutImageScanningConfiguration through the SDK. */
class RepositoryOperationsIT extends EcrIT {

    @Test
    void createRepositoryWithEcrsDefaults() {
        Instant before = Instant.now().minusSeconds(1);
        Repository repo = ecr.createRepository(r -> r.repositoryName("team/web-app")).repository();

        assertThat(repo.repositoryName()).isEqualTo("team/web-app");
        assertThat(repo.registryId()).isEqualTo(ACCOUNT);
        assertThat(repo.repositoryArn()).isEqualTo("arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/team/web-app");
        assertThat(repo.repositoryUri()).isEqualTo("localhost:" + emu.emulator().port() + "/" + ACCOUNT + "/us-east-1/team/web-app");
        assertThat(repo.repositoryUri()).startsWith(emu.emulator().registryHost() + "/");
        assertThat(repo.createdAt()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(repo.imageTagMutability()).isEqualTo(ImageTagMutability.MUTABLE);
        assertThat(repo.imageScanningConfiguration().scanOnPush()).isFalse();
        assertThat(repo.encryptionConfiguration().encryptionType()).isEqualTo(EncryptionType.AES256);
        assertThat(repo.encryptionConfiguration().kmsKey()).isNull();
        assertThat(repo.hasImageTagMutabilityExclusionFilters()).isFalse();
    }

    @Test
    void createRepositoryWithSettingsAndTags() {
        Repository repo = ecr.createRepository(r -> r.repositoryName("secure")
                .imageTagMutability(ImageTagMutability.IMMUTABLE)
                .imageScanningConfiguration(s -> s.scanOnPush(true))
                .encryptionConfiguration(e -> e.encryptionType(EncryptionType.KMS).kmsKey("arn:aws:kms:us-east-1:" + ACCOUNT + ":key/k1"))
                .tags(Tag.builder().key("team").value("a").build(), Tag.builder().key("empty").value("").build())).repository();

        assertThat(repo.imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE);
        assertThat(repo.imageScanningConfiguration().scanOnPush()).isTrue();
        assertThat(repo.encryptionConfiguration().encryptionType()).isEqualTo(EncryptionType.KMS);
        assertThat(repo.encryptionConfiguration().kmsKey()).isEqualTo("arn:aws:kms:us-east-1:" + ACCOUNT + ":key/k1");
        assertThat(ecr.listTagsForResource(r -> r.resourceArn(repo.repositoryArn())).tags())
                .containsExactly(Tag.builder().key("team").value("a").build(), Tag.builder().key("empty").value("").build());
        // What CreateRepository answered is what DescribeRepositories says.
        assertThat(ecr.describeRepositories(r -> r.repositoryNames("secure")).repositories()).containsExactly(repo);
    }

    @Test
    void repositoryNamesFollowEcrsRule() {
        // Components joined by '.', '_', '__' or any run of '-'.
        for (String fine : List.of("a--b", "a__b", "team.x/web_app-1")) {
            assertThat(ecr.createRepository(r -> r.repositoryName(fine)).repository().repositoryName()).isEqualTo(fine);
        }
        for (String bad : List.of("a___b", "a..b", "a-_b")) {
            assertThat(ecrError(() -> ecr.createRepository(r -> r.repositoryName(bad)), InvalidParameterException.class))
                    .as(bad).contains("'repositoryName'");
        }
    }

    @Test
    void createRepositoryRefusals() {
        ecr.createRepository(r -> r.repositoryName("web"));
        assertEcrError(() -> ecr.createRepository(r -> r.repositoryName("web")), RepositoryAlreadyExistsException.class,
                "The repository with name 'web' already exists in the registry with id '" + ACCOUNT + "'");
        for (String bad : List.of("Web", "a", "-web", "web/", "web//x", "we b", "web:1", "x".repeat(257))) {
            assertThat(ecrError(() -> ecr.createRepository(r -> r.repositoryName(bad)), InvalidParameterException.class))
                    .as("name '%s'", bad).contains("'repositoryName'");
        }
        assertThat(ecrError(() -> ecr.createRepository(r -> r.repositoryName("kms").encryptionConfiguration(
                e -> e.encryptionType(EncryptionType.AES256).kmsKey("key"))), InvalidParameterException.class)).contains("KMS key");
        assertThat(ecrError(() -> ecr.createRepository(r -> r.repositoryName("tagged").tags(Tag.builder().key("aws:x").value("1").build())),
                InvalidTagParameterException.class)).contains("aws:");
        assertThat(ecrError(() -> ecr.createRepository(r -> r.repositoryName("mut")
                .imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)), InvalidParameterException.class))
                .contains("ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as IMMUTABLE_WITH_EXCLUSION");
        assertThat(ecrError(() -> ecr.createRepository(r -> r.repositoryName("mut").imageTagMutability(ImageTagMutability.IMMUTABLE)
                .imageTagMutabilityExclusionFilters(filter("latest"))), InvalidParameterException.class))
                .contains("must be null when imageTagMutability is set as IMMUTABLE");
        assertThat(ecrError(() -> ecr.createRepository(r -> r.repositoryName("mut")
                .imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION).imageTagMutabilityExclusionFilters(filter("bad tag"))),
                InvalidParameterException.class)).contains("'bad tag'");
        assertThat(ecrError(() -> ecr.createRepository(r -> r.repositoryName("mut").registryId("111111111111")),
                InvalidParameterException.class)).contains("registryId");
        // Nothing refused was created.
        assertThat(ecr.describeRepositories(r -> { }).repositories()).extracting(Repository::repositoryName).containsExactly("web");
    }

    @Test
    void describeRepositoriesByNameAndPaged() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String name = "repo-" + i;
            names.add(name);
            ecr.createRepository(r -> r.repositoryName(name));
        }
        assertThat(ecr.describeRepositories(r -> r.repositoryNames("repo-3", "repo-1")).repositories())
                .extracting(Repository::repositoryName).containsExactly("repo-3", "repo-1");

        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            DescribeRepositoriesResponse page = ecr.describeRepositories(r -> r.maxResults(3).nextToken(t));
            page.repositories().forEach(repo -> seen.add(repo.repositoryName()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(names);
        // The SDK's paginator walks the same pages.
        assertThat(ecr.describeRepositoriesPaginator(r -> r.maxResults(2)).repositories()).extracting(Repository::repositoryName)
                .containsExactlyElementsOf(names);
        // Another registry id holds none of these.
        assertThat(ecr.describeRepositories(r -> r.registryId("111111111111")).repositories()).isEmpty();
    }

    @Test
    void describeRepositoriesRefusals() {
        ecr.createRepository(r -> r.repositoryName("present"));
        assertEcrError(() -> ecr.describeRepositories(r -> r.repositoryNames("present", "missing")), RepositoryNotFoundException.class,
                "The repository with name 'missing' does not exist in the registry with id '" + ACCOUNT + "'");
        assertEcrError(() -> ecr.describeRepositories(r -> r.repositoryNames("present").registryId("111111111111")),
                RepositoryNotFoundException.class, "The repository with name 'present' does not exist in the registry with id '111111111111'");
        assertThat(ecrError(() -> ecr.describeRepositories(r -> r.repositoryNames("present").maxResults(1)), InvalidParameterException.class))
                .contains("maxResults");
        assertThat(ecrError(() -> ecr.describeRepositories(r -> r.maxResults(0)), InvalidParameterException.class)).contains("maxResults");
        assertThat(ecrError(() -> ecr.describeRepositories(r -> r.maxResults(1001)), InvalidParameterException.class)).contains("1000");
        assertThat(ecrError(() -> ecr.describeRepositories(r -> r.nextToken("not a token!")), InvalidParameterException.class))
                .contains("nextToken");
        assertThat(ecrError(() -> ecr.describeRepositories(r -> r.registryId("12")), InvalidParameterException.class)).contains("registryId");
    }

    @Test
    void repositoriesAreKeptPerAccountAndRegion() {
        ecr.createRepository(r -> r.repositoryName("shared-name"));
        try (EcrClient other = emu.ecr("123456789012", Region.EU_WEST_1)) {
            assertThat(other.describeRepositories(r -> { }).repositories()).isEmpty();
            Repository repo = other.createRepository(r -> r.repositoryName("shared-name")).repository();
            assertThat(repo.registryId()).isEqualTo("123456789012");
            assertThat(repo.repositoryArn()).isEqualTo("arn:aws:ecr:eu-west-1:123456789012:repository/shared-name");
            assertThat(repo.repositoryUri()).endsWith("/123456789012/eu-west-1/shared-name");
        }
    }

    @Test
    void deleteRepository() {
        Repository created = ecr.createRepository(r -> r.repositoryName("empty")).repository();
        assertThat(ecr.deleteRepository(r -> r.repositoryName("empty")).repository()).isEqualTo(created);
        assertEcrError(() -> ecr.describeRepositories(r -> r.repositoryNames("empty")), RepositoryNotFoundException.class,
                "The repository with name 'empty' does not exist in the registry with id '" + ACCOUNT + "'");
        assertEcrError(() -> ecr.deleteRepository(r -> r.repositoryName("empty")), RepositoryNotFoundException.class,
                "The repository with name 'empty' does not exist in the registry with id '" + ACCOUNT + "'");
        // The name can be used again, and the new repository has none of the old one's tags.
        ecr.createRepository(r -> r.repositoryName("empty").tags(Tag.builder().key("k").value("v").build()));
        ecr.deleteRepository(r -> r.repositoryName("empty"));
        Repository again = ecr.createRepository(r -> r.repositoryName("empty")).repository();
        assertThat(ecr.listTagsForResource(r -> r.resourceArn(again.repositoryArn())).tags()).isEmpty();
    }

    @Test
    void aRepositoryWithImagesIsDeletedOnlyWithForceAndItsBlobsAreFreed() {
        ecr.createRepository(r -> r.repositoryName("full"));
        long empty = bytesStored();
        EcrImages.Pushed image = EcrImages.push(ecr, "full", "v1", "full-1", 64 * 1024);
        assertThat(bytesStored()).isGreaterThanOrEqualTo(empty + image.layerSize());

        assertEcrError(() -> ecr.deleteRepository(r -> r.repositoryName("full")), RepositoryNotEmptyException.class,
                "The repository with name 'full' in registry with id '" + ACCOUNT + "' cannot be deleted because it still contains images");
        assertThat(ecr.listImages(r -> r.repositoryName("full")).imageIds()).hasSize(1);

        ecr.deleteRepository(r -> r.repositoryName("full").force(true));
        assertThat(bytesStored()).isEqualTo(empty);
        assertThat(emu.emulator().registry().blobs().contains(image.layerDigest())).isFalse();
    }

    @Test
    void putImageTagMutability() {
        ecr.createRepository(r -> r.repositoryName("mut"));
        EcrImages.Pushed v1 = EcrImages.push(ecr, "mut", "latest", "m-1");
        var response = ecr.putImageTagMutability(r -> r.repositoryName("mut").imageTagMutability(ImageTagMutability.IMMUTABLE));
        assertThat(response.registryId()).isEqualTo(ACCOUNT);
        assertThat(response.repositoryName()).isEqualTo("mut");
        assertThat(response.imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE);
        assertThat(ecr.describeRepositories(r -> r.repositoryNames("mut")).repositories().get(0).imageTagMutability())
                .isEqualTo(ImageTagMutability.IMMUTABLE);

        EcrImages.Pushed v2 = EcrImages.push(ecr, "mut", null, "m-2");
        assertEcrError(() -> ecr.putImage(r -> r.repositoryName("mut").imageTag("latest").imageManifest(v2.manifest())),
                ImageTagAlreadyExistsException.class,
                "The image tag 'latest' already exists in the 'mut' repository and cannot be overwritten because the repository is immutable.");

        // IMMUTABLE except tags matching the filters: "latest" moves again, "v*" tags do not.
        ecr.putImageTagMutability(r -> r.repositoryName("mut").imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(filter("lat*")));
        assertThat(ecr.describeRepositories(r -> r.repositoryNames("mut")).repositories().get(0).imageTagMutabilityExclusionFilters())
                .containsExactly(filter("lat*"));
        ecr.putImage(r -> r.repositoryName("mut").imageTag("latest").imageManifest(v2.manifest()));
        ecr.putImage(r -> r.repositoryName("mut").imageTag("v1").imageManifest(v1.manifest()));
        assertThat(ecrError(() -> ecr.putImage(r -> r.repositoryName("mut").imageTag("v1").imageManifest(v2.manifest())),
                ImageTagAlreadyExistsException.class)).contains("'v1'");

        // MUTABLE except tags matching the filters: those cannot move.
        ecr.putImageTagMutability(r -> r.repositoryName("mut").imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION)
                .imageTagMutabilityExclusionFilters(filter("release-*")));
        ecr.putImage(r -> r.repositoryName("mut").imageTag("v1").imageManifest(v2.manifest()));
        ecr.putImage(r -> r.repositoryName("mut").imageTag("release-1").imageManifest(v1.manifest()));
        assertThat(ecrError(() -> ecr.putImage(r -> r.repositoryName("mut").imageTag("release-1").imageManifest(v2.manifest())),
                ImageTagAlreadyExistsException.class)).contains("'release-1'");

        ecr.putImageTagMutability(r -> r.repositoryName("mut").imageTagMutability(ImageTagMutability.MUTABLE));
        ecr.putImage(r -> r.repositoryName("mut").imageTag("release-1").imageManifest(v2.manifest()));
        assertThat(ecr.describeRepositories(r -> r.repositoryNames("mut")).repositories().get(0).hasImageTagMutabilityExclusionFilters())
                .isFalse();
    }

    @Test
    void putImageTagMutabilityRefusals() {
        ecr.createRepository(r -> r.repositoryName("mut"));
        assertEcrError(() -> ecr.putImageTagMutability(r -> r.repositoryName("nope").imageTagMutability(ImageTagMutability.IMMUTABLE)),
                RepositoryNotFoundException.class, "The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");
        assertThat(ecrError(() -> ecr.putImageTagMutability(r -> r.repositoryName("mut")
                .imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION)), InvalidParameterException.class))
                .contains("can't be null");
        List<ImageTagMutabilityExclusionFilter> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(filter("t" + i));
        }
        assertThat(ecrError(() -> ecr.putImageTagMutability(r -> r.repositoryName("mut")
                .imageTagMutability(ImageTagMutability.MUTABLE_WITH_EXCLUSION).imageTagMutabilityExclusionFilters(six)),
                InvalidParameterException.class)).contains("between 1 and 5");
        assertThat(ecr.describeRepositories(r -> r.repositoryNames("mut")).repositories().get(0).imageTagMutability())
                .isEqualTo(ImageTagMutability.MUTABLE);
    }

    @Test
    void putImageScanningConfiguration() {
        ecr.createRepository(r -> r.repositoryName("scan"));
        var response = ecr.putImageScanningConfiguration(r -> r.repositoryName("scan").imageScanningConfiguration(s -> s.scanOnPush(true)));
        assertThat(response.registryId()).isEqualTo(ACCOUNT);
        assertThat(response.repositoryName()).isEqualTo("scan");
        assertThat(response.imageScanningConfiguration().scanOnPush()).isTrue();
        assertThat(ecr.describeRepositories(r -> r.repositoryNames("scan")).repositories().get(0).imageScanningConfiguration().scanOnPush())
                .isTrue();
        ecr.putImageScanningConfiguration(r -> r.repositoryName("scan").imageScanningConfiguration(s -> { }));
        assertThat(ecr.describeRepositories(r -> r.repositoryNames("scan")).repositories().get(0).imageScanningConfiguration().scanOnPush())
                .isFalse();
        assertEcrError(() -> ecr.putImageScanningConfiguration(r -> r.repositoryName("nope").imageScanningConfiguration(s -> s.scanOnPush(true))),
                RepositoryNotFoundException.class, "The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");
    }

    @Test
    void createdAtIsTheEmulatorsClock() {
        CreateRepositoryResponse created = ecr.createRepository(r -> r.repositoryName("clock"));
        assertThat(Duration.between(created.repository().createdAt(), Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
    }

    static ImageTagMutabilityExclusionFilter filter(String pattern) {
        return ImageTagMutabilityExclusionFilter.builder().filterType(ImageTagMutabilityExclusionFilterType.WILDCARD).filter(pattern).build();
    }
}
