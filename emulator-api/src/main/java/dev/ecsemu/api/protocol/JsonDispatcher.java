package dev.ecsemu.api.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ecsemu.core.error.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkPojo;

/**
 * Dispatches AWS JSON 1.1 calls ({@code X-Amz-Target: Prefix.Operation}) to the operation tables of
 * the services, and turns every outcome into the AWS wire form, refusals included.
 */
public final class JsonDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(JsonDispatcher.class);
    private static final JsonFactory JSON = new JsonFactory();

    /** Target prefixes of AWS JSON services we know but do not serve (yet), to name them in refusals. */
    private static final Map<String, String> OTHER_SERVICES = Map.of(
            "Logs_20140328", "CloudWatch Logs",
            "AnyScaleFrontendService", "Application Auto Scaling");

    private final Map<String, JsonService> byPrefix = new HashMap<>();

    public JsonDispatcher(JsonService... services) {
        for (JsonService s : services) {
            byPrefix.put(s.targetPrefix(), s);
        }
    }

    public JsonService service(String targetPrefix) {
        return byPrefix.get(targetPrefix);
    }

    public JsonResponse dispatch(String target, InputStream body, Supplier<RequestContext> context) {
        int dot = target == null ? -1 : target.lastIndexOf('.');
        String prefix = dot < 0 ? "" : target.substring(0, dot);
        String operationName = dot < 0 ? "" : target.substring(dot + 1);
        JsonService service = byPrefix.get(prefix);
        if (service == null) {
            String other = OTHER_SERVICES.get(prefix);
            String message = other != null
                    ? "ecs-emu does not serve " + other + " yet (operation " + operationName + ")."
                    : "Unknown X-Amz-Target '" + target + "': ecs-emu serves ECS (AmazonEC2ContainerServiceV20141113.<Operation>)"
                    + " and ECR (AmazonEC2ContainerRegistry_V20150921.<Operation>).";
            return error("message", new ApiException(other != null ? "UnsupportedOperation" : "UnknownOperationException", 400, message));
        }
        try {
            Operation operation = service.operations().get(operationName);
            if (operation == null) {
                if (service.modelOperations().contains(operationName)) {
                    throw new ApiException("UnsupportedOperation", 400, "ecs-emu does not implement " + service.name()
                            + " operation " + operationName + " yet. The README lists the operations it implements.");
                }
                throw new ApiException("UnknownOperationException", 400, service.name() + " has no operation '" + operationName + "'.");
            }
            SdkPojo request = service.codec().read(body, operation.requestBuilder());
            SdkPojo response = operation.invoke(request, context.get());
            return new JsonResponse(200, service.codec().write(response), null);
        } catch (ApiException e) {
            return error(service.messageKey(), e);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.error("{}.{} failed; this is a bug in ecs-emu", service.name(), operationName, e);
            return error(service.messageKey(), new ApiException("ServerException", 500,
                    "ecs-emu failed on " + operationName + ": " + e + ". Please report it with the emulator's log."));
        }
    }

    /** An error in the AWS JSON form: {@code {"__type": ..., "message": ...}}. */
    public static JsonResponse error(String messageKey, ApiException e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("__type", e.errorType());
            g.writeStringField(messageKey, e.getMessage());
            g.writeEndObject();
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
        return new JsonResponse(e.status(), out.toByteArray(), e.errorType());
    }
}
