package dev.ecsemu.core.runtime.docker;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the environment files of a container definition. ECS fetches them from S3; the emulator reads
 * those whose {@code value} is a local path or a {@code file:} URL. The format is ECS's: one
 * {@code KEY=VALUE} a line, lines starting with {@code #} and blank lines ignored, the value taken
 * as written (no quotes are removed).
 */
final class EnvironmentFiles {
    private EnvironmentFiles() {
    }

    /** Raised when a file cannot be read; its message says which and why. */
    static final class UnreadableException extends Exception {
        UnreadableException(String message) {
            super(message);
        }
    }

    static Map<String, String> read(String value) throws UnreadableException {
        Path path = localPath(value);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnreadableException("cannot read environment file " + value + ": " + e);
        }
        return parse(text);
    }

    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : text.split("\r?\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = raw.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = raw.substring(0, eq).strip();
            if (!key.isEmpty()) {
                out.put(key, raw.substring(eq + 1));
            }
        }
        return out;
    }

    static Path localPath(String value) throws UnreadableException {
        if (value == null || value.isBlank()) {
            throw new UnreadableException("an environment file has no value");
        }
        if (value.startsWith("file:")) {
            try {
                return Path.of(new URI(value));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new UnreadableException("bad file URL for an environment file: " + value);
            }
        }
        if (value.startsWith("arn:") || value.contains("://")) {
            throw new UnreadableException("environment file " + value
                    + " is not a local file: this emulator reads environment files from local paths or file: URLs only");
        }
        return Path.of(value);
    }
}
