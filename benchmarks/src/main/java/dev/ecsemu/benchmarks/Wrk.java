package dev.ecsemu.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator: wrk (C, epoll, one thread) with a Lua script that repeats one ECS call on N
 * keep-alive connections. One thread is enough (it drives a constant-answer server several times
 * faster than ecs-emu answers, see the calibration rows) and leaves the most of the two cores to the
 * server. Its own CPU time is measured with bash's {@code times}.
 */
final class Wrk {
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

    private final Path script;

    private Wrk(Path script) {
        this.script = script;
    }

    static Wrk find(Path workDir) throws Unavailable, IOException {
        if (!Capabilities.onPath("wrk")) {
            throw new Unavailable("wrk not found (Debian: apt-get install wrk)");
        }
        Path script = workDir.resolve("ecs.lua");
        try (InputStream in = Wrk.class.getResourceAsStream("/wrk/ecs.lua")) {
            Files.write(script, in.readAllBytes());
        }
        return new Wrk(script);
    }

    /** What one run of wrk saw. */
    record Result(long requests, double seconds, long nonSuccess, long socketErrors, double p50Ms, double p99Ms, double maxMs,
            double wrkCpuSeconds) {
        double perSecond() {
            return requests / seconds;
        }
    }

    Result run(int port, String operation, Path body, int connections, int seconds) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "wrk \"$@\"; status=$?; times >&2; exit $status", "wrk",
                "-t1", "-c" + connections, "-d" + seconds + "s", "--timeout", "10s", "-s", script.toString(),
                "http://127.0.0.1:" + port + "/");
        builder.environment().put("ECS_OPERATION", operation);
        builder.environment().put("ECS_BODY_FILE", body.toString());
        builder.environment().put("ECS_AUTHORIZATION", EcsHttp.AUTHORIZATION);
        Path err = Files.createTempFile("wrk", ".err");
        try {
            Process p = builder.redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = p.waitFor();
            String stderr = Files.readString(err);
            String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
            if (status != 0 || json == null) {
                throw new IllegalStateException("wrk failed (" + status + "): " + out + stderr);
            }
            JsonNode r = Report.JSON.readTree(json);
            List<String> times = stderr.lines().filter(l -> TIMES.matcher(l).matches()).toList();
            double cpu = 0;
            if (!times.isEmpty()) {
                Matcher m = TIMES.matcher(times.get(times.size() - 1)); // the second line: the shell's children
                m.matches();
                cpu = Long.parseLong(m.group(1)) * 60 + Double.parseDouble(m.group(2)) + Long.parseLong(m.group(3)) * 60
                        + Double.parseDouble(m.group(4));
            }
            return new Result(r.get("requests").asLong(), r.get("durationUs").asLong() / 1e6, r.get("nonSuccess").asLong(),
                    r.get("connectErrors").asLong() + r.get("readErrors").asLong() + r.get("writeErrors").asLong()
                            + r.get("timeouts").asLong(),
                    r.get("p50Us").asLong() / 1e3, r.get("p99Us").asLong() / 1e3, r.get("maxUs").asLong() / 1e3, cpu);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
