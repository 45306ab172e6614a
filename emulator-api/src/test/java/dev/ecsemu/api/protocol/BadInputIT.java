package dev.ecsemu.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.ecsemu.api.ecr.EcrApi;
import dev.ecsemu.api.ecs.EcsApi;
import dev.ecsemu.api.testing.EcrImages;
import dev.ecsemu.api.testing.Json;
import dev.ecsemu.api.testing.RequestShapes;
import dev.ecsemu.api.testing.RequestShapes.Member;
import dev.ecsemu.api.testing.TestEmulator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingKnownType;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.SettingName;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * Bad input, sent raw, to every ECS and ECR operation the emulator implements (the list comes from the
 * emulator, the bodies from the SDK model of each request): a body that is not JSON, a member of the
 * wrong JSON type, a missing required member, a value outside an enum, and a body over the size
 * limit. Every refusal must be a well-formed AWS JSON error whose {@code X-Amzn-ErrorType} header
 * matches its {@code __type}, must change nothing, and must leave the server answering.
 */
class BadInputIT {
    private static final String ECS = EcsApi.TARGET_PREFIX + ".";
    private static final String ECR = EcrApi.TARGET_PREFIX + ".";
    private static final String BOGUS_ENUM = "bogus-enum-value";
    private static final int TEN_MIB = 10 * 1024 * 1024;
    /** How deep in a request the generated cases reach (1 = top-level members). */
    private static final int WRONG_TYPE_DEPTH = 3;
    private static final int ENUM_DEPTH = 5;
    private static final int NESTED_REQUIRED_DEPTH = 3;

    private static TestEmulator emu;
    private static EcsClient ecs;
    private static EcrClient ecr;
    private static HttpClient streamingHttp;

    @BeforeAll
    static void start() {
        emu = TestEmulator.modelOnly();
        ecs = emu.ecs();
        ecr = emu.ecr();
        streamingHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        seed();
    }

    @AfterAll
    static void stop() {
        if (ecs != null) {
            ecs.close();
        }
        if (ecr != null) {
            ecr.close();
        }
        if (emu != null) {
            emu.close();
        }
    }

    /** Something in every part of the state the snapshot looks at, so that any change would show. */
    @SuppressWarnings("unchecked") // the SDK's varargs of Consumer<Builder>
    private static void seed() {
        ecs.createCluster(r -> r.clusterName("alpha").tags(Tag.builder().key("team").value("a").build()));
        ecs.createCluster(r -> r.clusterName("beta").settings(s -> s.name(ClusterSettingName.CONTAINER_INSIGHTS).value("enabled")));
        ecs.createCluster(r -> r.clusterName("gone"));
        ecs.deleteCluster(r -> r.cluster("gone"));
        for (int i = 0; i < 2; i++) {
            ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("app").image("nginx").memory(128))
                    .tags(Tag.builder().key("tier").value("front").build()));
        }
        ecs.deregisterTaskDefinition(r -> r.taskDefinition("web:1"));
        ecs.registerTaskDefinition(r -> r.family("worker").containerDefinitions(c -> c.name("w").image("busybox").memory(64)));
        ecs.putAccountSetting(r -> r.name(SettingName.CONTAINER_INSIGHTS).value("enabled"));

        ecr.createRepository(r -> r.repositoryName("alpha").tags(software.amazon.awssdk.services.ecr.model.Tag.builder().key("team")
                .value("a").build()));
        ecr.createRepository(r -> r.repositoryName("beta/immutable").imageTagMutability(ImageTagMutability.IMMUTABLE));
        EcrImages.Pushed image = EcrImages.push(ecr, "alpha", "v1", "bad-input");
        ecr.putImage(r -> r.repositoryName("alpha").imageTag("latest").imageManifest(image.manifest()));
        EcrImages.push(ecr, "alpha", null, "untagged");
        ecr.setRepositoryPolicy(r -> r.repositoryName("alpha").policyText("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:BatchGetImage\"}]}"));
        ecr.putLifecyclePolicy(r -> r.repositoryName("alpha").lifecyclePolicyText("{\"rules\":[{\"rulePriority\":1,\"selection\":"
                + "{\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":5},\"action\":{\"type\":\"expire\"}}]}"));
    }

    /** Guards against the generated cases silently becoming vacuous (no members, enums or required members found). */
    @Test
    void theGenericDiscoveryFindsWhatTheModelHas() {
        assertThat(operations()).extracting(Op::label).as("implemented ECS operations").contains("CreateCluster", "RegisterTaskDefinition");
        for (Op op : operations()) {
            assertThat(RequestShapes.shapeOf(builderOf(op).get()).getSimpleName()).isEqualTo(op.name() + "Request");
        }
        Supplier<SdkPojo> register = builderOf(ecs("RegisterTaskDefinition"));
        assertThat(RequestShapes.required(RequestShapes.shapeOf(register.get()))).containsExactly("family", "containerDefinitions");
        List<String> enums = RequestShapes.members(register, ENUM_DEPTH).stream().filter(m -> m.enumValues() != null)
                .map(Member::path).toList();
        assertThat(enums).contains("networkMode", "requiresCompatibilities", "containerDefinitions[0].portMappings[0].protocol",
                "containerDefinitions[0].logConfiguration.logDriver", "volumes[0].efsVolumeConfiguration.transitEncryption");
        assertThat(RequestShapes.members(builderOf(ecs("CreateCluster")), 2)).extracting(Member::path)
                .contains("clusterName", "settings", "settings[0].name", "defaultCapacityProviderStrategy[0].weight");

        assertThat(operations()).extracting(Op::label).contains("ECR CreateRepository", "ECR PutImage", "ECR UploadLayerPart");
        assertThat(RequestShapes.required(RequestShapes.shapeOf(builderOf(ecr("PutImage")).get())))
                .containsExactly("repositoryName", "imageManifest");
        assertThat(RequestShapes.members(builderOf(ecr("CreateRepository")), 2).stream().filter(m -> m.enumValues() != null)
                .map(Member::path).toList()).contains("imageTagMutability", "encryptionConfiguration.encryptionType");
    }

    @TestFactory
    Stream<DynamicNode> badInputToEveryOperation() {
        return operations().stream().map(op -> dynamicContainer(op.label(), Stream.of(
                dynamicContainer("a) body is not JSON", notJson(op)),
                dynamicContainer("b) member of the wrong JSON type", wrongTypes(op)),
                dynamicContainer("c) required member missing", missingRequired(op)),
                dynamicContainer("d) value outside an enum", unknownEnumValues(op)),
                dynamicContainer("e) body of 10 MiB", tooLarge(op)))));
    }

    /** An operation of a service; ECS's are labelled by their name alone, the others' with the service's name first. */
    private record Op(JsonService service, String name) {
        String target() {
            return service.targetPrefix() + "." + name;
        }

        String label() {
            return service.name().equals("ECS") ? name : service.name() + " " + name;
        }

        @Override
        public String toString() {
            return label();
        }
    }

    private static List<Op> operations() {
        List<Op> out = new ArrayList<>();
        for (JsonService service : List.of(emu.emulator().ecs(), emu.emulator().ecr())) {
            service.operations().names().forEach(name -> out.add(new Op(service, name)));
        }
        return out;
    }

    private static Op ecs(String name) {
        return new Op(emu.emulator().ecs(), name);
    }

    private static Op ecr(String name) {
        return new Op(emu.emulator().ecr(), name);
    }

    private static Supplier<SdkPojo> builderOf(Op op) {
        return op.service().operations().get(op.name()).requestBuilder();
    }

    // a) -------------------------------------------------------------------------------------------

    private record NotJson(String name, byte[] body, String... expected) {
    }

    private static Stream<DynamicNode> notJson(Op op) {
        List<NotJson> bodies = List.of(
                new NotJson("plain text", bytes("this is not json"), "not valid JSON", "'this'"),
                new NotJson("truncated object", bytes("{\"maxResults\": "), "not valid JSON", "end-of-input"),
                new NotJson("an array", bytes("[]"), "Expected a JSON object for 'the request body' but found an array"),
                new NotJson("a string", bytes("\"hello\""), "Expected a JSON object for 'the request body' but found a string"),
                new NotJson("null", bytes("null"), "Expected a JSON object for 'the request body' but found null"),
                new NotJson("two objects", bytes("{} {}"), "Unexpected content after the JSON object"),
                new NotJson("an object and garbage", bytes("{} trailing"), "not valid JSON", "'trailing'"),
                new NotJson("invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, 0x28, '"', ':', '1', '}'}, "not valid JSON", "UTF-8"),
                new NotJson("invalid UTF-32", new byte[] {0, 0, 0, '{', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
                        "not valid JSON"),
                new NotJson("nesting 1000 deep", bytes("{\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}"),
                        "not valid JSON", "nesting depth"));
        return bodies.stream().map(b -> dynamicTest(op + ": " + b.name(),
                () -> expectRefusal(op, b.body(), 400, "SerializationException", b.expected())));
    }

    // b) -------------------------------------------------------------------------------------------

    private static Stream<DynamicNode> wrongTypes(Op op) {
        Supplier<SdkPojo> builder = builderOf(op);
        // A free-form document accepts any JSON value: it has no wrong type.
        List<Member> members = RequestShapes.members(builder, WRONG_TYPE_DEPTH).stream()
                .filter(m -> m.field().marshallingType().getKnownType() != software.amazon.awssdk.core.protocol.MarshallingKnownType.DOCUMENT)
                .toList();
        if (members.isEmpty()) {
            return Stream.of(notApplicable(op + " takes no members", op + "'s request has no member: case b does not apply"));
        }
        return members.stream().map(m -> dynamicTest(op + ": " + m.path() + ": " + RequestShapes.describeWrongType(m.field()),
                () -> expectRefusal(op, body(RequestShapes.bodyWith(builder, m, RequestShapes.wrongType(m.field()))), 400,
                        "SerializationException", "'" + m.path() + "'")));
    }

    // c) -------------------------------------------------------------------------------------------

    private static Stream<DynamicNode> missingRequired(Op op) {
        Supplier<SdkPojo> builder = builderOf(op);
        List<DynamicNode> tests = new ArrayList<>();
        List<String> required = RequestShapes.required(RequestShapes.shapeOf(builder.get()));
        if (required.isEmpty()) {
            tests.add(notApplicable(op + " has no required member",
                    op.name() + "Request has no required member in the model: the top-level case c does not apply"));
        }
        for (String member : required) {
            tests.add(dynamicTest(op + ": without " + member,
                    () -> expectRefusal(op, body(RequestShapes.minimalWithout(builder, member)), 400, "InvalidParameterException",
                            "'" + member + "'", "must not be null")));
        }
        // Required members of nested structures, e.g. defaultCapacityProviderStrategy[0].capacityProvider.
        for (Member m : RequestShapes.members(builder, NESTED_REQUIRED_DEPTH)) {
            Supplier<SdkPojo> nested = RequestShapes.nestedBuilder(m.field());
            if (nested == null) {
                continue;
            }
            boolean list = m.type() == MarshallingKnownType.LIST;
            for (String member : RequestShapes.required(RequestShapes.shapeOf(nested.get()))) {
                Map<String, Object> inner = RequestShapes.minimalWithout(nested, member);
                String path = m.path() + (list ? "[0]." : ".") + member;
                tests.add(dynamicTest(op + ": without " + path,
                        () -> expectRefusal(op, body(RequestShapes.bodyWith(builder, m, list ? List.of(inner) : inner)), 400,
                                "InvalidParameterException", "'" + path + "'", "must not be null")));
            }
        }
        return tests.stream();
    }

    // d) -------------------------------------------------------------------------------------------

    private static Stream<DynamicNode> unknownEnumValues(Op op) {
        Supplier<SdkPojo> builder = builderOf(op);
        List<DynamicNode> tests = new ArrayList<>();
        for (Member m : RequestShapes.members(builder, ENUM_DEPTH)) {
            Set<String> values = m.enumValues();
            if (values == null) {
                continue;
            }
            Object bogus = m.type() == MarshallingKnownType.LIST ? List.of(values.iterator().next(), BOGUS_ENUM)
                    : m.type() == MarshallingKnownType.MAP ? Map.of("key", BOGUS_ENUM) : BOGUS_ENUM;
            tests.add(dynamicTest(op + ": " + m.path() + " = " + Json.write(bogus),
                    () -> expectRefusal(op, body(RequestShapes.bodyWith(builder, m, bogus)), 400, "InvalidParameterException",
                            "'" + BOGUS_ENUM + "'", "'" + m.path() + "'", "enum")));
        }
        if (tests.isEmpty()) {
            tests.add(notApplicable(op + " has no enum member",
                    op.name() + "Request has no enum member at any depth: case d does not apply"));
        }
        return tests.stream();
    }

    // e) -------------------------------------------------------------------------------------------

    private static Stream<DynamicNode> tooLarge(Op op) {
        return Stream.of(
                dynamicTest(op + ": 10 MiB with Content-Length", () -> {
                    byte[] big = tenMiB(op);
                    expectRefusal(op, () -> emu.post(op.target(), big), 413, "SerializationException",
                            String.valueOf(big.length), "bytes");
                }),
                dynamicTest(op + ": 10 MiB chunked", () -> {
                    byte[] big = tenMiB(op);
                    expectRefusal(op, () -> postChunked(op.target(), big), 413, "SerializationException",
                            String.valueOf(big.length), "bytes");
                }));
    }

    /** A JSON body of exactly 10 MiB that would otherwise be a valid request (its required members are there). */
    private static byte[] tenMiB(Op op) {
        String minimal = Json.write(RequestShapes.minimal(builderOf(op)));
        byte[] head = bytes("{\"ecsEmuPadding\":\"");
        byte[] tail = bytes("\"" + (minimal.equals("{}") ? "}" : "," + minimal.substring(1)));
        byte[] out = new byte[TEN_MIB];
        System.arraycopy(head, 0, out, 0, head.length);
        Arrays.fill(out, head.length, TEN_MIB - tail.length, (byte) 'x');
        System.arraycopy(tail, 0, out, TEN_MIB - tail.length, tail.length);
        return out;
    }

    private static HttpResponse<String> postChunked(String target, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(emu.endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            return streamingHttp.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // checks ---------------------------------------------------------------------------------------

    private static void expectRefusal(Op op, byte[] body, int status, String type, String... messageParts) {
        expectRefusal(op, () -> emu.post(op.target(), body), status, type, messageParts);
    }

    /**
     * Sends the call and checks the refusal: status, {@code __type}, the same type in
     * {@code X-Amzn-ErrorType}, a message with the given parts, a request id; then that the state is
     * as before and that the server answers valid calls (the snapshot's own calls are valid ones).
     */
    private static void expectRefusal(Op op, Supplier<HttpResponse<String>> call, int status, String type,
            String... messageParts) {
        String before = lastSnapshot != null ? lastSnapshot : snapshot();
        lastSnapshot = null;
        HttpResponse<String> response = call.get();

        assertThat(response.statusCode()).as("status of %s: %s", op, response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).as("x-amzn-RequestId").isPresent();
        Map<String, Object> error = Json.object(response.body());
        assertThat(error).as("error body").containsOnlyKeys("__type", "message");
        assertThat(error.get("__type")).as("__type of %s", response.body()).isEqualTo(type);
        assertThat(response.headers().firstValue("X-Amzn-ErrorType")).as("X-Amzn-ErrorType").hasValue(type);
        assertThat((String) error.get("message")).as("message").isNotBlank().contains(messageParts);

        String after = snapshot();
        assertThat(after).as("state after the refused %s", op).isEqualTo(before);
        // The state after this call is the state before the next: no need to ask twice.
        lastSnapshot = after;
    }

    private static String lastSnapshot;

    /**
     * What the account holds, as the API shows it, through valid raw calls that must each succeed:
     * clusters (with settings, configuration, tags, statistics), task definition families and
     * revisions in every status, account settings; repositories with their images, tags and
     * policies, and the registry policy.
     */
    private static String snapshot() {
        StringBuilder s = new StringBuilder();
        Map<String, Object> listed = Json.object(validCall(ECS + "ListClusters", "{}", s));
        List<Object> clusters = new ArrayList<>((List<?>) listed.get("clusterArns"));
        clusters.add("gone");
        clusters.add("default");
        List<String> include = ClusterField.knownValues().stream().map(ClusterField::toString).toList();
        validCall(ECS + "DescribeClusters", Json.write(Map.of("clusters", clusters, "include", include)), s);
        validCall(ECS + "ListTaskDefinitionFamilies", "{\"status\":\"ALL\"}", s);
        for (TaskDefinitionStatus status : TaskDefinitionStatus.knownValues()) {
            validCall(ECS + "ListTaskDefinitions", "{\"status\":\"" + status + "\"}", s);
        }
        validCall(ECS + "ListAccountSettings", "{\"effectiveSettings\":true}", s);

        Map<String, Object> repositories = Json.object(validCall(ECR + "DescribeRepositories", "{}", s));
        for (Object repository : (List<?>) repositories.get("repositories")) {
            Map<?, ?> r = (Map<?, ?>) repository;
            String name = Json.write(Map.of("repositoryName", r.get("repositoryName")));
            validCall(ECR + "DescribeImages", name, s);
            validCall(ECR + "ListImages", name, s);
            validCall(ECR + "ListTagsForResource", Json.write(Map.of("resourceArn", r.get("repositoryArn"))), s);
            s.append(emu.post(ECR + "GetRepositoryPolicy", name).body()).append('\n');
            s.append(emu.post(ECR + "GetLifecyclePolicy", name).body()).append('\n');
        }
        s.append(emu.post(ECR + "GetRegistryPolicy", "{}").body()).append('\n');
        return s.toString();
    }

    private static String validCall(String target, String body, StringBuilder snapshot) {
        HttpResponse<String> response = emu.post(target, body);
        assertThat(response.statusCode()).as("valid %s %s after a refusal: %s", target, body, response.body()).isEqualTo(200);
        snapshot.append(target).append(' ').append(body).append(" -> ").append(response.body()).append('\n');
        return response.body();
    }

    private static DynamicNode notApplicable(String name, String reason) {
        return dynamicTest(name + " (does not apply)", () -> Assumptions.abort(reason));
    }

    private static byte[] body(Map<String, Object> body) {
        return bytes(Json.write(body));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
