package dev.ecsemu.core.ecr.lifecycle;

/**
 * An image a lifecycle policy expires, and the priority of the rule that expires it (ECR's
 * {@code appliedRulePriority} in a lifecycle policy preview result).
 */
public record Expiration(ImageFacts image, int appliedRulePriority) {
}
