package dev.ecsemu.api.ecs;

import static dev.ecsemu.api.testing.EcsAssertions.assertEcsError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ecsemu.api.testing.ModelOnlyIT;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.AttributeLimitExceededException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListAttributesRequest;
import software.amazon.awssdk.services.ecs.model.ListAttributesResponse;
import software.amazon.awssdk.services.ecs.model.PutAttributesResponse;
import software.amazon.awssdk.services.ecs.model.TargetNotFoundException;
import software.amazon.awssdk.services.ecs.model.TargetType;

/**
 * PutAttributes, ListAttributes and DeleteAttributes on container instances through the real SDK
 * client: custom attributes (at most 10 per instance), the built-in {@code ecs.*} ones every instance
 * has, and what DescribeContainerInstances shows of them.
 */
class AttributeOperationsIT extends ModelOnlyIT {
    private static final String PREFIX = "arn:aws:ecs:us-east-1:000000000000:";
    private static final String CLUSTER = "prod";
    private static final String LIMIT = "You can apply up to 10 custom attributes per resource.";
    private static final List<String> BUILT_IN = List.of("ecs.instance-type", "ecs.availability-zone", "ecs.os-type",
            "ecs.os-family", "ecs.cpu-architecture", "ecs.ami-id");

    @BeforeEach
    void givenAClusterToWorkIn() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
    }

    // ---- helpers ----

    private static String identity(String instanceId, String instanceType, String availabilityZone) {
        return "{\"instanceId\":\"" + instanceId + "\",\"instanceType\":\"" + instanceType + "\",\"availabilityZone\":\""
                + availabilityZone + "\",\"region\":\"us-east-1\",\"accountId\":\"000000000000\"}";
    }

    /** Registers an m5.large in us-east-1b with the given attributes (name, value, name, value, ...). */
    private static String register(String cluster, String... attributes) {
        List<Attribute> list = new ArrayList<>();
        for (int i = 0; i < attributes.length; i += 2) {
            list.add(Attribute.builder().name(attributes[i]).value(attributes[i + 1]).build());
        }
        return ecs.registerContainerInstance(b -> b.cluster(cluster)
                .instanceIdentityDocument(identity("i-0123456789abcdef0", "m5.large", "us-east-1b")).attributes(list))
                .containerInstance().containerInstanceArn();
    }

    private static String id(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    /** A custom attribute on an instance named by ARN (targetType is not needed then). */
    private static Attribute on(String target, String name, String value) {
        return Attribute.builder().name(name).value(value).targetId(target).build();
    }

    /** A custom attribute on an instance named by its short id, so with targetType. */
    private static Attribute onId(String target, String name, String value) {
        return Attribute.builder().name(name).value(value).targetType(TargetType.CONTAINER_INSTANCE).targetId(target).build();
    }

    private static PutAttributesResponse put(Attribute... attributes) {
        return ecs.putAttributes(b -> b.cluster(CLUSTER).attributes(attributes));
    }

    private static List<Attribute> list(Consumer<ListAttributesRequest.Builder> request) {
        ListAttributesResponse r = ecs.listAttributes(b -> {
            b.cluster(CLUSTER).targetType(TargetType.CONTAINER_INSTANCE);
            request.accept(b);
        });
        assertThat(r.nextToken()).as("one page").isNull();
        return r.attributes();
    }

    private static ContainerInstance describe(String arn) {
        var r = ecs.describeContainerInstances(b -> b.cluster(CLUSTER).containerInstances(arn));
        assertThat(r.failures()).isEmpty();
        return r.containerInstances().get(0);
    }

    /** The attributes DescribeContainerInstances shows, by name. */
    private static Map<String, String> attributes(String arn) {
        Map<String, String> out = new LinkedHashMap<>();
        describe(arn).attributes().forEach(a -> {
            assertThat(out).as("attribute %s shown once", a.name()).doesNotContainKey(a.name());
            out.put(a.name(), a.value());
        });
        return out;
    }

    private static Map<String, String> custom(String arn) {
        Map<String, String> out = new HashMap<>(attributes(arn));
        out.keySet().removeIf(n -> n.startsWith("ecs.") || n.startsWith("com.amazonaws.ecs."));
        return out;
    }

    private static Attribute listed(String target, String name, String value) {
        return Attribute.builder().name(name).value(value).targetType(TargetType.CONTAINER_INSTANCE).targetId(target).build();
    }

    // ---- PutAttributes, ListAttributes, DescribeContainerInstances ----

    @Test
    void putByArnAndByIdThenListAndDescribe() {
        String a = register(CLUSTER);
        String b = register(CLUSTER);

        PutAttributesResponse r = put(on(a, "stack", "production"), onId(id(a), "team", "core"), on(b, "stack", "staging"));
        assertThat(r.attributes()).containsExactly(on(a, "stack", "production"), onId(id(a), "team", "core"),
                on(b, "stack", "staging"));

        assertThat(custom(a)).containsExactlyInAnyOrderEntriesOf(Map.of("stack", "production", "team", "core"));
        assertThat(custom(b)).containsExactlyInAnyOrderEntriesOf(Map.of("stack", "staging"));

        assertThat(list(l -> l.attributeName("stack"))).as("targetId is always the ARN")
                .containsExactlyInAnyOrder(listed(a, "stack", "production"), listed(b, "stack", "staging"));
        assertThat(list(l -> l.attributeName("stack").attributeValue("production"))).containsExactly(listed(a, "stack", "production"));
        assertThat(list(l -> l.attributeName("team"))).containsExactly(listed(a, "team", "core"));
        assertThat(list(l -> l.attributeName("stack").attributeValue("nope"))).isEmpty();
        assertThat(list(l -> l.attributeName("nope"))).isEmpty();

        // Without a filter: every attribute of every instance, custom and built-in.
        List<Attribute> all = list(l -> { });
        assertThat(all).extracting(Attribute::targetId).containsOnly(a, b);
        assertThat(all).contains(listed(a, "stack", "production"), listed(a, "team", "core"), listed(b, "stack", "staging"),
                listed(a, "ecs.instance-type", "m5.large"), listed(b, "ecs.os-type", "linux"));
        assertThat(all).hasSize(attributes(a).size() + attributes(b).size());
    }

    @Test
    void putOverwritesAValueAndAnAttributeMayHaveNoValue() {
        String a = register(CLUSTER, "stack", "blue");

        put(on(a, "stack", "green"), on(a, "canary", null));

        Map<String, String> custom = custom(a);
        assertThat(custom).hasSize(2).containsEntry("stack", "green").containsEntry("canary", null);
        assertThat(list(l -> l.attributeName("canary"))).containsExactly(listed(a, "canary", null));
    }

    @Test
    void listAttributesNeedsATargetTypeAndANameForAValue() {
        register(CLUSTER, "stack", "blue");
        assertEcsError(() -> ecs.listAttributes(b -> b.cluster(CLUSTER).targetType(TargetType.CONTAINER_INSTANCE)
                .attributeValue("blue")), InvalidParameterException.class, "attributeValue can only be given with attributeName.");
        assertEcsError(() -> ecs.listAttributes(b -> b.cluster(CLUSTER).attributeName("stack")), InvalidParameterException.class,
                "1 validation error detected: Value null at 'targetType' failed to satisfy constraint: Member must not be null");
        assertEcsError(() -> ecs.listAttributes(b -> b.cluster("nope").targetType(TargetType.CONTAINER_INSTANCE)),
                ClusterNotFoundException.class, "Cluster not found.");
    }

    @Test
    void listAttributesPagesThroughEverythingOnce() {
        String a = register(CLUSTER, "stack", "blue", "team", "core", "zone-pin", "1b");
        String b = register(CLUSTER, "stack", "green");
        List<Attribute> all = list(l -> { });
        assertThat(all).hasSize(attributes(a).size() + attributes(b).size());

        List<Attribute> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListAttributesResponse page = ecs.listAttributes(r -> r.cluster(CLUSTER).targetType(TargetType.CONTAINER_INSTANCE)
                    .maxResults(3).nextToken(t));
            assertThat(page.attributes()).hasSizeBetween(1, 3);
            paged.addAll(page.attributes());
            token = page.nextToken();
            pages++;
            assertThat(pages).as("pages end").isLessThanOrEqualTo(all.size());
        } while (token != null);

        assertThat(paged).as("each attribute once").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
        assertThat(pages).isEqualTo((all.size() + 2) / 3);

        // Filtered lists page too.
        ListAttributesResponse first = ecs.listAttributes(r -> r.cluster(CLUSTER).targetType(TargetType.CONTAINER_INSTANCE)
                .attributeName("stack").maxResults(1));
        assertThat(first.attributes()).hasSize(1);
        assertThat(first.nextToken()).isNotNull();
        ListAttributesResponse second = ecs.listAttributes(r -> r.cluster(CLUSTER).targetType(TargetType.CONTAINER_INSTANCE)
                .attributeName("stack").maxResults(1).nextToken(first.nextToken()));
        assertThat(second.nextToken()).isNull();
        assertThat(List.of(first.attributes().get(0), second.attributes().get(0)))
                .containsExactlyInAnyOrder(listed(a, "stack", "blue"), listed(b, "stack", "green"));

        assertEcsError(() -> ecs.listAttributes(r -> r.cluster(CLUSTER).targetType(TargetType.CONTAINER_INSTANCE).maxResults(101)),
                InvalidParameterException.class, "maxResults must be between 1 and 100 (was 101).");
    }

    // ---- built-in attributes ----

    @Test
    void everyInstanceHasTheBuiltInAttributesAndListAttributesShowsThem() {
        String registered = ecs.registerContainerInstance(b -> b.cluster(CLUSTER)
                .instanceIdentityDocument(identity("i-1", "m6g.large", "us-east-1c"))).containerInstance().containerInstanceArn();
        List<String> started = emu.emulator().registerInstances(CLUSTER, 2, "c5.large");

        Map<String, String> graviton = attributes(registered);
        assertThat(graviton).containsKeys(BUILT_IN.toArray(String[]::new))
                .containsEntry("ecs.instance-type", "m6g.large")
                .containsEntry("ecs.availability-zone", "us-east-1c")
                .containsEntry("ecs.os-type", "linux")
                .containsEntry("ecs.os-family", "LINUX")
                .containsEntry("ecs.cpu-architecture", "arm64");
        assertThat(graviton.get("ecs.ami-id")).matches("ami-[0-9a-f]{17}");
        for (String arn : started) {
            assertThat(attributes(arn)).containsKeys(BUILT_IN.toArray(String[]::new))
                    .containsEntry("ecs.instance-type", "c5.large")
                    .containsEntry("ecs.os-type", "linux")
                    .containsEntry("ecs.os-family", "LINUX")
                    .containsEntry("ecs.cpu-architecture", "x86_64");
        }
        assertThat(custom(registered)).isEmpty();

        for (String name : BUILT_IN) {
            assertThat(list(l -> l.attributeName(name))).as(name).extracting(Attribute::targetId)
                    .containsExactlyInAnyOrder(registered, started.get(0), started.get(1));
        }
        assertThat(list(l -> l.attributeName("ecs.instance-type").attributeValue("c5.large")))
                .extracting(Attribute::targetId, Attribute::value)
                .containsExactlyInAnyOrder(tuple(started.get(0), "c5.large"), tuple(started.get(1), "c5.large"));
        assertThat(list(l -> l.attributeName("ecs.cpu-architecture").attributeValue("arm64")))
                .containsExactly(listed(registered, "ecs.cpu-architecture", "arm64"));
    }

    @Test
    void builtInAttributesCannotBeChangedOrDeleted() {
        String a = register(CLUSTER);
        Map<String, String> before = attributes(a);

        assertEcsError(() -> put(on(a, "ecs.instance-type", "x1.32xlarge")), InvalidParameterException.class,
                "Attribute ecs.instance-type is set by the container agent and cannot be changed.");
        assertEcsError(() -> put(on(a, "ecs.my-own", "x")), InvalidParameterException.class,
                "Attribute ecs.my-own is set by the container agent and cannot be changed.");
        assertEcsError(() -> put(on(a, "com.amazonaws.ecs.capability.docker-remote-api.1.99", null)),
                InvalidParameterException.class,
                "Attribute com.amazonaws.ecs.capability.docker-remote-api.1.99 is set by the container agent and cannot be changed.");
        // Nothing of a refused call is applied, not even its valid attributes.
        assertEcsError(() -> put(on(a, "stack", "blue"), on(a, "ecs.os-type", "windows")), InvalidParameterException.class,
                "Attribute ecs.os-type is set by the container agent and cannot be changed.");
        assertEcsError(() -> ecs.deleteAttributes(b -> b.cluster(CLUSTER).attributes(on(a, "ecs.os-type", null))),
                InvalidParameterException.class, "Attribute ecs.os-type is set by the container agent and cannot be deleted.");

        assertThat(attributes(a)).isEqualTo(before);
    }

    // ---- the limit of 10 ----

    @Test
    void tenCustomAttributesAtMost() {
        String a = register(CLUSTER);
        String b = register(CLUSTER);
        List<Attribute> ten = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ten.add(on(a, "custom" + i, "v" + i));
        }
        put(ten.toArray(Attribute[]::new));
        assertThat(custom(a)).hasSize(10);

        assertEcsError(() -> put(on(a, "custom11", "v")), AttributeLimitExceededException.class, LIMIT);
        // The built-in attributes do not count, and changing one of the ten adds nothing.
        put(on(a, "custom3", "changed"));
        assertThat(custom(a)).hasSize(10).containsEntry("custom3", "changed");

        // A call that would take another instance past the limit changes neither instance.
        assertEcsError(() -> put(on(b, "stack", "blue"), on(a, "custom11", "v")), AttributeLimitExceededException.class, LIMIT);
        assertThat(custom(b)).isEmpty();
        assertThat(custom(a)).hasSize(10).doesNotContainKey("custom11");

        // Deleting one makes room for another.
        ecs.deleteAttributes(r -> r.cluster(CLUSTER).attributes(on(a, "custom1", null)));
        put(on(a, "custom11", "v"));
        assertThat(custom(a)).hasSize(10).containsKey("custom11").doesNotContainKey("custom1");
    }

    @Test
    void aCallThatWouldExceedTheLimitAppliesNothing() {
        String a = register(CLUSTER);
        List<Attribute> eight = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            eight.add(on(a, "custom" + i, "v"));
        }
        put(eight.toArray(Attribute[]::new));
        long version = describe(a).version();

        assertEcsError(() -> put(on(a, "custom1", "changed"), on(a, "new1", "v"), on(a, "new2", "v"), on(a, "new3", "v")),
                AttributeLimitExceededException.class, LIMIT);

        Map<String, String> custom = custom(a);
        assertThat(custom).hasSize(8).containsEntry("custom1", "v").doesNotContainKeys("new1", "new2", "new3");
        assertThat(describe(a).version()).as("a refused call changes nothing").isEqualTo(version);

        // Two new ones fit.
        put(on(a, "new1", "v"), on(a, "new2", "v"));
        assertThat(custom(a)).hasSize(10);
    }

    @Test
    void attributesGivenAtRegistrationCountTowardTheLimit() {
        List<String> ten = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ten.add("custom" + i);
            ten.add("v" + i);
        }
        // The agent's own capability attributes do not count.
        List<String> withCapability = new ArrayList<>(ten);
        withCapability.add("com.amazonaws.ecs.capability.docker-remote-api.1.18");
        withCapability.add(null);
        String a = register(CLUSTER, withCapability.toArray(String[]::new));
        assertThat(custom(a)).hasSize(10);
        assertThat(attributes(a)).containsKey("com.amazonaws.ecs.capability.docker-remote-api.1.18");

        assertEcsError(() -> put(on(a, "custom11", "v")), AttributeLimitExceededException.class, LIMIT);

        List<String> eleven = new ArrayList<>(ten);
        eleven.addAll(List.of("custom11", "v11"));
        assertEcsError(() -> register(CLUSTER, eleven.toArray(String[]::new)), AttributeLimitExceededException.class, LIMIT);
        assertThat(ecs.listContainerInstances(b -> b.cluster(CLUSTER)).containerInstanceArns()).as("not registered")
                .containsExactly(a);

        assertEcsError(() -> register(CLUSTER, "bad name", "v"), InvalidParameterException.class,
                "Attribute name 'bad name' is invalid: 1 to 128 letters, numbers, hyphens, underscores, periods, slashes and"
                        + " back slashes.");
        assertThat(ecs.listContainerInstances(b -> b.cluster(CLUSTER)).containerInstanceArns()).containsExactly(a);
    }

    // ---- names and values ----

    @Test
    void invalidNamesAndValuesAreRefused() {
        String a = register(CLUSTER);
        Map<String, String> before = attributes(a);

        for (String name : List.of("", "has space", "a=b", "x".repeat(129), "colon:name", "at@name")) {
            assertEcsError(() -> put(on(a, name, "v")), InvalidParameterException.class, "Attribute name '" + name
                    + "' is invalid: 1 to 128 letters, numbers, hyphens, underscores, periods, slashes and back slashes.");
        }
        for (String value : List.of("", "v".repeat(129), " leading", "trailing ", "a=b", "x,y", "semi;colon", "tab\tbed")) {
            assertEcsError(() -> put(on(a, "stack", value)), InvalidParameterException.class, "The value of attribute stack must be"
                    + " 1 to 128 letters, numbers, hyphens, underscores, periods, at signs, slashes, back slashes, colons or spaces,"
                    + " not beginning or ending with a space.");
        }
        assertEcsError(() -> put(on(a, "ok", "v"), on(a, "not ok", "v")), InvalidParameterException.class,
                "Attribute name 'not ok' is invalid: 1 to 128 letters, numbers, hyphens, underscores, periods, slashes and"
                        + " back slashes.");
        assertThat(attributes(a)).as("nothing of a refused call applied").isEqualTo(before);

        // At the edges of what is allowed.
        String longName = "n".repeat(128);
        put(on(a, longName, "v".repeat(128)), on(a, "A-z_0.9/x\\y", "user@host:/path\\to a-b_c.d"), on(a, "1", "1"));
        assertThat(custom(a)).containsExactlyInAnyOrderEntriesOf(Map.of(longName, "v".repeat(128),
                "A-z_0.9/x\\y", "user@host:/path\\to a-b_c.d", "1", "1"));
    }

    // ---- targets ----

    @Test
    void unknownTargetsAreNotFound() {
        String a = register(CLUSTER);
        String missingArn = PREFIX + "container-instance/prod/" + "0".repeat(32);
        ecs.createCluster(b -> b.clusterName("other"));
        String elsewhere = register("other");

        assertEcsError(() -> put(on(missingArn, "stack", "blue")), TargetNotFoundException.class,
                "Could not find the target " + missingArn + " in cluster prod.");
        assertEcsError(() -> put(onId("0".repeat(32), "stack", "blue")), TargetNotFoundException.class,
                "Could not find the target " + "0".repeat(32) + " in cluster prod.");
        assertEcsError(() -> put(on(elsewhere, "stack", "blue")), TargetNotFoundException.class,
                "Could not find the target " + elsewhere + " in cluster prod.");
        // One unknown target refuses the whole call.
        assertEcsError(() -> put(on(a, "stack", "blue"), on(missingArn, "stack", "blue")), TargetNotFoundException.class,
                "Could not find the target " + missingArn + " in cluster prod.");
        assertThat(custom(a)).isEmpty();
        assertEcsError(() -> ecs.deleteAttributes(b -> b.cluster(CLUSTER).attributes(on(missingArn, "stack", null))),
                TargetNotFoundException.class, "Could not find the target " + missingArn + " in cluster prod.");

        // A deregistered instance is no target any more, and its attributes are not listed.
        put(on(a, "stack", "blue"));
        ecs.deregisterContainerInstance(b -> b.cluster(CLUSTER).containerInstance(a));
        assertEcsError(() -> put(on(a, "stack", "green")), TargetNotFoundException.class,
                "Could not find the target " + a + " in cluster prod.");
        assertThat(list(l -> l.attributeName("stack"))).isEmpty();
        assertThat(list(l -> { })).isEmpty();

        assertEcsError(() -> ecs.putAttributes(b -> b.cluster("nope").attributes(on(a, "stack", "blue"))),
                ClusterNotFoundException.class, "Cluster not found.");
        assertEcsError(() -> put(Attribute.builder().name("stack").value("blue").build()), InvalidParameterException.class,
                "Attribute stack needs a targetId: the container instance's ARN or id.");
        assertEcsError(() -> put(Attribute.builder().name("stack").value("blue").targetType("service").targetId(elsewhere).build()),
                InvalidParameterException.class, "1 validation error detected: Value 'service' at 'attributes[0].targetType' failed to"
                        + " satisfy constraint: Member must satisfy enum value set: [container-instance]");
    }

    // ---- DeleteAttributes ----

    @Test
    void deleteRemovesAttributes() {
        String a = register(CLUSTER, "stack", "blue", "team", "core");
        String b = register(CLUSTER, "stack", "green");

        var r = ecs.deleteAttributes(d -> d.cluster(CLUSTER).attributes(on(a, "stack", null), onId(id(b), "stack", null)));
        assertThat(r.attributes()).containsExactly(on(a, "stack", null), onId(id(b), "stack", null));

        assertThat(custom(a)).containsExactlyInAnyOrderEntriesOf(Map.of("team", "core"));
        assertThat(custom(b)).isEmpty();
        assertThat(list(l -> l.attributeName("stack"))).isEmpty();
        assertThat(list(l -> l.attributeName("team"))).containsExactly(listed(a, "team", "core"));
        assertThat(attributes(a)).containsKeys(BUILT_IN.toArray(String[]::new));

        // Deleting what is not there is no error.
        ecs.deleteAttributes(d -> d.cluster(CLUSTER).attributes(on(a, "never-set", null)));
        assertThat(custom(a)).containsExactlyInAnyOrderEntriesOf(Map.of("team", "core"));
    }

    // ---- version ----

    @Test
    void theInstanceVersionIncreasesWithEveryAttributeChange() {
        String a = register(CLUSTER);
        long registered = describe(a).version();

        put(on(a, "stack", "blue"));
        long afterPut = describe(a).version();
        assertThat(afterPut).isGreaterThan(registered);

        put(on(a, "stack", "green"));
        long afterChange = describe(a).version();
        assertThat(afterChange).isGreaterThan(afterPut);

        ecs.deleteAttributes(d -> d.cluster(CLUSTER).attributes(on(a, "stack", null)));
        long afterDelete = describe(a).version();
        assertThat(afterDelete).isGreaterThan(afterChange);

        // Reading changes nothing.
        list(l -> { });
        assertThat(describe(a).version()).isEqualTo(afterDelete);
        assertThat(new HashSet<>(List.of(registered, afterPut, afterChange, afterDelete))).hasSize(4);
    }
}
