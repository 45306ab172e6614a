package dev.ecsemu.cli;

import java.net.HttpURLConnection;
import java.net.URL;

/**
 * The image's HEALTHCHECK: exits 0 when {@code GET /_ecs-emu/health} answers 200. A class of its own that
 * touches only java.base, so that the check's JVM starts in a fraction of a second and the image needs no
 * curl or shell: {@code java -cp ecs-emu.jar dev.ecsemu.cli.HealthCheck [url]}.
 */
public final class HealthCheck {

    private HealthCheck() {
    }

    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("ECS_EMU_PORT", "5327");
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:" + port + "/_ecs-emu/health";
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            int code = c.getResponseCode();
            System.out.println(url + " " + code);
            System.exit(code == 200 ? 0 : 1);
        } catch (Exception e) {
            System.out.println(url + " " + e);
            System.exit(1);
        }
    }
}
