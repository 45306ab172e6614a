package dev.ecsemu.core.ecr.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A repository's lifecycle policy: the text as put (GetLifecyclePolicy answers it unchanged) and its
 * rules, ready to say which images are due to expire.
 */
public final class LifecyclePolicy {
    private static final Comparator<ImageFacts> OLDEST_FIRST = Comparator.comparing(ImageFacts::imagePushedAt)
            .thenComparing(ImageFacts::imageDigest);

    private final String text;
    private final List<LifecycleRule> rules;

    private LifecyclePolicy(String text, List<LifecycleRule> rules) {
        this.text = text;
        this.rules = rules.stream().sorted(Comparator.comparingInt(LifecycleRule::rulePriority)).toList();
    }

    /**
     * Reads and validates a policy text as PutLifecyclePolicy does.
     *
     * @throws LifecyclePolicyException (ECR's InvalidParameterException) for a text ECR would refuse
     */
    public static LifecyclePolicy parse(String text) {
        return new LifecyclePolicy(text, LifecyclePolicyParser.parse(text));
    }

    public String text() {
        return text;
    }

    /** The rules, lowest rulePriority (applied first) first. */
    public List<LifecycleRule> rules() {
        return rules;
    }

    /**
     * The images the policy expires now, in the order the rules apply (by appliedRulePriority, then
     * oldest first).
     *
     * <p>ECR's evaluation: every rule looks at all images; then, by priority, a rule expires what it
     * would expire alone, except images a higher-priority rule selected. Those still take their place in
     * the rule's newest-first count, so a lower rule never expires an image to make room that a higher
     * rule kept. An image is expired by at most one rule.
     */
    public List<Expiration> evaluate(List<ImageFacts> images, Instant now) {
        Set<String> selectedByHigherRule = new HashSet<>();
        List<Expiration> expirations = new ArrayList<>();
        for (LifecycleRule rule : rules) {
            List<ImageFacts> selected = images.stream().filter(rule::selects).toList();
            List<ImageFacts> expired = new ArrayList<>(rule.expires(selected, now));
            expired.sort(OLDEST_FIRST);
            for (ImageFacts image : expired) {
                if (!selectedByHigherRule.contains(image.imageDigest())) {
                    expirations.add(new Expiration(image, rule.rulePriority()));
                }
            }
            // Includes what this rule just expired, so no later rule expires an image twice.
            selected.forEach(image -> selectedByHigherRule.add(image.imageDigest()));
        }
        return List.copyOf(expirations);
    }

    @Override
    public String toString() {
        return "LifecyclePolicy" + rules;
    }
}
