package dev.ecsemu.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one benchmark writes to {@code benchmarks/results/<benchmark>.json}: its table rows, the
 * targets it reports against, and details for whoever wants the raw numbers. A benchmark whose
 * capability is missing (no Docker engine, no moto_server, no wrk, ...) writes a report that says so
 * instead of failing, and the summary shows "not available".
 *
 * @param notAvailable why nothing was measured; null when measured
 */
public record Report(String benchmark, String title, String measuredAt, String notAvailable, List<Row> rows, List<Target> targets,
        Map<String, Object> details) {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @param targets the targets the benchmark reports against, listed as not measured */
    public static Report notAvailable(String benchmark, String title, String reason, String... targets) {
        List<Target> unmeasured = Arrays.stream(targets).map(t -> new Target(t, "not available: " + reason, null)).toList();
        return new Report(benchmark, title, Instant.now().toString(), reason, List.of(), unmeasured, Map.of());
    }

    public static Builder of(String benchmark, String title) {
        return new Builder(benchmark, title);
    }

    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(benchmark + ".json");
        JSON.writeValue(file.toFile(), this);
        return file;
    }

    public static Report read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Report.class);
    }

    /** Rows and targets in the order they are added. */
    public static final class Builder {
        private final String benchmark;
        private final String title;
        private final List<Row> rows = new ArrayList<>();
        private final List<Target> targets = new ArrayList<>();
        private final Map<String, Object> details = new LinkedHashMap<>();

        private Builder(String benchmark, String title) {
            this.benchmark = benchmark;
            this.title = title;
        }

        public Builder row(Row row) {
            rows.add(row);
            return this;
        }

        public Builder target(String target, String measured, Boolean met) {
            targets.add(new Target(target, measured, met));
            return this;
        }

        public Builder detail(String key, Object value) {
            details.put(key, value);
            return this;
        }

        public Report build() {
            return new Report(benchmark, title, Instant.now().toString(), null, List.copyOf(rows), List.copyOf(targets), details);
        }
    }
}
