package dev.ecsemu.core.tag;

import static dev.ecsemu.core.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ecs.model.Tag;

class TagsTest {
    private static final String CLUSTER = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod";
    private static final String OTHER = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1";

    private Tags tags;

    @BeforeEach
    void setUp() {
        tags = new Tags();
    }

    static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    static List<Tag> numbered(String prefix, int count) {
        List<Tag> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(tag(prefix + i, "v" + i));
        }
        return out;
    }

    @Test
    void untaggedResourceHasNoTags() {
        assertThat(tags.of(CLUSTER)).isEmpty();
    }

    @Test
    void tagsAreKeptPerResourceInTheOrderGiven() {
        tags.tag(CLUSTER, List.of(tag("team", "core"), tag("env", "prod")));
        tags.tag(OTHER, List.of(tag("team", "web")));

        assertThat(tags.of(CLUSTER)).containsExactly(tag("team", "core"), tag("env", "prod"));
        assertThat(tags.of(OTHER)).containsExactly(tag("team", "web"));
    }

    @Test
    void taggingMergesAndOverwritesByKey() {
        tags.tag(CLUSTER, List.of(tag("team", "core"), tag("env", "prod")));
        tags.tag(CLUSTER, List.of(tag("env", "staging"), tag("owner", "ops")));

        assertThat(tags.of(CLUSTER)).containsExactly(tag("team", "core"), tag("env", "staging"), tag("owner", "ops"));
    }

    @Test
    void nullValueIsStoredAsEmpty() {
        tags.tag(CLUSTER, List.of(tag("flag", null)));
        assertThat(tags.of(CLUSTER)).containsExactly(tag("flag", ""));
    }

    @Test
    void emptyOrAbsentTagListChangesNothing() {
        tags.tag(CLUSTER, List.of());
        tags.tag(CLUSTER, null);
        assertThat(tags.of(CLUSTER)).isEmpty();
    }

    @Test
    void keysAreCaseSensitive() {
        tags.tag(CLUSTER, List.of(tag("Env", "a"), tag("env", "b")));
        assertThat(tags.of(CLUSTER)).containsExactly(tag("Env", "a"), tag("env", "b"));
    }

    @Test
    void atMostFiftyTagsPerCall() {
        assertThatCode(() -> Tags.validate(numbered("k", 50))).doesNotThrowAnyException();
        assertRefused(() -> tags.tag(CLUSTER, numbered("k", 51)), "InvalidParameterException",
                "A resource can have at most 50 tags; 51 were given.");
        assertThat(tags.of(CLUSTER)).isEmpty();
    }

    @Test
    void atMostFiftyTagsPerResourceAfterMerging() {
        tags.tag(CLUSTER, numbered("a", 30));
        assertRefused(() -> tags.tag(CLUSTER, numbered("b", 21)), "InvalidParameterException",
                "A resource can have at most 50 tags; this would give it 51.");
        assertThat(tags.of(CLUSTER)).as("a refused call changes nothing").hasSize(30);

        tags.tag(CLUSTER, numbered("b", 20));
        assertThat(tags.of(CLUSTER)).hasSize(50);
        tags.tag(CLUSTER, List.of(tag("a0", "new")));
        assertThat(tags.of(CLUSTER)).hasSize(50).contains(tag("a0", "new"));
    }

    @Test
    void keyLength() {
        String message = "Tag keys must be 1 to 128 characters long.";
        tags.tag(CLUSTER, List.of(tag("k".repeat(128), "v")));
        assertRefused(() -> tags.tag(CLUSTER, List.of(tag("k".repeat(129), "v"))), "InvalidParameterException", message);
        assertRefused(() -> tags.tag(CLUSTER, List.of(tag("", "v"))), "InvalidParameterException", message);
        assertRefused(() -> tags.tag(CLUSTER, List.of(tag(null, "v"))), "InvalidParameterException", message);
        assertThat(tags.of(CLUSTER)).hasSize(1);
    }

    @Test
    void valueLength() {
        tags.tag(CLUSTER, List.of(tag("k", "v".repeat(256)), tag("e", "")));
        assertRefused(() -> tags.tag(CLUSTER, List.of(tag("k", "v".repeat(257)))), "InvalidParameterException",
                "Tag values may be at most 256 characters long (key k).");
        assertThat(tags.of(CLUSTER)).contains(tag("k", "v".repeat(256)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws:cloudformation:stack-name", "AWS:x", "Aws:", "aws:"})
    void awsPrefixIsReserved(String key) {
        assertRefused(() -> tags.tag(CLUSTER, List.of(tag("ok", "1"), tag(key, "v"))), "InvalidParameterException",
                "Tag keys may not begin with 'aws:', which is reserved for AWS use: " + key);
        assertThat(tags.of(CLUSTER)).as("nothing of a refused call is applied").isEmpty();
    }

    @Test
    void awsWithoutColonIsAllowed() {
        tags.tag(CLUSTER, List.of(tag("aws", "1"), tag("awsome", "2"), tag("my:aws:key", "3")));
        assertThat(tags.of(CLUSTER)).hasSize(3);
    }

    @Test
    void untagRemovesKeysAndIgnoresUnknownOnes() {
        tags.tag(CLUSTER, List.of(tag("a", "1"), tag("b", "2"), tag("c", "3")));
        tags.untag(CLUSTER, List.of("b", "zzz"));
        assertThat(tags.of(CLUSTER)).containsExactly(tag("a", "1"), tag("c", "3"));

        tags.untag(CLUSTER, List.of("a", "c"));
        assertThat(tags.of(CLUSTER)).isEmpty();
        tags.untag(CLUSTER, List.of("a"));
        tags.untag(OTHER, List.of("a"));
        assertThat(tags.of(OTHER)).isEmpty();

        tags.tag(CLUSTER, List.of(tag("d", "4")));
        assertThat(tags.of(CLUSTER)).containsExactly(tag("d", "4"));
    }

    @Test
    void forgetDropsEveryTagOfOneResource() {
        tags.tag(CLUSTER, List.of(tag("a", "1")));
        tags.tag(OTHER, List.of(tag("b", "2")));
        tags.forget(CLUSTER);
        assertThat(tags.of(CLUSTER)).isEmpty();
        assertThat(tags.of(OTHER)).containsExactly(tag("b", "2"));
        tags.forget("arn:aws:ecs:eu-west-1:123456789012:cluster/never");
    }

    @Test
    void answeredListsAreCopies() {
        tags.tag(CLUSTER, List.of(tag("a", "1")));
        List<Tag> answered = tags.of(CLUSTER);
        answered.clear();
        assertThat(tags.of(CLUSTER)).containsExactly(tag("a", "1"));
    }
}
