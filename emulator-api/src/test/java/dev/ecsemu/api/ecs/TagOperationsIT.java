package dev.ecsemu.api.ecs;

import static dev.ecsemu.api.testing.EcsAssertions.assertEcsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.ModelOnlyIT;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

class TagOperationsIT extends ModelOnlyIT {
    private static final String CLUSTER_ARN = "arn:aws:ecs:us-east-1:000000000000:cluster/tagged";
    private static final String TD_ARN = "arn:aws:ecs:us-east-1:000000000000:task-definition/tagged:1";

    @BeforeEach
    void givenAClusterAndATaskDefinition() {
        ecs.createCluster(b -> b.clusterName("tagged"));
        ecs.registerTaskDefinition(b -> b.family("tagged")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("nginx").memory(64).build()));
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static List<Tag> tagsOf(String arn) {
        return ecs.listTagsForResource(b -> b.resourceArn(arn)).tags();
    }

    private static List<Tag> numbered(int from, int count) {
        List<Tag> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(tag("k" + i, "v" + i));
        }
        return out;
    }

    @Test
    void tagListAndUntagACluster() {
        assertThat(tagsOf(CLUSTER_ARN)).isEmpty();

        ecs.tagResource(b -> b.resourceArn(CLUSTER_ARN).tags(tag("team", "a"), tag("env", "dev")));
        assertThat(tagsOf(CLUSTER_ARN)).containsExactly(tag("team", "a"), tag("env", "dev"));

        // Tagging again overwrites values of existing keys and adds new keys.
        ecs.tagResource(b -> b.resourceArn(CLUSTER_ARN).tags(tag("env", "prod"), tag("cost", "")));
        assertThat(tagsOf(CLUSTER_ARN)).containsExactly(tag("team", "a"), tag("env", "prod"), tag("cost", ""));
        assertThat(ecs.describeClusters(b -> b.clusters("tagged").include(ClusterField.TAGS)).clusters().get(0).tags())
                .containsExactly(tag("team", "a"), tag("env", "prod"), tag("cost", ""));

        ecs.untagResource(b -> b.resourceArn(CLUSTER_ARN).tagKeys("team", "not-there"));
        assertThat(tagsOf(CLUSTER_ARN)).containsExactly(tag("env", "prod"), tag("cost", ""));
        ecs.untagResource(b -> b.resourceArn(CLUSTER_ARN).tagKeys("env", "cost"));
        assertThat(tagsOf(CLUSTER_ARN)).isEmpty();
    }

    @Test
    void tagListAndUntagATaskDefinitionActiveOrInactive() {
        ecs.tagResource(b -> b.resourceArn(TD_ARN).tags(tag("app", "web")));
        assertThat(tagsOf(TD_ARN)).containsExactly(tag("app", "web"));
        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("tagged:1").include(TaskDefinitionField.TAGS)).tags())
                .containsExactly(tag("app", "web"));

        ecs.deregisterTaskDefinition(b -> b.taskDefinition(TD_ARN));
        ecs.tagResource(b -> b.resourceArn(TD_ARN).tags(tag("retired", "yes")));
        assertThat(tagsOf(TD_ARN)).containsExactly(tag("app", "web"), tag("retired", "yes"));
        ecs.untagResource(b -> b.resourceArn(TD_ARN).tagKeys("app"));
        assertThat(tagsOf(TD_ARN)).containsExactly(tag("retired", "yes"));
    }

    @Test
    void tagsBelongToOneResourceOnly() {
        ecs.createCluster(b -> b.clusterName("other"));
        ecs.tagResource(b -> b.resourceArn(CLUSTER_ARN).tags(tag("only", "here")));
        assertThat(tagsOf("arn:aws:ecs:us-east-1:000000000000:cluster/other")).isEmpty();
        assertThat(tagsOf(TD_ARN)).isEmpty();
    }

    @Test
    void malformedOrForeignArnsAreRefused() {
        for (String bad : List.of("not-an-arn", "arn:aws:ecs", "arn:aws:s3:::bucket", "tagged")) {
            assertEcsError(() -> ecs.tagResource(b -> b.resourceArn(bad).tags(tag("a", "b"))), InvalidParameterException.class,
                    "The ARN provided is invalid.");
            assertEcsError(() -> ecs.listTagsForResource(b -> b.resourceArn(bad)), InvalidParameterException.class,
                    "The ARN provided is invalid.");
            assertEcsError(() -> ecs.untagResource(b -> b.resourceArn(bad).tagKeys("a")), InvalidParameterException.class,
                    "The ARN provided is invalid.");
        }
        String otherAccount = "arn:aws:ecs:us-east-1:111111111111:cluster/tagged";
        assertEcsError(() -> ecs.listTagsForResource(b -> b.resourceArn(otherAccount)), ResourceNotFoundException.class,
                "The specified resource could not be found: " + otherAccount + " belongs to account 111111111111 in us-east-1.");
        String widget = "arn:aws:ecs:us-east-1:000000000000:widget/w1";
        assertEcsError(() -> ecs.tagResource(b -> b.resourceArn(widget).tags(tag("a", "b"))), ResourceNotFoundException.class,
                "The specified resource could not be found: " + widget);
    }

    @Test
    void unknownClustersAndTaskDefinitionsAreRefused() {
        String unknownCluster = "arn:aws:ecs:us-east-1:000000000000:cluster/ghost";
        assertEcsError(() -> ecs.tagResource(b -> b.resourceArn(unknownCluster).tags(tag("a", "b"))),
                ClusterNotFoundException.class, "Cluster not found.");
        assertEcsError(() -> ecs.untagResource(b -> b.resourceArn(unknownCluster).tagKeys("a")),
                ClusterNotFoundException.class, "Cluster not found.");
        assertEcsError(() -> ecs.listTagsForResource(b -> b.resourceArn(unknownCluster)),
                ClusterNotFoundException.class, "Cluster not found.");

        ecs.deleteCluster(b -> b.cluster("tagged"));
        assertEcsError(() -> ecs.tagResource(b -> b.resourceArn(CLUSTER_ARN).tags(tag("a", "b"))),
                ClusterNotFoundException.class, "Cluster not found.");

        for (String td : List.of("arn:aws:ecs:us-east-1:000000000000:task-definition/tagged:2",
                "arn:aws:ecs:us-east-1:000000000000:task-definition/nope:1",
                "arn:aws:ecs:us-east-1:000000000000:task-definition/tagged")) {
            assertEcsError(() -> ecs.tagResource(b -> b.resourceArn(td).tags(tag("a", "b"))), ClientException.class,
                    "Unable to describe task definition.");
            assertEcsError(() -> ecs.listTagsForResource(b -> b.resourceArn(td)), ClientException.class,
                    "Unable to describe task definition.");
        }
    }

    @Test
    void invalidTagsAreRefusedAndChangeNothing() {
        ecs.tagResource(b -> b.resourceArn(CLUSTER_ARN).tags(tag("keep", "1")));

        assertEcsError(() -> ecs.tagResource(b -> b.resourceArn(CLUSTER_ARN).tags(tag("ok", "1"), tag("aws:owner", "x"))),
                InvalidParameterException.class, "Tag keys may not begin with 'aws:', which is reserved for AWS use: aws:owner");
        assertEcsError(() -> ecs.tagResource(b -> b.resourceArn(CLUSTER_ARN).tags(tag("AWS:Owner", "x"))),
                InvalidParameterException.class, "Tag keys may not begin with 'aws:', which is reserved for AWS use: AWS:Owner");
        assertEcsError(() -> ecs.tagResource(b -> b.resourceArn(CLUSTER_ARN).tags(tag("", "x"))),
                InvalidParameterException.class, "Tag keys must be 1 to 128 characters long.");
        assertEcsError(() -> ecs.tagResource(b -> b.resourceArn(CLUSTER_ARN).tags(tag("k".repeat(129), "x"))),
                InvalidParameterException.class, "Tag keys must be 1 to 128 characters long.");
        assertEcsError(() -> ecs.tagResource(b -> b.resourceArn(CLUSTER_ARN).tags(tag("long", "v".repeat(257)))),
                InvalidParameterException.class, "Tag values may be at most 256 characters long (key long).");
        assertEcsError(() -> ecs.tagResource(b -> b.resourceArn(CLUSTER_ARN).tags(numbered(0, 51))),
                InvalidParameterException.class, "A resource can have at most 50 tags; 51 were given.");

        assertThat(tagsOf(CLUSTER_ARN)).containsExactly(tag("keep", "1"));

        // Limits are inclusive.
        ecs.tagResource(b -> b.resourceArn(CLUSTER_ARN).tags(tag("k".repeat(128), "v".repeat(256)), tag("awsome", "ok")));
        assertThat(tagsOf(CLUSTER_ARN)).hasSize(3);
    }

    @Test
    void aResourceHoldsAtMostFiftyTagsInTotal() {
        ecs.tagResource(b -> b.resourceArn(TD_ARN).tags(numbered(0, 30)));
        assertEcsError(() -> ecs.tagResource(b -> b.resourceArn(TD_ARN).tags(numbered(30, 21))),
                InvalidParameterException.class, "A resource can have at most 50 tags; this would give it 51.");
        assertThat(tagsOf(TD_ARN)).containsExactlyElementsOf(numbered(0, 30));

        ecs.tagResource(b -> b.resourceArn(TD_ARN).tags(numbered(30, 20)));
        assertThat(tagsOf(TD_ARN)).hasSize(50);
        // Overwriting existing keys does not add to the count.
        ecs.tagResource(b -> b.resourceArn(TD_ARN).tags(tag("k0", "new")));
        assertThat(tagsOf(TD_ARN)).hasSize(50).contains(tag("k0", "new"));
    }
}
