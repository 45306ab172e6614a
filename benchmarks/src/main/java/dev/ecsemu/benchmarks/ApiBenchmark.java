package dev.ecsemu.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * API throughput and latency: wrk repeats one call on 1, 16 and 64 keep-alive connections against
 * ecs-emu (engine none, started as {@code ./ecs-emu} starts it) and moto_server, both running with the
 * same world (a cluster, 4 container instances, 100 tasks): DescribeClusters, DescribeTasks of the 100
 * tasks, ListTasks (100 ARNs), RegisterTaskDefinition (a new revision each call). Each cell is a second
 * of warm-up on each server, then measured windows taking turns between them; every figure is the
 * median of the windows. Every answer must be a 200 (wrk counts the others); one call of each kind is
 * checked for content first. The calibration rows are wrk against a server answering fixed bytes.
 *
 * <p>Usage: {@code ApiBenchmark [windows] [seconds per window] [results dir]}.
 */
public final class ApiBenchmark {
    private static final int[] CONNECTIONS = {1, 16, 64};
    private static final int WARMUP_SECONDS = 1;
    private static final int TASKS = 100;
    private static final String LATENCY_TARGET = "API p99 < 2 ms at 16 connections";
    private static final String THROUGHPUT_TARGET = "API throughput >= 20x moto's at 16 connections";

    /** One measured call: its body (from the world's task ARNs) and how to recognise a right answer. */
    private record Operation(String name, String label, Function<List<String>, String> body, Predicate<JsonNode> right) {
    }

    private static final List<Operation> OPERATIONS = List.of(
            new Operation("DescribeClusters", "DescribeClusters", arns -> "{\"clusters\":[\"" + Fixture.CLUSTER + "\"]}",
                    a -> a.path("clusters").size() == 1),
            new Operation("DescribeTasks", "DescribeTasks (100 tasks)", arns -> {
                StringBuilder b = new StringBuilder("{\"cluster\":\"" + Fixture.CLUSTER + "\",\"tasks\":[");
                for (int i = 0; i < arns.size(); i++) {
                    b.append(i == 0 ? "\"" : ",\"").append(arns.get(i)).append('"');
                }
                return b.append("]}").toString();
            }, a -> a.path("tasks").size() == TASKS && a.path("failures").size() == 0),
            new Operation("ListTasks", "ListTasks (100 ARNs)", arns -> "{\"cluster\":\"" + Fixture.CLUSTER + "\"}",
                    a -> a.path("taskArns").size() == TASKS),
            new Operation("RegisterTaskDefinition", "RegisterTaskDefinition", arns -> Fixture.taskDefinition("load"),
                    a -> a.path("taskDefinition").path("revision").asInt() > 0));

    /** A server under load, with its world's request bodies. */
    private record Server(Peer peer, ServerProcess process, Map<String, Path> bodies) {
    }

    /** The windows of one server in one cell. */
    private static final class Cell {
        final List<Double> perSecond = new ArrayList<>();
        final List<Double> p50 = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> serverCores = new ArrayList<>();
        final List<Double> wrkCores = new ArrayList<>();
        long requests;
        long nonSuccess;
        long socketErrors;

        void add(Wrk.Result r, double serverCpuSeconds) {
            perSecond.add(r.perSecond());
            p50.add(r.p50Ms());
            p99.add(r.p99Ms());
            serverCores.add(serverCpuSeconds / r.seconds());
            wrkCores.add(r.wrkCpuSeconds() / r.seconds());
            requests += r.requests();
            nonSuccess += r.nonSuccess();
            socketErrors += r.socketErrors();
        }

        String note() {
            String errors = nonSuccess + socketErrors == 0 ? "" : String.format(Locale.ROOT, "; %d NOT 200, %d socket errors!", nonSuccess,
                    socketErrors);
            return String.format(Locale.ROOT, "(p50 %s, p99 %s ms%s)", Summary.number(Stats.median(p50)), Summary.stats(Stats.of(p99), "")
                    .trim(), errors);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requestsPerSecond", Stats.of(perSecond));
            m.put("p50Ms", Stats.of(p50));
            m.put("p99Ms", Stats.of(p99));
            m.put("serverCpuCores", Stats.of(serverCores));
            m.put("loadGeneratorCpuCores", Stats.of(wrkCores));
            m.put("requests", requests);
            m.put("non200", nonSuccess);
            m.put("socketErrors", socketErrors);
            return m;
        }
    }

    public static void main(String[] args) throws Exception {
        int windows = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path results = Path.of(args.length > 2 ? args[2] : "benchmarks/results");
        String title = "API: requests/s on N keep-alive connections (wrk, one thread), latency p50/p99";
        Path work = Files.createTempDirectory("api-bench");
        List<Server> servers = new ArrayList<>();
        try {
            Wrk wrk;
            try {
                wrk = Wrk.find(work);
                servers.add(start(Peer.ecsEmu(), work));
            } catch (Unavailable e) {
                Report.notAvailable("api", title, e.getMessage(), LATENCY_TARGET, THROUGHPUT_TARGET).write(results);
                return;
            }
            String motoMissing = null;
            try {
                servers.add(start(Peer.moto(), work));
            } catch (Unavailable e) {
                motoMissing = e.getMessage();
            }
            Report.Builder report = Report.of("api", title).detail("windows", windows).detail("secondsPerWindow", seconds);
            calibrate(report, wrk, servers.get(0), windows, seconds);

            // The emulator is a long-running server: let the JIT see every operation before anything counts.
            for (Operation op : OPERATIONS) {
                for (Server s : servers) {
                    load(wrk, s, op, 16, s.peer().isMoto() ? WARMUP_SECONDS : 2 * WARMUP_SECONDS);
                }
            }

            Map<String, Object> cells = new LinkedHashMap<>();
            for (Operation op : OPERATIONS) {
                for (int connections : CONNECTIONS) {
                    Map<Server, Cell> cell = measure(wrk, servers, op, connections, windows, seconds);
                    Cell e = cell.get(servers.get(0));
                    String figure = op.label() + ", " + connections + " conn";
                    Row row = servers.size() > 1
                            ? Row.against(figure, "req/s", Stats.of(e.perSecond), servers.get(1).peer().label(),
                                    Stats.of(cell.get(servers.get(1)).perSecond)).withNotes(e.note(), cell.get(servers.get(1)).note())
                            : Row.peerMissing(figure, "req/s", Stats.of(e.perSecond), "moto", motoMissing).withNotes(e.note(), null);
                    report.row(row);
                    System.out.println("   " + figure + ": ecs-emu " + Summary.stats(row.ecsEmu(), "req/s") + " " + e.note()
                            + (row.peerValue() == null ? "" : ", moto " + Summary.stats(row.peerValue(), "req/s") + " " + row.peerNote()));
                    Map<String, Object> json = new LinkedHashMap<>();
                    cell.forEach((s, c) -> json.put(s.peer().name(), c.json()));
                    cells.put(op.name() + " x" + connections, json);
                    if (connections == 16) {
                        double p99 = Stats.median(e.p99);
                        report.target(LATENCY_TARGET + ", " + op.label(), Summary.number(p99) + " ms",
                                p99 < 2 && e.nonSuccess + e.socketErrors == 0);
                        report.target(THROUGHPUT_TARGET + ", " + op.label(), row.ratio() == null
                                ? "not available: " + motoMissing
                                : String.format(Locale.ROOT, "%sx (%s vs %s req/s)", Summary.number(row.ratio()),
                                        Summary.number(row.ecsEmu().median()), Summary.number(row.peerValue().median())),
                                row.ratio() == null ? null : row.ratio() >= 20);
                    }
                }
            }
            report.detail("cells", cells);
            Summary.print(report.build().write(results));
        } finally {
            for (Server s : servers) {
                s.process().close();
            }
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp dir left behind is harmless
            }
        }
    }

    /** Starts the server, builds the world, checks one answer of each operation and writes the request bodies. */
    private static Server start(Peer peer, Path work) throws IOException, InterruptedException {
        Path log = work.resolve(peer.name() + ".log");
        ServerProcess process = ServerProcess.launch(peer, log);
        Map<String, Path> bodies = new LinkedHashMap<>();
        try (EcsHttp http = new EcsHttp(process.port())) {
            process.awaitReady(log);
            Fixture.clusterAndTaskDefinition(http);
            List<String> arns = Fixture.runTasks(peer, http, 4, TASKS);
            for (Operation op : OPERATIONS) {
                String body = op.body().apply(arns);
                JsonNode answer = http.call(op.name(), body);
                if (!op.right().test(answer)) {
                    throw new IllegalStateException(peer.name() + " " + op.name() + " answered unexpectedly: " + answer);
                }
                Path file = work.resolve(peer.name() + "-" + op.name() + ".json");
                Files.writeString(file, body);
                bodies.put(op.name(), file);
            }
            return new Server(peer, process, Map.copyOf(bodies));
        } catch (RuntimeException | IOException | InterruptedException e) {
            process.close();
            throw e;
        }
    }

    /** The load generator against a server that does no work: the most this machine's loopback HTTP gives with wrk. */
    private static void calibrate(Report.Builder report, Wrk wrk, Server emu, int windows, int seconds) throws Exception {
        Path body = emu.bodies().get("DescribeClusters");
        byte[] answer;
        try (EcsHttp http = new EcsHttp(emu.process().port())) {
            answer = Report.JSON.writeValueAsBytes(http.call("DescribeClusters", Files.readString(body)));
        }
        try (ConstantServer constant = new ConstantServer(answer)) {
            for (int connections : CONNECTIONS) {
                wrk.run(constant.port(), "DescribeClusters", body, connections, WARMUP_SECONDS);
                List<Double> perSecond = new ArrayList<>();
                for (int w = 0; w < windows; w++) {
                    perSecond.add(wrk.run(constant.port(), "DescribeClusters", body, connections, seconds).perSecond());
                }
                report.row(Row.alone("calibration: wrk vs fixed answer, " + connections + " conn", "req/s", Stats.of(perSecond)));
            }
        }
    }

    /** One cell: a warm-up on each server, then the windows, taking turns. */
    private static Map<Server, Cell> measure(Wrk wrk, List<Server> servers, Operation op, int connections, int windows, int seconds)
            throws IOException, InterruptedException {
        Map<Server, Cell> cell = new LinkedHashMap<>();
        for (Server s : servers) {
            cell.put(s, new Cell());
            load(wrk, s, op, connections, WARMUP_SECONDS);
        }
        for (int w = 0; w < windows; w++) {
            for (int i = 0; i < servers.size(); i++) {
                Server s = servers.get((w + i) % servers.size());
                double cpu0 = s.process().cpuSeconds();
                Wrk.Result r = load(wrk, s, op, connections, seconds);
                cell.get(s).add(r, s.process().cpuSeconds() - cpu0);
            }
        }
        return cell;
    }

    /** Waits for the server to be quiet, then runs wrk against it. */
    private static Wrk.Result load(Wrk wrk, Server s, Operation op, int connections, int seconds) throws IOException, InterruptedException {
        s.process().awaitQuiet();
        return wrk.run(s.process().port(), op.name(), s.bodies().get(op.name()), connections, seconds);
    }
}
