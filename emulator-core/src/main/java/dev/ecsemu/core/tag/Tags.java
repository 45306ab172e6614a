package dev.ecsemu.core.tag;

import dev.ecsemu.core.error.EcsErrors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.Tag;

/** The tags of every ECS resource of one store, by resource ARN, validated as ECS validates them. */
public final class Tags {
    static final int MAX_TAGS = 50;
    private static final int MAX_KEY = 128;
    private static final int MAX_VALUE = 256;

    private final Map<String, LinkedHashMap<String, String>> byArn = new HashMap<>();

    /** Checks tags before anything is changed, so a refused call changes nothing. */
    public static void validate(Collection<Tag> tags) {
        if (tags == null) {
            return;
        }
        if (tags.size() > MAX_TAGS) {
            throw EcsErrors.invalidParameter("A resource can have at most " + MAX_TAGS + " tags; " + tags.size() + " were given.");
        }
        for (Tag tag : tags) {
            String key = tag.key();
            if (key == null || key.isEmpty() || key.length() > MAX_KEY) {
                throw EcsErrors.invalidParameter("Tag keys must be 1 to " + MAX_KEY + " characters long.");
            }
            if (key.regionMatches(true, 0, "aws:", 0, 4)) {
                throw EcsErrors.invalidParameter("Tag keys may not begin with 'aws:', which is reserved for AWS use: " + key);
            }
            String value = tag.value() == null ? "" : tag.value();
            if (value.length() > MAX_VALUE) {
                throw EcsErrors.invalidParameter("Tag values may be at most " + MAX_VALUE + " characters long (key " + key + ").");
            }
        }
    }

    public void tag(String arn, Collection<Tag> tags) {
        validate(tags);
        if (tags == null || tags.isEmpty()) {
            return;
        }
        LinkedHashMap<String, String> merged = new LinkedHashMap<>(byArn.getOrDefault(arn, new LinkedHashMap<>()));
        for (Tag tag : tags) {
            merged.put(tag.key(), tag.value() == null ? "" : tag.value());
        }
        if (merged.size() > MAX_TAGS) {
            throw EcsErrors.invalidParameter("A resource can have at most " + MAX_TAGS + " tags; this would give it " + merged.size() + ".");
        }
        byArn.put(arn, merged);
    }

    /** Adds a tag ECS manages itself ({@code aws:ecs:...}), which users may not set. */
    public void tagManaged(String arn, String key, String value) {
        byArn.computeIfAbsent(arn, a -> new LinkedHashMap<>()).put(key, value);
    }

    public void untag(String arn, Collection<String> keys) {
        LinkedHashMap<String, String> current = byArn.get(arn);
        if (current != null) {
            keys.forEach(current::remove);
            if (current.isEmpty()) {
                byArn.remove(arn);
            }
        }
    }

    public List<Tag> of(String arn) {
        Map<String, String> tags = byArn.get(arn);
        List<Tag> out = new ArrayList<>(tags == null ? 0 : tags.size());
        if (tags != null) {
            tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        }
        return out;
    }

    public void forget(String arn) {
        byArn.remove(arn);
    }
}
