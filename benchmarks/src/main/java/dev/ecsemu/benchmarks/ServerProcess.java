package dev.ecsemu.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server the harness runs as a process of its own (ecs-emu from its jar, or moto_server), on a free port chosen beforehand. */
public final class ServerProcess implements AutoCloseable {
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this runs on

    private final Peer peer;
    private final int port;
    private final long launchedNanos;
    private final Process process;

    private ServerProcess(Peer peer, int port, long launchedNanos, Process process) {
        this.peer = peer;
        this.port = port;
        this.launchedNanos = launchedNanos;
        this.process = process;
    }

    /** Launches the peer; its output goes to {@code log}, read when it does not come up. */
    public static ServerProcess launch(Peer peer, List<String> extraJvmOptions, Path log) throws IOException {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(peer.command(port, extraJvmOptions)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        return new ServerProcess(peer, port, t0, builder.start());
    }

    public static ServerProcess launch(Peer peer, Path log) throws IOException {
        return launch(peer, List.of(), log);
    }

    /**
     * Polls ListClusters (a fresh connection each time, 2 ms apart, so that the polling takes little
     * of the CPU the starting server needs) and returns the milliseconds from launch to its first 200.
     */
    public double awaitReady(Path log) throws IOException, InterruptedException {
        long deadline = launchedNanos + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (EcsHttp.listClustersAnswers(port)) {
                return (System.nanoTime() - launchedNanos) / 1e6;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(peer.name() + " exited with " + process.exitValue() + ": " + tail(log));
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException(peer.name() + " did not answer ListClusters within 60 s: " + tail(log));
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Peer peer() {
        return peer;
    }

    /** Resident memory in MB, VmRSS of /proc/PID/status. */
    public double rssMegabytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS for " + peer.name());
    }

    /** CPU time the process has used so far (user + system), in seconds. */
    public double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based over the whole line)
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS_PER_SECOND;
    }

    /**
     * Waits until the process is quiet (under 8% of a core over 250 ms, at most 60 s): a server still
     * working off the requests of the last load (moto queues them in threads) would slow the next.
     */
    public void awaitQuiet() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        double before = cpuSeconds();
        while (System.nanoTime() < deadline) {
            Thread.sleep(250);
            double now = cpuSeconds();
            if (now - before < 0.02) {
                return;
            }
            before = now;
        }
    }

    /** SIGTERM, as Ctrl-C or docker stop would; killed if it has not gone within 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
