package dev.ecsemu.api.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reaches what a task's container serves over HTTP, as a user on the host would. */
public final class TaskHttp {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private TaskHttp() {
    }

    /**
     * The trimmed body of {@code GET http://host:port/}, tried for up to about five seconds: a container
     * that runs may not listen yet.
     */
    public static String get(String host, int port) throws Exception {
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                return r.body().trim();
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }
}
