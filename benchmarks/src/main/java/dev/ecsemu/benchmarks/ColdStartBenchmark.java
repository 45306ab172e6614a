package dev.ecsemu.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cold start: from launching the process to the first 200 answer to ECS ListClusters, for ecs-emu
 * as {@code ./ecs-emu} starts it (class data sharing archive), ecs-emu by plain {@code java -jar}, and
 * moto_server. The servers take turns, in a rotating order, after one uncounted round that warms the
 * page cache.
 *
 * <p>Usage: {@code ColdStartBenchmark [runs] [results dir]}.
 */
public final class ColdStartBenchmark {
    private static final String TARGET = "cold start < 1 s";


    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path results = Path.of(args.length > 1 ? args[1] : "benchmarks/results");
        String title = "cold start: process launch -> first ListClusters 200 (ms)";
        List<Peer> peers = new ArrayList<>();
        String motoMissing = null;
        try {
            peers.add(Peer.ecsEmu());
            peers.add(Peer.ecsEmuPlain());
        } catch (Unavailable e) {
            Report.notAvailable("cold-start", title, e.getMessage(), TARGET).write(results);
            return;
        }
        try {
            peers.add(Peer.moto());
        } catch (Unavailable e) {
            motoMissing = e.getMessage();
        }

        Map<Peer, List<Double>> times = new LinkedHashMap<>();
        peers.forEach(p -> times.put(p, new ArrayList<>()));
        Path log = Files.createTempFile("cold-start", ".log");
        for (int run = -1; run < runs; run++) {
            for (int i = 0; i < peers.size(); i++) {
                Peer peer = peers.get(Math.floorMod(run + i, peers.size()));
                double ms;
                try (ServerProcess server = ServerProcess.launch(peer, log)) {
                    ms = server.awaitReady(log);
                }
                if (run >= 0) {
                    times.get(peer).add(ms);
                }
            }
        }
        Files.deleteIfExists(log);

        Peer emu = peers.get(0);
        Stats emuStats = Stats.of(times.get(emu));
        Stats plain = Stats.of(times.get(peers.get(1)));
        Report.Builder report = Report.of("cold-start", title).detail("runs", runs);
        if (motoMissing == null) {
            Peer moto = peers.get(2);
            Stats motoStats = Stats.of(times.get(moto));
            report.row(Row.against("ecs-emu (./ecs-emu: CDS archive) vs moto_server", "ms", emuStats, moto.label(), motoStats));
            report.row(Row.against("ecs-emu (java -jar, no CDS) vs moto_server", "ms", plain, moto.label(), motoStats));
        } else {
            report.row(Row.peerMissing("ecs-emu (./ecs-emu: CDS archive) vs moto_server", "ms", emuStats, "moto", motoMissing));
            report.row(Row.alone("ecs-emu (java -jar, no CDS)", "ms", plain));
        }
        report.target(TARGET, String.format(Locale.ROOT, "%.0f ms (./ecs-emu; %.0f ms without the CDS archive)",
                emuStats.median(), plain.median()), emuStats.median() < 1000);
        times.forEach((peer, values) -> report.detail(peer.name() + " ms", values));
        Summary.print(report.build().write(results));
    }
}
