package dev.ecsemu.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks for what a measurement needs outside this JVM, each failing with the reason the report shows. */
final class Capabilities {
    private Capabilities() {
    }

    /** A Docker engine answering, and the image the measurement runs. */
    static void requireDocker(String image) throws Unavailable, InterruptedException {
        if (!onPath("docker")) {
            throw new Unavailable("no docker CLI on the PATH");
        }
        String engine = run("docker", "info", "--format", "{{.ServerVersion}}");
        if (engine == null) {
            throw new Unavailable("no Docker engine answers (docker info failed)");
        }
        if (run("docker", "image", "inspect", "--format", "{{.Id}}", image) == null) {
            throw new Unavailable("no image " + image + " (benchmarks/run.sh builds it from busybox-static)");
        }
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** The command's output, or null when it fails. */
    private static String run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        }
    }
}
