package dev.ecsemu.api.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Raw HTTP against the registry (HTTP/1.1, as docker speaks it), with or without credentials. */
final class RegistryClient {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String authorization;

    RegistryClient(URI endpoint, String authorization) {
        this.endpoint = endpoint;
        this.authorization = authorization;
    }

    RegistryClient withAuthorization(String header) {
        return new RegistryClient(endpoint, header);
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), headers);
    }

    HttpResponse<byte[]> head(String path, String... headers) {
        return send("HEAD", path, HttpRequest.BodyPublishers.noBody(), headers);
    }

    HttpResponse<byte[]> delete(String path) {
        return send("DELETE", path, HttpRequest.BodyPublishers.noBody());
    }

    HttpResponse<byte[]> post(String path, byte[] body, String... headers) {
        return send("POST", path, HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    HttpResponse<byte[]> patch(String path, byte[] body, String... headers) {
        return send("PATCH", path, HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    HttpResponse<byte[]> put(String path, byte[] body, String... headers) {
        return send("PUT", path, HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    HttpResponse<byte[]> send(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).method(method, body).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }
}
