package dev.ecsemu.api.server;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What the server answers: status, content type, body and extra headers. */
record HttpResult(int status, String contentType, byte[] body, Map<String, String> headers) {

    static HttpResult text(int status, String text) {
        return new HttpResult(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static HttpResult json(int status, byte[] body) {
        return new HttpResult(status, "application/json", body, Map.of());
    }
}
