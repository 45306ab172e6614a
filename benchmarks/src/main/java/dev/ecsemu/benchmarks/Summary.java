package dev.ecsemu.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one table: every benchmark's rows, then the targets, from the reports this run wrote; also
 * writes {@code latest.json} with all of them. A report that is missing or older than the run (its
 * benchmark failed) shows as not measured.
 *
 * <p>Usage: {@code Summary <results dir> <run start, epoch ms> <benchmark>...}.
 */
public final class Summary {
    private static final String[] HEADER = {"figure", "ecs-emu: median [min-max]", "peer", "peer: median [min-max]", "ecs-emu/peer"};

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long runStart = Long.parseLong(args[1]);
        List<Report> reports = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            Path file = dir.resolve(args[i] + ".json");
            if (Files.exists(file) && Files.getLastModifiedTime(file).toMillis() >= runStart) {
                reports.add(Report.read(file));
            } else {
                reports.add(Report.notAvailable(args[i], args[i], "not measured in this run: the benchmark failed (see its output above)"));
            }
        }
        System.out.println();
        System.out.print(table(reports));
        Map<String, Object> latest = new LinkedHashMap<>();
        latest.put("measuredAt", Instant.now().toString());
        latest.put("machine", machine());
        latest.put("targets", reports.stream().flatMap(r -> r.targets().stream()).toList());
        latest.put("reports", reports);
        Report.JSON.writeValue(dir.resolve("latest.json").toFile(), latest);
        System.out.println("written: " + dir.resolve("latest.json"));
    }

    /** Prints one report's part of the table, as its benchmark finishes. */
    static void print(Path reportFile) throws IOException {
        System.out.print(table(List.of(Report.read(reportFile))));
    }

    /** Each report is a section of the table with its own column widths, then the targets of all. */
    static String table(List<Report> reports) {
        StringBuilder out = new StringBuilder();
        for (Report r : reports) {
            out.append("== ").append(r.title()).append('\n');
            if (r.notAvailable() != null) {
                out.append("   not available: ").append(r.notAvailable()).append('\n');
                continue;
            }
            List<String[]> cells = r.rows().stream().map(Summary::cells).toList();
            int[] width = new int[HEADER.length];
            for (String[] line : cells) {
                for (int i = 0; i < line.length; i++) {
                    width[i] = Math.max(width[i], Math.max(line[i].length(), HEADER[i].length()));
                }
            }
            line(out, width, HEADER);
            cells.forEach(line -> line(out, width, line));
        }
        List<Target> targets = reports.stream().flatMap(r -> r.targets().stream()).toList();
        if (!targets.isEmpty()) {
            out.append("== targets\n");
            for (Target t : targets) {
                String verdict = t.met() == null ? "n/a" : t.met() ? "met" : "MISSED";
                out.append(String.format(Locale.ROOT, "   %-7s %s: %s%n", verdict, t.target(), t.measured()));
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, int[] width, String[] cells) {
        out.append("  ");
        for (int i = 0; i < cells.length; i++) {
            out.append(' ').append(cells[i]).append(" ".repeat(width[i] - cells[i].length())).append(' ');
        }
        out.setLength(out.length() - 1);
        while (out.charAt(out.length() - 1) == ' ') {
            out.setLength(out.length() - 1);
        }
        out.append('\n');
    }

    private static String[] cells(Row row) {
        String emu = stats(row.ecsEmu(), row.unit()) + (row.ecsEmuNote() == null ? "" : " " + row.ecsEmuNote());
        String peer = row.peer() == null ? "" : row.peer();
        String peerValue = row.peerValue() == null ? "" : stats(row.peerValue(), row.unit());
        if (row.peerNote() != null) {
            peerValue = (peerValue + " " + row.peerNote()).trim();
        }
        String ratio = row.ratio() == null ? "" : number(row.ratio());
        return new String[] {row.figure(), emu, peer, peerValue, ratio};
    }

    static String stats(Stats s, String unit) {
        String range = s.runs() > 1 ? " [" + number(s.min()) + "-" + number(s.max()) + "]" : "";
        return number(s.median()) + range + " " + unit;
    }

    /** Three significant digits or so: 41,230 / 412 / 41.2 / 4.12 / 0.41. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    m.put("memoryMegabytes", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux: the rest still says enough
        }
        return m;
    }
}
