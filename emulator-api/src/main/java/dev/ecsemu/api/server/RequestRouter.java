package dev.ecsemu.api.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ecsemu.api.protocol.JsonDispatcher;
import dev.ecsemu.api.protocol.JsonResponse;
import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.api.registry.RegistryApi;
import dev.ecsemu.core.capacity.SpotInterruptions;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.runtime.EngineStatus;
import dev.ecsemu.core.state.Stores;
import dev.ecsemu.core.state.Scope;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each request on the one port: AWS JSON APIs, the emulator's own endpoints, and the rest. The
 * registry's requests ({@code /v2/}) go to the registry, whose bodies stream instead of being collected.
 */
final class RequestRouter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final String AMZ_JSON = "application/x-amz-json-1.1";

    private final JsonDispatcher dispatcher;
    private final Stores stores;
    private final Runnable reset;
    private final Supplier<EngineStatus> engine;
    private final ServerOptions options;
    private final String version;
    private final RegistryApi registry;
    private final SpotInterruptions spot;

    RequestRouter(JsonDispatcher dispatcher, Stores stores, Runnable reset, Supplier<EngineStatus> engine, ServerOptions options,
            String version, RegistryApi registry, SpotInterruptions spot) {
        this.registry = registry;
        this.spot = spot;
        this.dispatcher = dispatcher;
        this.stores = stores;
        this.reset = reset;
        this.engine = engine;
        this.options = options;
        this.version = version;
    }

    /** Whether the request goes to the registry, streamed (see {@link StreamedRequest}). */
    boolean streams(String uri) {
        return registry != null && RegistryApi.serves(uri);
    }

    RegistryApi registry() {
        return registry;
    }

    HttpResult route(HttpExchange exchange) {
        String target = exchange.headers().get("X-Amz-Target");
        if (target != null && exchange.method() == HttpMethod.POST) {
            return awsJson(exchange, target);
        }
        String path = exchange.path();
        if (path.equals("/_ecs-emu/health") && exchange.method() == HttpMethod.GET) {
            return health();
        }
        if ((path.equals("/_ecs-emu/reset") || path.equals("/moto-api/reset")) && exchange.method() == HttpMethod.POST) {
            reset.run();
            LOG.info("State reset: every account and region was cleared ({} {})", exchange.method(), path);
            return HttpResult.json(200, "{\"status\":\"reset\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (spot != null && path.equals("/_ecs-emu/spot-interruption") && exchange.method() == HttpMethod.POST) {
            return spotInterruption(exchange);
        }
        if (path.equals("/") && exchange.method() == HttpMethod.GET) {
            return HttpResult.text(200, "ecs-emu " + version + " serves the Amazon ECS API here.\n"
                    + "Try: aws --endpoint-url http://" + options.host() + ":<port> ecs list-clusters\n");
        }
        if (exchange.method() == HttpMethod.POST && path.equals("/")) {
            return HttpResult.text(400, "This POST carries no X-Amz-Target header. ecs-emu serves AWS JSON 1.1 APIs"
                    + " (ECS); AWS Query APIs (ELBv2) are not served yet.\n");
        }
        return HttpResult.text(404, "ecs-emu has nothing at " + exchange.method() + " " + path
                + ". AWS APIs are served with POST / and X-Amz-Target; see also GET /_ecs-emu/health.\n");
    }

    private HttpResult awsJson(HttpExchange exchange, String target) {
        String requestId = UUID.randomUUID().toString();
        JsonResponse response;
        if (exchange.bodyTooLarge()) {
            response = JsonDispatcher.error("message", new ApiException("SerializationException", 413, "The request body is "
                    + exchange.bodySize() + " bytes; ecs-emu accepts at most " + options.maxBodyBytes() + " bytes per API call."));
        } else {
            response = dispatcher.dispatch(target, new ByteBufInputStream(exchange.body()), () -> {
                Scope scope = CredentialScope.of(exchange.headers().get("Authorization"), options.defaultAccount(),
                        options.defaultRegion());
                return new RequestContext(scope, stores.of(scope), requestId);
            });
        }
        if (response.errorType() != null) {
            LOG.debug("{} -> {} {}", target, response.status(), response.errorType());
            return new HttpResult(response.status(), AMZ_JSON, response.body(),
                    Map.of("x-amzn-RequestId", requestId, "X-Amzn-ErrorType", response.errorType()));
        }
        return new HttpResult(200, AMZ_JSON, response.body(), Map.of("x-amzn-RequestId", requestId));
    }

    /** {@code POST /_ecs-emu/spot-interruption} with {@code {"taskArn": "..."}}: interrupts a FARGATE_SPOT task as AWS would. */
    private HttpResult spotInterruption(HttpExchange exchange) {
        String taskArn = null;
        try (JsonParser p = JSON.createParser((java.io.InputStream) new ByteBufInputStream(exchange.body()))) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (field.equals("taskArn") && p.currentToken() == JsonToken.VALUE_STRING) {
                        taskArn = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            taskArn = null;
        }
        if (taskArn == null) {
            return errorJson(new ApiException("InvalidParameterException", 400,
                    "POST /_ecs-emu/spot-interruption takes a JSON body {\"taskArn\": \"arn:aws:ecs:...:task/...\"}."));
        }
        SpotInterruptions.Interruption done;
        try {
            done = spot.interrupt(taskArn);
        } catch (ApiException e) {
            return errorJson(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("taskArn", done.taskArn());
            g.writeStringField("stopCode", "SpotInterruption");
            g.writeStringField("stoppedReason", SpotInterruptions.REASON);
            g.writeStringField("killedBy", done.killedBy().toString());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpResult.json(200, out.toByteArray());
    }

    private static HttpResult errorJson(ApiException e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("__type", e.errorType());
            g.writeStringField("message", e.getMessage());
            g.writeEndObject();
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
        return HttpResult.json(e.status(), out.toByteArray());
    }

    private HttpResult health() {
        EngineStatus status = engine.get();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", "running");
            g.writeStringField("version", version);
            g.writeObjectFieldStart("engine");
            g.writeStringField("name", status.engine());
            g.writeBooleanField("available", status.available());
            g.writeStringField("detail", status.detail());
            g.writeEndObject();
            g.writeStringField("defaultAccount", options.defaultAccount());
            g.writeStringField("defaultRegion", options.defaultRegion());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpResult.json(200, out.toByteArray());
    }
}
