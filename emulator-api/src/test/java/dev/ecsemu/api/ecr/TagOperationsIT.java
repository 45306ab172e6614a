package dev.ecsemu.api.ecr;

import static dev.ecsemu.api.testing.EcrAssertions.assertEcrError;
import static dev.ecsemu.api.testing.EcrAssertions.ecrError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.InvalidTagParameterException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.Tag;
import software.amazon.awssdk.services.ecr.model.TooManyTagsException;

/** TagResource, UntagResource, ListTagsForResource on repositories through the SDK. */
class TagOperationsIT extends EcrIT {

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    @Test
    void tagsOfARepository() {
        String arn = ecr.createRepository(r -> r.repositoryName("app").tags(tag("team", "a"))).repository().repositoryArn();
        ecr.tagResource(r -> r.resourceArn(arn).tags(tag("env", "dev"), tag("team", "b")));
        assertThat(ecr.listTagsForResource(r -> r.resourceArn(arn)).tags()).containsExactly(tag("team", "b"), tag("env", "dev"));

        ecr.untagResource(r -> r.resourceArn(arn).tagKeys("team", "not-there"));
        assertThat(ecr.listTagsForResource(r -> r.resourceArn(arn)).tags()).containsExactly(tag("env", "dev"));
    }

    @Test
    void tagRefusals() {
        String arn = ecr.createRepository(r -> r.repositoryName("app")).repository().repositoryArn();
        List<Tag> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add(tag("k" + i, "v"));
        }
        ecr.tagResource(r -> r.resourceArn(arn).tags(fifty));
        assertThat(ecrError(() -> ecr.tagResource(r -> r.resourceArn(arn).tags(tag("one-more", "v"))), TooManyTagsException.class))
                .contains("51");
        assertThat(ecrError(() -> ecr.tagResource(r -> r.resourceArn(arn).tags(tag("aws:owner", "me"))), InvalidTagParameterException.class))
                .contains("aws:");
        ecrError(() -> ecr.tagResource(r -> r.resourceArn(arn).tags(tag("k".repeat(129), "v"))), InvalidTagParameterException.class);
        ecrError(() -> ecr.tagResource(r -> r.resourceArn(arn).tags(tag("k", "v".repeat(257)))), InvalidTagParameterException.class);
        assertThat(ecr.listTagsForResource(r -> r.resourceArn(arn)).tags()).hasSize(50);

        for (String bad : List.of("app", "arn:aws:ecs:us-east-1:" + ACCOUNT + ":cluster/app", "arn:aws:ecr:us-east-1:" + ACCOUNT + ":app")) {
            assertThat(ecrError(() -> ecr.listTagsForResource(r -> r.resourceArn(bad)), InvalidParameterException.class))
                    .as("ARN %s", bad).contains("Invalid ARN");
        }
        assertEcrError(() -> ecr.tagResource(r -> r.resourceArn(arn.replace("app", "nope")).tags(tag("k", "v"))),
                RepositoryNotFoundException.class, "The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");
        // The ARN of a same-named repository of another region or account is not this one.
        ecrError(() -> ecr.listTagsForResource(r -> r.resourceArn(arn.replace("us-east-1", "eu-west-1"))), RepositoryNotFoundException.class);
        ecrError(() -> ecr.untagResource(r -> r.resourceArn(arn.replace(ACCOUNT, "123456789012")).tagKeys("k0")),
                RepositoryNotFoundException.class);
    }
}
