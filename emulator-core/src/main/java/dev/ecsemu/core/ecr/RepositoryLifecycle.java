package dev.ecsemu.core.ecr;

import dev.ecsemu.core.ecr.lifecycle.Expiration;
import dev.ecsemu.core.ecr.lifecycle.ImageFacts;
import dev.ecsemu.core.ecr.lifecycle.LifecyclePolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A lifecycle policy applied to a repository's images: previewed (what it would expire) or enforced
 * (the images it expires are deleted). Call under the store's write lock.
 */
public final class RepositoryLifecycle {
    private RepositoryLifecycle() {
    }

    /** What the policy would expire now, by rule priority and oldest first. */
    public static List<Expiration> evaluate(Repository repository, LifecyclePolicy policy, Instant now) {
        List<ImageFacts> facts = new ArrayList<>();
        for (Image image : repository.images()) {
            facts.add(new ImageFacts(image.digest(), Set.copyOf(repository.tagsOf(image.digest())), image.pushedAt()));
        }
        return policy.evaluate(facts, now);
    }

    /** A preview (StartLifecyclePolicyPreview) of the policy on the repository as it is now; it changes nothing but the stored preview. */
    public static LifecyclePreview preview(Repository repository, LifecyclePolicy policy, Instant now) {
        List<LifecyclePreview.Result> results = new ArrayList<>();
        for (Expiration e : evaluate(repository, policy, now)) {
            results.add(new LifecyclePreview.Result(e.image().imageDigest(), repository.tagsOf(e.image().imageDigest()),
                    e.image().imagePushedAt(), e.appliedRulePriority()));
        }
        LifecyclePreview preview = new LifecyclePreview(policy.text(), now, results);
        repository.lifecyclePreview(preview);
        return preview;
    }

    /**
     * Enforces the repository's lifecycle policy, if it has one: deletes the images it expires and
     * answers their digests. An image a manifest list of the repository still lists is kept, as
     * BatchDeleteImage keeps it; the blobs of deleted images are for the caller to collect.
     */
    public static List<String> enforce(Repository repository, Instant now) {
        if (repository.lifecyclePolicyText() == null) {
            return List.of();
        }
        List<Expiration> expirations = evaluate(repository, LifecyclePolicy.parse(repository.lifecyclePolicyText()), now);
        Set<String> expiring = new HashSet<>();
        expirations.forEach(e -> expiring.add(e.image().imageDigest()));
        List<String> deleted = new ArrayList<>();
        for (Expiration e : expirations) {
            String digest = e.image().imageDigest();
            if (!listedByKeptIndex(repository, digest, expiring)) {
                repository.delete(digest);
                deleted.add(digest);
            }
        }
        repository.lifecyclePolicyEvaluated(now);
        return deleted;
    }

    private static boolean listedByKeptIndex(Repository repository, String digest, Set<String> expiring) {
        return repository.indexesListing(digest).stream().anyMatch(index -> !expiring.contains(index));
    }
}
