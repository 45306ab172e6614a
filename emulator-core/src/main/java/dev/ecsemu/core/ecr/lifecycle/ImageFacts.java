package dev.ecsemu.core.ecr.lifecycle;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a lifecycle policy looks at in an image: its digest, its tags (none for an untagged image) and
 * when it was pushed.
 */
public record ImageFacts(String imageDigest, Set<String> imageTags, Instant imagePushedAt) {
    public ImageFacts {
        Objects.requireNonNull(imageDigest, "imageDigest");
        imageTags = Set.copyOf(imageTags);
        Objects.requireNonNull(imagePushedAt, "imagePushedAt");
    }

    boolean tagged() {
        return !imageTags.isEmpty();
    }
}
