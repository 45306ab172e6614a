package dev.ecsemu.api.ecr;

import static dev.ecsemu.api.testing.EcrAssertions.assertEcrError;
import static dev.ecsemu.api.testing.EcrAssertions.ecrError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.EcrImages;
import dev.ecsemu.api.testing.EcrImages.Pushed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.GetLifecyclePolicyPreviewResponse;
import software.amazon.awssdk.services.ecr.model.ImageActionType;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewNotFoundException;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewResult;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewStatus;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.TagStatus;

/**
 * Lifecycle policies through the SDK, on an emulator whose clock the test moves: put, get, delete,
 * previews, and enforcement (on put and on the periodic run) freeing the expired images'
 * blobs on disk.
 */
class LifecyclePolicyOperationsIT extends FakeClockEcrIT {
    static final String KEEP_LAST_TWO = "{\"rules\":[{\"rulePriority\":1,\"description\":\"keep the last 2 images\","
            + "\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":2},\"action\":{\"type\":\"expire\"}}]}";
    static final String UNTAGGED_AFTER_ONE_DAY = "{\"rules\":[{\"rulePriority\":1,\"description\":\"untagged images go after a day\","
            + "\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":1},"
            + "\"action\":{\"type\":\"expire\"}}]}";

    @Test
    void keepTheLastTwoOfFiveImages() {
        Instant firstPush = clock.instant();
        List<Pushed> pushed = pushFive();
        long before = bytesStored();

        // The preview says which three go, and deletes nothing.
        var started = ecr.startLifecyclePolicyPreview(r -> r.repositoryName("app").lifecyclePolicyText(KEEP_LAST_TWO));
        assertThat(started.status()).isEqualTo(LifecyclePolicyPreviewStatus.COMPLETE);
        assertThat(started.lifecyclePolicyText()).isEqualTo(KEEP_LAST_TWO);
        assertThat(started.registryId()).isEqualTo(ACCOUNT);
        assertThat(started.repositoryName()).isEqualTo("app");
        ecr.waiter().waitUntilLifecyclePolicyPreviewComplete(r -> r.repositoryName("app"));
        GetLifecyclePolicyPreviewResponse preview = ecr.getLifecyclePolicyPreview(r -> r.repositoryName("app"));
        assertThat(preview.status()).isEqualTo(LifecyclePolicyPreviewStatus.COMPLETE);
        assertThat(preview.lifecyclePolicyText()).isEqualTo(KEEP_LAST_TWO);
        assertThat(preview.summary().expiringImageTotalCount()).isEqualTo(3);
        assertThat(preview.previewResults()).extracting(LifecyclePolicyPreviewResult::imageDigest)
                .containsExactlyInAnyOrder(pushed.get(0).digest(), pushed.get(1).digest(), pushed.get(2).digest());
        LifecyclePolicyPreviewResult oldest = preview.previewResults().stream()
                .filter(p -> p.imageDigest().equals(pushed.get(0).digest())).findFirst().orElseThrow();
        assertThat(oldest.imageTags()).containsExactly("v1");
        assertThat(oldest.imagePushedAt()).isEqualTo(firstPush);
        assertThat(oldest.action().type()).isEqualTo(ImageActionType.EXPIRE);
        assertThat(oldest.appliedRulePriority()).isEqualTo(1);
        assertThat(images()).hasSize(5);
        assertThat(bytesStored()).isEqualTo(before);

        // Put, the policy is enforced at once: the two newest stay, the others' blobs are deleted from disk.
        var put = ecr.putLifecyclePolicy(r -> r.repositoryName("app").lifecyclePolicyText(KEEP_LAST_TWO));
        assertThat(put.lifecyclePolicyText()).isEqualTo(KEEP_LAST_TWO);
        assertThat(put.registryId()).isEqualTo(ACCOUNT);
        assertThat(images()).containsExactlyInAnyOrder(pushed.get(3).digest(), pushed.get(4).digest());
        long expiredBytes = 0;
        for (int i = 0; i < 3; i++) {
            expiredBytes += pushed.get(i).layerSize() + EcrImages.config("image-" + i).length;
            assertThat(emu.emulator().registry().blobs().contains(pushed.get(i).layerDigest())).isFalse();
        }
        assertThat(bytesStored()).isEqualTo(before - expiredBytes);
        assertThat(ecr.getLifecyclePolicy(r -> r.repositoryName("app")).lastEvaluatedAt()).isEqualTo(clock.instant());
    }

    @Test
    void pushesAreLeftAloneUntilThePeriodicRun() {
        // As in ECR, a policy is applied on its own schedule, not in the push: a multi-arch push's untagged
        // images arrive before the index that lists them, and must not be expired in between.
        ecr.putLifecyclePolicy(r -> r.repositoryName("app").lifecyclePolicyText(KEEP_LAST_TWO));
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            digests.add(EcrImages.push(ecr, "app", "v" + i, "push-" + i).digest());
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(images()).containsExactlyInAnyOrderElementsOf(digests);

        assertThat(emu.emulator().registry().applyLifecyclePolicies()).isEqualTo(2);
        assertThat(images()).containsExactlyInAnyOrder(digests.get(2), digests.get(3));
    }

    @Test
    void ageRulesExpireImagesOnThePeriodicRun() {
        ecr.putLifecyclePolicy(r -> r.repositoryName("app").lifecyclePolicyText(UNTAGGED_AFTER_ONE_DAY));
        Pushed old = EcrImages.push(ecr, "app", null, "old-untagged");
        Pushed tagged = EcrImages.push(ecr, "app", "keep", "old-tagged");
        clock.advance(Duration.ofHours(23));
        Pushed young = EcrImages.push(ecr, "app", null, "young-untagged");
        assertThat(images()).hasSize(3);

        clock.advance(Duration.ofHours(2));
        assertThat(emu.emulator().registry().applyLifecyclePolicies()).isEqualTo(1);
        assertThat(images()).containsExactlyInAnyOrder(tagged.digest(), young.digest());
        assertThat(emu.emulator().registry().blobs().contains(old.layerDigest())).isFalse();
    }

    @Test
    void putGetAndDeleteLifecyclePolicy() {
        String notFound = "Lifecycle policy does not exist for the repository with name 'app' in the registry with id '" + ACCOUNT + "'";
        assertEcrError(() -> ecr.getLifecyclePolicy(r -> r.repositoryName("app")), LifecyclePolicyNotFoundException.class, notFound);
        assertEcrError(() -> ecr.deleteLifecyclePolicy(r -> r.repositoryName("app")), LifecyclePolicyNotFoundException.class, notFound);

        ecr.putLifecyclePolicy(r -> r.repositoryName("app").lifecyclePolicyText(KEEP_LAST_TWO));
        var got = ecr.getLifecyclePolicy(r -> r.repositoryName("app"));
        assertThat(got.lifecyclePolicyText()).isEqualTo(KEEP_LAST_TWO);
        assertThat(got.registryId()).isEqualTo(ACCOUNT);
        assertThat(got.repositoryName()).isEqualTo("app");
        assertThat(got.lastEvaluatedAt()).isEqualTo(clock.instant());

        ecr.putLifecyclePolicy(r -> r.repositoryName("app").lifecyclePolicyText(UNTAGGED_AFTER_ONE_DAY));
        assertThat(ecr.getLifecyclePolicy(r -> r.repositoryName("app")).lifecyclePolicyText()).isEqualTo(UNTAGGED_AFTER_ONE_DAY);

        var deleted = ecr.deleteLifecyclePolicy(r -> r.repositoryName("app"));
        assertThat(deleted.lifecyclePolicyText()).isEqualTo(UNTAGGED_AFTER_ONE_DAY);
        assertThat(deleted.lastEvaluatedAt()).isEqualTo(clock.instant());
        assertEcrError(() -> ecr.getLifecyclePolicy(r -> r.repositoryName("app")), LifecyclePolicyNotFoundException.class, notFound);
    }

    @Test
    void lifecyclePolicyRefusals() {
        String duplicatePriority = "{\"rules\":[" + rule(1, "any") + "," + rule(1, "untagged") + "]}";
        String untaggedWithPrefixes = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"untagged\",\"tagPrefixList\":[\"v\"],"
                + "\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}";
        for (String bad : List.of(duplicatePriority, untaggedWithPrefixes, "{\"rules\":[]}" + " ".repeat(100), "not json at all " + "x".repeat(100),
                "{}")) {
            assertThat(ecrError(() -> ecr.putLifecyclePolicy(r -> r.repositoryName("app").lifecyclePolicyText(bad)),
                    InvalidParameterException.class)).as("policy %s", bad).containsIgnoringCase("lifecyclePolicyText");
            ecrError(() -> ecr.startLifecyclePolicyPreview(r -> r.repositoryName("app").lifecyclePolicyText(bad)),
                    InvalidParameterException.class);
        }
        assertEcrError(() -> ecr.getLifecyclePolicy(r -> r.repositoryName("app")), LifecyclePolicyNotFoundException.class,
                "Lifecycle policy does not exist for the repository with name 'app' in the registry with id '" + ACCOUNT + "'");
        assertEcrError(() -> ecr.putLifecyclePolicy(r -> r.repositoryName("nope").lifecyclePolicyText(KEEP_LAST_TWO)),
                RepositoryNotFoundException.class, "The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");
        ecrError(() -> ecr.getLifecyclePolicy(r -> r.repositoryName("nope")), RepositoryNotFoundException.class);
        ecrError(() -> ecr.deleteLifecyclePolicy(r -> r.repositoryName("nope")), RepositoryNotFoundException.class);
        ecrError(() -> ecr.startLifecyclePolicyPreview(r -> r.repositoryName("nope")), RepositoryNotFoundException.class);
        ecrError(() -> ecr.getLifecyclePolicyPreview(r -> r.repositoryName("nope")), RepositoryNotFoundException.class);
    }

    @Test
    void previewOfTheRepositorysOwnPolicyFilteredAndPaged() {
        assertThat(ecrError(() -> ecr.getLifecyclePolicyPreview(r -> r.repositoryName("app")), LifecyclePolicyPreviewNotFoundException.class))
                .contains("'app'");
        assertThat(ecrError(() -> ecr.startLifecyclePolicyPreview(r -> r.repositoryName("app")), LifecyclePolicyNotFoundException.class))
                .contains("'app'");

        List<Pushed> pushed = pushFive();
        Pushed untagged = EcrImages.push(ecr, "app", null, "untagged");
        clock.advance(Duration.ofMinutes(1));
        // Put a policy that expires nothing now (every image is younger than a day), then preview it a day later.
        ecr.putLifecyclePolicy(r -> r.repositoryName("app").lifecyclePolicyText("{\"rules\":[" + rule(1, "any", 1) + "]}"));
        assertThat(images()).hasSize(6);
        clock.advance(Duration.ofDays(2));
        ecr.startLifecyclePolicyPreview(r -> r.repositoryName("app"));

        GetLifecyclePolicyPreviewResponse all = ecr.getLifecyclePolicyPreview(r -> r.repositoryName("app"));
        assertThat(all.summary().expiringImageTotalCount()).isEqualTo(6);
        assertThat(all.previewResults()).hasSize(6);
        assertThat(ecr.getLifecyclePolicyPreview(r -> r.repositoryName("app").filter(f -> f.tagStatus(TagStatus.UNTAGGED))).previewResults())
                .singleElement().satisfies(p -> {
                    assertThat(p.imageDigest()).isEqualTo(untagged.digest());
                    assertThat(p.hasImageTags()).isFalse();
                });
        assertThat(ecr.getLifecyclePolicyPreview(r -> r.repositoryName("app").imageIds(
                ImageIdentifier.builder().imageTag("v2").build(), ImageIdentifier.builder().imageDigest(pushed.get(4).digest()).build()))
                .previewResults()).extracting(LifecyclePolicyPreviewResult::imageDigest)
                .containsExactlyInAnyOrder(pushed.get(1).digest(), pushed.get(4).digest());

        List<String> paged = new ArrayList<>();
        GetLifecyclePolicyPreviewResponse page = ecr.getLifecyclePolicyPreview(r -> r.repositoryName("app").maxResults(4));
        page.previewResults().forEach(p -> paged.add(p.imageDigest()));
        String token = page.nextToken();
        assertThat(token).isNotNull();
        page = ecr.getLifecyclePolicyPreview(r -> r.repositoryName("app").maxResults(4).nextToken(token));
        page.previewResults().forEach(p -> paged.add(p.imageDigest()));
        assertThat(page.nextToken()).isNull();
        assertThat(paged).hasSize(6).doesNotHaveDuplicates();
        assertThat(page.summary().expiringImageTotalCount()).isEqualTo(6);
        assertThat(ecrError(() -> ecr.getLifecyclePolicyPreview(r -> r.repositoryName("app").maxResults(101)),
                InvalidParameterException.class)).contains("maxResults");
        // A preview deletes nothing.
        assertThat(images()).hasSize(6);
    }

    private static String rule(int priority, String tagStatus) {
        return "{\"rulePriority\":" + priority + ",\"selection\":{\"tagStatus\":\"" + tagStatus + "\",\"countType\":\"imageCountMoreThan\","
                + "\"countNumber\":1},\"action\":{\"type\":\"expire\"}}";
    }

    private static String rule(int priority, String tagStatus, int days) {
        return "{\"rulePriority\":" + priority + ",\"description\":\"older than " + days + " days\",\"selection\":{\"tagStatus\":\""
                + tagStatus + "\",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":" + days
                + "},\"action\":{\"type\":\"expire\"}}";
    }

    /** Five images v1..v5, a minute apart, each with a config and a 64 KiB layer of its own. */
    private static List<Pushed> pushFive() {
        List<Pushed> pushed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pushed.add(EcrImages.push(ecr, "app", "v" + (i + 1), "image-" + i, 64 * 1024));
            clock.advance(Duration.ofMinutes(1));
        }
        return pushed;
    }

    private static List<String> images() {
        List<String> out = new ArrayList<>();
        ecr.describeImagesPaginator(r -> r.repositoryName("app")).imageDetails().forEach(d -> out.add(d.imageDigest()));
        return out;
    }

    private static long bytesStored() {
        return emu.emulator().registry().blobs().bytesStored();
    }
}
