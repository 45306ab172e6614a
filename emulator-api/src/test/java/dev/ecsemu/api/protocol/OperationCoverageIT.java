package dev.ecsemu.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.ecsemu.api.ecs.EcsApi;
import dev.ecsemu.api.testing.Json;
import dev.ecsemu.api.testing.ModelOnlyIT;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.core.util.VersionInfo;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.EcsException;

/**
 * Which ECS operations the emulator implements, against the operations of the SDK's ECS model, and
 * how it refuses everything else: a model operation it does not implement, an operation ECS does not
 * have, a service it knows but does not serve, a target it does not know.
 */
class OperationCoverageIT extends ModelOnlyIT {
    private static final String ECS = EcsApi.TARGET_PREFIX + ".";

    private static Set<String> implemented() {
        return emu.emulator().ecs().operations().names();
    }

    private static Set<String> model() {
        return emu.emulator().ecs().modelOperations();
    }

    private static List<String> unimplemented() {
        Set<String> out = new TreeSet<>(model());
        out.removeAll(implemented());
        return List.copyOf(out);
    }

    @Test
    void everyImplementedOperationIsAnOperationOfTheModel() {
        assertThat(model()).as("ECS model operations").hasSizeGreaterThan(50).contains("CreateCluster", "RunTask", "CreateService");
        assertThat(implemented()).isNotEmpty();
        assertThat(model()).containsAll(implemented());
    }

    @Test
    void theModelIsTheSdkClientsOperations() {
        Set<String> fromClient = new TreeSet<>();
        for (Method m : EcsClient.class.getMethods()) {
            if (m.getParameterCount() == 1 && m.getParameterTypes()[0].getSimpleName().endsWith("Request")
                    && m.getParameterTypes()[0].getPackageName().equals("software.amazon.awssdk.services.ecs.model")) {
                fromClient.add(m.getParameterTypes()[0].getSimpleName().replaceFirst("Request$", ""));
            }
        }
        assertThat(model()).containsExactlyInAnyOrderElementsOf(fromClient);
    }

    @TestFactory
    Stream<DynamicTest> everyUnimplementedOperationIsRefusedByName() {
        List<String> ops = unimplemented();
        assertThat(ops).as("unimplemented operations").isNotEmpty();
        return ops.stream().map(op -> dynamicTest(op + " answers UnsupportedOperation", () -> {
            for (String body : List.of("{}", "not even json")) {
                HttpResponse<String> response = emu.post(ECS + op, body);
                String message = expectError(response, 400, "UnsupportedOperation");
                assertThat(message).as("message for %s", op).containsPattern(word(op)).contains("ECS");
            }
            // The SDK surfaces it as a typed error with that code, without retrying it away.
            EcsException e = catchThrowableOfType(EcsException.class, () -> callWithSdk(op));
            assertThat(e).as("SDK call of %s", op).isNotNull();
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnsupportedOperation");
            assertThat(e.awsErrorDetails().errorMessage()).containsPattern(word(op));
        }));
    }

    @Test
    void anOperationEcsDoesNotHaveIsUnknown() {
        String message = expectError(emu.post(ECS + "MakeCoffee", "{}"), 400, "UnknownOperationException");
        assertThat(message).contains("'MakeCoffee'").contains("ECS");
        // Operation names are exact: the casing of the model counts.
        expectError(emu.post(ECS + "listClusters", "{}"), 400, "UnknownOperationException");
        expectError(emu.post(ECS, "{}"), 400, "UnknownOperationException");
    }

    @Test
    void otherAwsServicesAreNamedAsNotServed() {
        Map<String, String> services = Map.of(
                "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories", "ECR",
                "Logs_20140328.CreateLogGroup", "CloudWatch Logs",
                "AnyScaleFrontendService.RegisterScalableTarget", "Application Auto Scaling");
        services.forEach((target, service) -> {
            String message = expectError(emu.post(target, "{}"), 400, "UnsupportedOperation");
            String operation = target.substring(target.indexOf('.') + 1);
            assertThat(message).as("refusal of %s", target).contains(service).containsPattern(word(operation));
        });
    }

    @Test
    void anUnknownTargetIsUnknown() {
        for (String target : List.of("Foo_20200101.Bar", "ListClusters", "", "AmazonEC2ContainerServiceV20141113x.ListClusters")) {
            String message = expectError(emu.post(target, "{}"), 400, "UnknownOperationException");
            assertThat(message).as("refusal of target '%s'", target).contains("'" + target + "'");
        }
    }

    @Test
    void writesTheOperationListForTheReadme() throws IOException {
        List<String> done = List.copyOf(implemented());
        List<String> todo = unimplemented();
        StringBuilder md = new StringBuilder();
        md.append("## ECS operations\n\n");
        md.append("ecs-emu implements ").append(done.size()).append(" of the ").append(model().size())
                .append(" operations of the ECS API (as modelled by AWS SDK for Java ").append(VersionInfo.SDK_VERSION).append(").\n");
        md.append("The others answer HTTP 400 `UnsupportedOperation` with a message naming the operation.\n\n");
        md.append("### Implemented (").append(done.size()).append(")\n\n");
        done.forEach(op -> md.append("- ").append(op).append('\n'));
        md.append("\n### Not implemented yet (").append(todo.size()).append(")\n\n");
        todo.forEach(op -> md.append("- ").append(op).append('\n'));
        Path out = Path.of("target", "operations.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md, StandardCharsets.UTF_8);
        System.out.println(md);

        assertThat(Files.readString(out)).contains("- CreateCluster\n").contains("### Not implemented yet (" + todo.size() + ")");
        assertThat(done.size() + todo.size()).isEqualTo(model().size());
    }

    @Test
    void theReadmeListsExactlyTheImplementedAndUnimplementedOperations() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        List<String> done = List.copyOf(new TreeSet<>(implemented()));
        List<String> todo = unimplemented();
        assertThat(readme)
                .as("README.md, section ECS operations: update the two lists (this test prints what they should be)")
                .contains("Implemented (" + done.size() + "): " + String.join(", ", done) + ".")
                .contains("Not implemented yet (" + todo.size() + "; each answers `UnsupportedOperation` naming itself): "
                        + String.join(", ", todo) + ".");
    }

    /** Checks an AWS JSON error and answers its message. */
    private static String expectError(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as("status: %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(response.headers().firstValue("X-Amzn-ErrorType")).hasValue(type);
        Map<String, Object> error = Json.object(response.body());
        assertThat(error).containsOnlyKeys("__type", "message").containsEntry("__type", type);
        String message = (String) error.get("message");
        assertThat(message).isNotBlank();
        return message;
    }

    private static Pattern word(String name) {
        return Pattern.compile("\\b" + Pattern.quote(name) + "\\b");
    }

    /** Calls the operation through the SDK client with an empty request. */
    private static void callWithSdk(String op) throws Throwable {
        Class<?> requestClass = Class.forName("software.amazon.awssdk.services.ecs.model." + op + "Request");
        Object request = ((software.amazon.awssdk.utils.builder.SdkBuilder<?, ?>) requestClass.getMethod("builder").invoke(null)).build();
        List<Method> candidates = new ArrayList<>();
        for (Method m : EcsClient.class.getMethods()) {
            if (m.getParameterCount() == 1 && m.getParameterTypes()[0] == requestClass
                    && software.amazon.awssdk.core.SdkResponse.class.isAssignableFrom(m.getReturnType())) {
                candidates.add(m);
            }
        }
        assertThat(candidates).as("EcsClient method for %s", op).hasSize(1);
        try {
            candidates.get(0).invoke(ecs, request);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
