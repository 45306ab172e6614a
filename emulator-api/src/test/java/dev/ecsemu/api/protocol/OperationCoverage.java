package dev.ecsemu.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

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
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.util.VersionInfo;

/**
 * Which operations of one AWS JSON service the emulator implements, against the operations of the
 * SDK's model of it, how it refuses the others, and that the README lists both exactly.
 */
abstract class OperationCoverage extends ModelOnlyIT {

    /** The service as the emulator serves it. */
    abstract JsonService service();

    /** The SDK's synchronous client interface of the service. */
    abstract Class<?> clientInterface();

    /** A client of that interface pointed at the emulator. */
    abstract Object client();

    /** Operations the model must have, to show the model was read at all. */
    abstract List<String> wellKnownOperations();

    private Set<String> implemented() {
        return service().operations().names();
    }

    private Set<String> model() {
        return service().modelOperations();
    }

    private List<String> unimplemented() {
        Set<String> out = new TreeSet<>(model());
        out.removeAll(implemented());
        return List.copyOf(out);
    }

    private String target(String operation) {
        return service().targetPrefix() + "." + operation;
    }

    @Test
    void everyImplementedOperationIsAnOperationOfTheModel() {
        assertThat(model()).as("%s model operations", service().name()).hasSizeGreaterThan(30).containsAll(wellKnownOperations());
        assertThat(implemented()).isNotEmpty();
        assertThat(model()).containsAll(implemented());
    }

    @Test
    void theModelIsTheSdkClientsOperations() {
        String modelPackage = clientInterface().getPackageName() + ".model";
        Set<String> fromClient = new TreeSet<>();
        for (Method m : clientInterface().getMethods()) {
            if (m.getParameterCount() == 1 && m.getParameterTypes()[0].getSimpleName().endsWith("Request")
                    && m.getParameterTypes()[0].getPackageName().equals(modelPackage)) {
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
                HttpResponse<String> response = emu.post(target(op), body);
                String message = expectError(response, 400, "UnsupportedOperation");
                assertThat(message).as("message for %s", op).containsPattern(word(op)).contains(service().name());
            }
            // The SDK surfaces it as a typed error with that code, without retrying it away.
            AwsServiceException e = catchThrowableOfType(AwsServiceException.class, () -> callWithSdk(op));
            assertThat(e).as("SDK call of %s", op).isNotNull();
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnsupportedOperation");
            assertThat(e.awsErrorDetails().errorMessage()).containsPattern(word(op));
        }));
    }

    @Test
    void anOperationTheServiceDoesNotHaveIsUnknown() {
        String message = expectError(emu.post(target("MakeCoffee"), "{}"), 400, "UnknownOperationException");
        assertThat(message).contains("'MakeCoffee'").contains(service().name());
        // Operation names are exact: the casing of the model counts.
        String first = implemented().iterator().next();
        expectError(emu.post(target(Character.toLowerCase(first.charAt(0)) + first.substring(1)), "{}"), 400, "UnknownOperationException");
        expectError(emu.post(service().targetPrefix() + ".", "{}"), 400, "UnknownOperationException");
    }

    @Test
    void writesTheOperationListForTheReadme() throws IOException {
        List<String> done = List.copyOf(implemented());
        List<String> todo = unimplemented();
        StringBuilder md = new StringBuilder();
        md.append("## ").append(service().name()).append(" operations\n\n");
        md.append("ecs-emu implements ").append(done.size()).append(" of the ").append(model().size())
                .append(" operations of the ").append(service().name()).append(" API (as modelled by AWS SDK for Java ")
                .append(VersionInfo.SDK_VERSION).append(").\n");
        md.append("The others answer HTTP 400 `UnsupportedOperation` with a message naming the operation.\n\n");
        md.append("Implemented (").append(done.size()).append("): ").append(String.join(", ", done)).append(".\n\n");
        md.append("Not implemented yet (").append(todo.size()).append("; each answers `UnsupportedOperation` naming itself): ")
                .append(String.join(", ", todo)).append(".\n");
        Path out = Path.of("target", "operations-" + service().name().toLowerCase() + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md, StandardCharsets.UTF_8);
        System.out.println(md);

        assertThat(Files.readString(out)).contains("Not implemented yet (" + todo.size() + ";");
        assertThat(done.size() + todo.size()).isEqualTo(model().size());
    }

    @Test
    void theReadmeListsExactlyTheImplementedAndUnimplementedOperations() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String section = section(readme, "## " + service().name() + " operations");
        List<String> done = List.copyOf(new TreeSet<>(implemented()));
        List<String> todo = unimplemented();
        assertThat(section)
                .as("README.md, section %s operations: update the two lists (this test prints what they should be)", service().name())
                .contains("Implemented (" + done.size() + "): " + String.join(", ", done) + ".")
                .contains("Not implemented yet (" + todo.size() + "; each answers `UnsupportedOperation` naming itself): "
                        + String.join(", ", todo) + ".");
    }

    /** The README's text from the heading to the next heading of the same level. */
    private static String section(String readme, String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as("README.md has a section '%s'", heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + heading.length() + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** Checks an AWS JSON error and answers its message. */
    static String expectError(HttpResponse<String> response, int status, String type) {
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

    static Pattern word(String name) {
        return Pattern.compile("\\b" + Pattern.quote(name) + "\\b");
    }

    /** Calls the operation through the SDK client with an empty request. */
    private void callWithSdk(String op) throws Throwable {
        Class<?> requestClass = Class.forName(clientInterface().getPackageName() + ".model." + op + "Request");
        Object request = ((software.amazon.awssdk.utils.builder.SdkBuilder<?, ?>) requestClass.getMethod("builder").invoke(null)).build();
        List<Method> candidates = new ArrayList<>();
        for (Method m : clientInterface().getMethods()) {
            if (m.getParameterCount() == 1 && m.getParameterTypes()[0] == requestClass
                    && software.amazon.awssdk.core.SdkResponse.class.isAssignableFrom(m.getReturnType())) {
                candidates.add(m);
            }
        }
        assertThat(candidates).as("%s method for %s", clientInterface().getSimpleName(), op).hasSize(1);
        try {
            candidates.get(0).invoke(client(), request);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
