package dev.ecsemu.api.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command line tool (docker, skopeo) the way a user would, and answers its exit code and output. */
final class Cli {
    private final Map<String, String> environment;

    /** @param environment added to this process's environment (e.g. a private DOCKER_CONFIG) */
    Cli(Map<String, String> environment) {
        this.environment = environment;
    }

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    Result run(String... command) {
        return runWithInput(null, command);
    }

    /** Runs the command with {@code stdin} as its input; gives up after 10 minutes. */
    Result runWithInput(String stdin, String... command) {
        List<String> line = new ArrayList<>(List.of(command));
        try {
            Path output = Files.createTempFile("ecs-emu-cli", ".out");
            try {
                ProcessBuilder b = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile());
                b.environment().putAll(environment);
                Process p = b.start();
                try (OutputStream in = p.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(10, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", line) + " did not finish in 10 minutes; its output: "
                            + Files.readString(output));
                }
                return new Result(p.exitValue(), Files.readString(output));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", line), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs the command and fails with its output unless it succeeds. */
    String expect(String... command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.exitCode() + "): " + r.output());
        }
        return r.output();
    }
}
