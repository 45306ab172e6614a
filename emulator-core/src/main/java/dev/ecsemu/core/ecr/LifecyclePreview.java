package dev.ecsemu.core.ecr;

import java.time.Instant;
import java.util.List;

/**
 * A lifecycle policy preview (StartLifecyclePolicyPreview): the policy it tried and the images it
 * would expire, as the repository held them when it ran. GetLifecyclePolicyPreview answers it.
 */
public record LifecyclePreview(String policyText, Instant ranAt, List<Result> results) {
    public LifecyclePreview {
        results = List.copyOf(results);
    }

    /** One image the policy would expire, and the priority of the rule that would expire it. */
    public record Result(String imageDigest, List<String> imageTags, Instant imagePushedAt, int appliedRulePriority) {
        public Result {
            imageTags = List.copyOf(imageTags);
        }
    }
}
