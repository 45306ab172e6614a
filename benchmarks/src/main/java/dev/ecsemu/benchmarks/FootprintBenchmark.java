package dev.ecsemu.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Footprint: resident memory (VmRSS) of ecs-emu (engine none, started as {@code ./ecs-emu} starts it)
 * and of moto_server, each in a fresh process: idle after start-up, after 10,000 read calls over 4
 * keep-alive connections (DescribeClusters, ListClusters, ListTasks, DescribeTaskDefinition,
 * ListTaskDefinitions in turn), and with 200 tasks on 4 container instances (RunTask, count 10, 20
 * times). Each figure is read after a second of quiet. Default JVM settings, as a user gets them.
 *
 * <p>Usage: {@code FootprintBenchmark [runs] [results dir]}.
 */
public final class FootprintBenchmark {
    private static final String TARGET = "idle memory < 150 MB";
    private static final int CALLS = 10_000;
    private static final int CONNECTIONS = 4;
    private static final int TASKS = 200;
    private static final String[][] READS = {
        {"DescribeClusters", "{\"clusters\":[\"" + Fixture.CLUSTER + "\"]}"},
        {"ListClusters", "{}"},
        {"ListTasks", "{\"cluster\":\"" + Fixture.CLUSTER + "\"}"},
        {"DescribeTaskDefinition", "{\"taskDefinition\":\"" + Fixture.FAMILY + "\"}"},
        {"ListTaskDefinitions", "{}"},
    };
    private static final String[] STAGES = {"after start-up (idle)", "after 10,000 API calls", "with 200 tasks (engine none)"};

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path results = Path.of(args.length > 1 ? args[1] : "benchmarks/results");
        String title = "footprint: resident memory, VmRSS (MB)";
        List<Peer> peers = new ArrayList<>();
        try {
            peers.add(Peer.ecsEmu());
        } catch (Unavailable e) {
            Report.notAvailable("footprint", title, e.getMessage(), TARGET).write(results);
            return;
        }
        String motoMissing = null;
        try {
            peers.add(Peer.moto());
        } catch (Unavailable e) {
            motoMissing = e.getMessage();
        }

        Map<Peer, List<List<Double>>> rss = new LinkedHashMap<>();
        Map<Peer, List<Double>> callSeconds = new LinkedHashMap<>();
        for (Peer peer : peers) {
            rss.put(peer, List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
            callSeconds.put(peer, new ArrayList<>());
        }
        Path log = Files.createTempFile("footprint", ".log");
        for (int run = 0; run < runs; run++) {
            for (int i = 0; i < peers.size(); i++) {
                Peer peer = peers.get((run + i) % peers.size());
                try (ServerProcess server = ServerProcess.launch(peer, log); EcsHttp http = new EcsHttp(server.port())) {
                    server.awaitReady(log);
                    Thread.sleep(1000);
                    rss.get(peer).get(0).add(server.rssMegabytes());

                    Fixture.clusterAndTaskDefinition(http);
                    callSeconds.get(peer).add(readCalls(server.port()));
                    Thread.sleep(1000);
                    rss.get(peer).get(1).add(server.rssMegabytes());

                    Fixture.runTasks(peer, http, 4, TASKS);
                    Thread.sleep(1000);
                    rss.get(peer).get(2).add(server.rssMegabytes());
                }
            }
        }
        Files.deleteIfExists(log);

        Peer emu = peers.get(0);
        Report.Builder report = Report.of("footprint", title).detail("runs", runs);
        for (int stage = 0; stage < STAGES.length; stage++) {
            Stats e = Stats.of(rss.get(emu).get(stage));
            report.row(motoMissing == null ? Row.against(STAGES[stage], "MB", e, peers.get(1).label(), Stats.of(rss.get(peers.get(1)).get(stage)))
                    : Row.peerMissing(STAGES[stage], "MB", e, "moto", motoMissing));
        }
        Stats idle = Stats.of(rss.get(emu).get(0));
        Stats afterCalls = Stats.of(rss.get(emu).get(1));
        report.target(TARGET, String.format(Locale.ROOT, "%.0f MB after start-up, %.0f MB idle again after 10,000 calls",
                idle.median(), afterCalls.median()), idle.median() < 150);
        for (Peer peer : peers) {
            report.detail(peer.name() + " MB " + String.join(" / ", STAGES), rss.get(peer));
            report.detail(peer.name() + " seconds for 10,000 calls", callSeconds.get(peer));
        }
        Summary.print(report.build().write(results));
    }

    /** {@link #CALLS} read calls over {@link #CONNECTIONS} keep-alive connections; returns the seconds they took. */
    private static double readCalls(int port) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int first = c;
                done.add(pool.submit(() -> {
                    try (EcsHttp http = new EcsHttp(port)) {
                        for (int i = first; i < CALLS; i += CONNECTIONS) {
                            String[] call = READS[i % READS.length];
                            http.call(call[0], call[1]);
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }
}
