package dev.ecsemu.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged {@code ecs-emu.jar} run as a separate process, as a user runs it. */
final class EmulatorProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private final Process process;
    private final Path stdoutFile;
    private final Path stderrFile;
    private final long launchedNanos;

    private EmulatorProcess(Process process, Path stdoutFile, Path stderrFile, long launchedNanos) {
        this.process = process;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
        this.launchedNanos = launchedNanos;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("ecsemu.jar", "target/ecs-emu.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Build the jar first (mvn package): " + jar.toAbsolutePath());
        }
        return jar;
    }

    static EmulatorProcess launch(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("ECS_EMU_"));
        pb.environment().putAll(env);
        // Files, not pipes: the JDK closes a child's pipes when it exits, racing any thread still reading them.
        Path out = Files.createTempFile("ecs-emu-stdout", ".txt");
        Path err = Files.createTempFile("ecs-emu-stderr", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        long launched = System.nanoTime();
        return new EmulatorProcess(pb.start(), out, err, launched);
    }

    /** Waits for the listening line and answers the endpoint it names. */
    URI awaitListening(long timeoutSeconds) throws InterruptedException {
        String line = awaitLine(LISTENING, timeoutSeconds);
        Matcher m = LISTENING.matcher(line);
        m.find();
        return URI.create(m.group(1));
    }

    String awaitLine(Pattern pattern, long timeoutSeconds) throws InterruptedException {
        return awaitLine(pattern, timeoutSeconds, false);
    }

    /** Waits for a line of stdout or of the log (stderr) matching the pattern. */
    String awaitOutput(Pattern pattern, long timeoutSeconds) throws InterruptedException {
        return awaitLine(pattern, timeoutSeconds, true);
    }

    private String awaitLine(Pattern pattern, long timeoutSeconds, boolean withLog) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        do {
            String text = withLog ? stdout() + "\n" + stderr() : stdout();
            for (String line : text.split("\n")) {
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline && process.isAlive());
        throw new AssertionError("No line matching " + pattern + " within " + timeoutSeconds + " s. stdout: " + stdout()
                + " stderr: " + stderr());
    }

    /** Milliseconds from launch to now. */
    long millisSinceLaunch() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedNanos);
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: the emulator gets no chance to clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM and answers the exit code. */
    int terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("ecs-emu did not stop within " + timeoutSeconds + " s of SIGTERM");
        }
        return process.exitValue();
    }

    int waitForExit(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError("ecs-emu did not exit within " + timeoutSeconds + " s");
        }
        return process.exitValue();
    }

    String stdout() {
        return read(stdoutFile);
    }

    String stderr() {
        return read(stderrFile);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(stdoutFile);
            Files.deleteIfExists(stderrFile);
        } catch (IOException ignored) {
            // temporary files
        }
    }
}
