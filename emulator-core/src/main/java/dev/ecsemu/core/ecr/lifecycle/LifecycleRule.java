package dev.ecsemu.core.ecr.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One validated rule of a lifecycle policy: which images it selects and which of those it would
 * expire on its own. How rules combine is {@link LifecyclePolicy#evaluate}'s business.
 *
 * @param description null when the rule has none
 * @param tagPrefixList empty unless {@code tagStatus} is {@link TagStatus#TAGGED}
 * @param tagPatternList empty unless {@code tagStatus} is {@link TagStatus#TAGGED}; {@code *} is a wildcard
 */
public record LifecycleRule(
        int rulePriority,
        String description,
        TagStatus tagStatus,
        List<String> tagPrefixList,
        List<String> tagPatternList,
        CountType countType,
        int countNumber) {

    public enum TagStatus {
        TAGGED("tagged"), UNTAGGED("untagged"), ANY("any");

        private final String value;

        TagStatus(String value) {
            this.value = value;
        }

        /** The word used in the policy text. */
        public String value() {
            return value;
        }
    }

    public enum CountType {
        IMAGE_COUNT_MORE_THAN("imageCountMoreThan"), SINCE_IMAGE_PUSHED("sinceImagePushed");

        private final String value;

        CountType(String value) {
            this.value = value;
        }

        /** The word used in the policy text. */
        public String value() {
            return value;
        }
    }

    /** Newest first; equal push times in digest order, so that every evaluation picks the same images. */
    static final Comparator<ImageFacts> NEWEST_FIRST = Comparator.comparing(ImageFacts::imagePushedAt)
            .reversed()
            .thenComparing(ImageFacts::imageDigest);

    public LifecycleRule {
        Objects.requireNonNull(tagStatus, "tagStatus");
        Objects.requireNonNull(countType, "countType");
        tagPrefixList = List.copyOf(tagPrefixList);
        tagPatternList = List.copyOf(tagPatternList);
    }

    /**
     * Whether the rule selects the image. A list of several prefixes or patterns selects only images
     * that have all of them: each entry must match at least one of the image's tags.
     */
    boolean selects(ImageFacts image) {
        return switch (tagStatus) {
            case ANY -> true;
            case UNTAGGED -> !image.tagged();
            case TAGGED -> image.tagged()
                    && tagPrefixList.stream().allMatch(p -> image.imageTags().stream().anyMatch(t -> t.startsWith(p)))
                    && tagPatternList.stream().allMatch(p -> image.imageTags().stream().anyMatch(t -> wildcardMatches(p, t)));
        };
    }

    /**
     * The images, among those the rule selects, that it would expire if it were the only rule:
     * beyond the newest {@code countNumber}, or pushed more than {@code countNumber} days before now.
     */
    List<ImageFacts> expires(List<ImageFacts> selected, Instant now) {
        return switch (countType) {
            case IMAGE_COUNT_MORE_THAN -> selected.stream().sorted(NEWEST_FIRST).skip(countNumber).toList();
            case SINCE_IMAGE_PUSHED -> {
                Instant cutoff = now.minus(Duration.ofDays(countNumber));
                yield selected.stream().filter(i -> i.imagePushedAt().isBefore(cutoff)).toList();
            }
        };
    }

    /** Whole-tag match where each {@code *} stands for any run of characters, the empty one included. */
    public static boolean wildcardMatches(String pattern, String tag) {
        String[] parts = pattern.split("\\*", -1);
        if (parts.length == 1) {
            return pattern.equals(tag);
        }
        String first = parts[0];
        String last = parts[parts.length - 1];
        int end = tag.length() - last.length();
        if (end < first.length() || !tag.startsWith(first) || !tag.endsWith(last)) {
            return false;
        }
        // Leftmost placement of each middle part leaves the most room for the rest: no backtracking needed.
        int from = first.length();
        for (int i = 1; i < parts.length - 1; i++) {
            int at = tag.indexOf(parts[i], from);
            if (at < 0 || at + parts[i].length() > end) {
                return false;
            }
            from = at + parts[i].length();
        }
        return true;
    }
}
