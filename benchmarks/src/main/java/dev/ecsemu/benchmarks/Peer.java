package dev.ecsemu.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * A server measured as its own process: ecs-emu started from its runnable jar (with the class data
 * sharing archive the {@code ./ecs-emu} launcher uses, or without), or moto's {@code moto_server}.
 */
public final class Peer {
    private final String name;
    private final String version;
    private final List<String> launcher;
    private final boolean moto;

    private Peer(String name, String version, List<String> launcher, boolean moto) {
        this.name = name;
        this.version = version;
        this.launcher = launcher;
        this.moto = moto;
    }

    /** {@code ECS_EMU_JAR} or emulator-cli/target/ecs-emu.jar, without a class data sharing archive. */
    public static Peer ecsEmuPlain() throws Unavailable {
        return new Peer("ecs-emu (java -jar)", dev.ecsemu.api.Emulator.version(), List.of("java", "-jar", jar().toString()), false);
    }

    /**
     * As {@code ./ecs-emu} starts it: with a dynamic class data sharing archive (benchmarks/target/ecs-emu.jsa),
     * written first by a training run that answers a few calls when the archive is missing or older than the jar.
     */
    public static Peer ecsEmu() throws Unavailable, IOException, InterruptedException {
        Path jar = jar();
        Path archive = Path.of("benchmarks/target/ecs-emu.jsa").toAbsolutePath();
        if (!Files.exists(archive) || Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) < 0) {
            Files.deleteIfExists(archive);
            Peer training = new Peer("ecs-emu (CDS training run)", "", List.of("java", "-XX:ArchiveClassesAtExit=" + archive,
                    "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", jar.toString()), false);
            Path log = Files.createTempFile("ecs-emu-cds", ".log");
            try (ServerProcess server = ServerProcess.launch(training, log)) {
                server.awaitReady(log);
                try (EcsHttp ecs = new EcsHttp(server.port())) {
                    ecs.call("CreateCluster", "{\"clusterName\":\"cds\"}");
                    ecs.call("DescribeClusters", "{\"clusters\":[\"cds\"]}");
                }
            }
            Files.deleteIfExists(log);
            if (!Files.exists(archive)) {
                throw new IllegalStateException("the JVM wrote no class data sharing archive at " + archive);
            }
        }
        return new Peer("ecs-emu", dev.ecsemu.api.Emulator.version(), List.of("java", "-XX:SharedArchiveFile=" + archive,
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", jar.toString()), false);
    }

    /** {@code MOTO_SERVER}, else moto_server on the PATH (run.sh resolves a pyenv shim to the real script). */
    public static Peer moto() throws Unavailable {
        String configured = System.getenv("MOTO_SERVER");
        Path script = configured != null && !configured.isBlank() ? Path.of(configured) : onPath("moto_server");
        if (script == null || !Files.isExecutable(script)) {
            throw new Unavailable("moto_server not found (pip install 'moto[server]')");
        }
        return new Peer("moto", motoVersion(script), List.of(script.toString()), true);
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    /** The name and version for tables, e.g. "moto 5.2.1". */
    public String label() {
        return version.isEmpty() ? name : name + " " + version;
    }

    public boolean isMoto() {
        return moto;
    }

    List<String> command(int port, List<String> jvmOptions) {
        List<String> command = new ArrayList<>(launcher);
        if (moto) {
            command.addAll(List.of("-p", String.valueOf(port)));
        } else {
            command.addAll(1, jvmOptions);
            String extra = System.getenv("BENCH_EMULATOR_JAVA_OPTS");
            if (extra != null && !extra.isBlank()) {
                command.addAll(1, Arrays.asList(extra.trim().split("\\s+")));
            }
            command.addAll(List.of("start", "--port", String.valueOf(port), "--engine", "none"));
        }
        return command;
    }

    /**
     * EC2 instance ids to register as container instances: moto registers only instances its own EC2
     * knows (so it runs them first); ecs-emu takes the id from the identity document as ECS does.
     */
    List<String> ec2InstanceIds(EcsHttp http, int count, String instanceType) {
        if (moto) {
            return http.runEc2Instances(count, instanceType);
        }
        return IntStream.range(0, count).mapToObj(i -> String.format(Locale.ROOT, "i-%017x", 0xbe7c000L + i)).toList();
    }

    private static Path jar() throws Unavailable {
        Path jar = Path.of(System.getenv().getOrDefault("ECS_EMU_JAR", "emulator-cli/target/ecs-emu.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new Unavailable("no " + jar + " (./mvnw -DskipTests -pl emulator-cli -am package)");
        }
        return jar;
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The version of the moto the script's own interpreter imports (its #! line names it). */
    private static String motoVersion(Path script) {
        try {
            String shebang = Files.readAllLines(script, StandardCharsets.UTF_8).get(0);
            if (!shebang.startsWith("#!")) {
                return "";
            }
            List<String> command = new ArrayList<>(Arrays.asList(shebang.substring(2).trim().split("\\s+")));
            command.addAll(List.of("-c", "import moto; print(moto.__version__)"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 && out.matches("[0-9][0-9A-Za-z.+-]*") ? out : "";
        } catch (IOException | RuntimeException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
