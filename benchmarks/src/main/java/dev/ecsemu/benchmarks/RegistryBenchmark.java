package dev.ecsemu.benchmarks;

import dev.ecsemu.api.Emulator;
import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.server.ServerOptions;
import dev.ecsemu.core.runtime.NoContainerRuntime;
import dev.ecsemu.core.state.Scope;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code docker push} and {@code docker pull} of a large multi-layer image against the emulator's
 * registry and against the reference registry (the Debian package docker-registry, i.e. distribution),
 * both on localhost over plain HTTP, alternating which goes first, after one uncounted warm-up run. Each
 * run starts with empty registries and no local copy of the image before its pulls, so every byte
 * really travels. The emulator requires {@code docker login} as ECR does; the reference runs without
 * authentication.
 *
 * <p>Usage: {@code RegistryBenchmark <base image> [runs] [megabytes] [results dir]}. Needs a Docker engine
 * and {@code docker-registry} on the PATH (Debian: apt-get install docker-registry).
 */
public final class RegistryBenchmark {
    private static final String ACCOUNT = "000000000000";
    private static final String REGION = "us-east-1";
    private static final int LAYERS = 4;

    private final Path dockerConfig;
    private final Path work;

    private RegistryBenchmark(Path work) throws IOException {
        this.work = work;
        this.dockerConfig = Files.createDirectories(work.resolve("docker-config"));
    }

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "ecs-emu-test/busybox:1";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int megabytes = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path results = Path.of(args.length > 3 ? args[3] : "benchmarks/results");
        try {
            Capabilities.requireDocker(base);
            if (!Capabilities.onPath("docker-registry")) {
                throw new Unavailable("no reference registry: docker-registry is not on the PATH (Debian: apt-get install docker-registry)");
            }
        } catch (Unavailable e) {
            Report.notAvailable("registry", title(megabytes), e.getMessage()).write(results);
            return;
        }
        Path work = Files.createTempDirectory("ecs-emu-registry-bench");
        try {
            new RegistryBenchmark(work).run(base, runs, megabytes, results);
        } finally {
            deleteRecursively(work);
        }
    }

    private void run(String base, int runs, int megabytes, Path results) throws Exception {
        String image = "ecs-emu-bench/registry:" + megabytes + "mb";
        build(base, image, megabytes);
        String version = cli("docker-registry", "--version").trim();
        List<Double> emuPush = new ArrayList<>();
        List<Double> emuPull = new ArrayList<>();
        List<Double> refPush = new ArrayList<>();
        List<Double> refPull = new ArrayList<>();
        Scope scope = new Scope(ACCOUNT, REGION);
        try (Emulator emulator = Emulator.start(ServerOptions.defaults().withPort(0), new NoContainerRuntime(),
                EmulatorSettings.defaults().withDataDir(work.resolve("emulator")))) {
            String password = emulator.registry().tokens().issue(ACCOUNT, REGION).password();
            cliWithInput(password, "docker", "--config", dockerConfig.toString(), "login", emulator.registryHost(), "--username", "AWS",
                    "--password-stdin");
            // The first run warms the emulator's JIT up (it is a long-running server) and is not counted.
            for (int run = -1; run < runs; run++) {
                emulator.reset();
                emulator.stores().of(scope).write(s -> s.repositories().create("bench", null, null, null));
                String emuRef = emulator.registryHost() + "/" + ACCOUNT + "/" + REGION + "/bench:v1";
                Process reference = startReferenceRegistry(run);
                try {
                    String refRef = "localhost:" + referencePort + "/bench:v1";
                    List<String> order = run % 2 == 0 ? List.of(emuRef, refRef) : List.of(refRef, emuRef);
                    for (String target : order) {
                        cli("docker", "tag", image, target);
                        double s = timed("docker", "--config", dockerConfig.toString(), "push", target);
                        if (run >= 0) {
                            (target.equals(emuRef) ? emuPush : refPush).add(s);
                        }
                    }
                    removeLocally(image);
                    for (String target : order) {
                        double s = timed("docker", "--config", dockerConfig.toString(), "pull", target);
                        if (run >= 0) {
                            (target.equals(emuRef) ? emuPull : refPull).add(s);
                        }
                        if (target.equals(order.get(1))) {
                            cli("docker", "tag", target, image);
                            cli("docker", "rmi", target); // only the tag: the image stays for the next run
                        } else {
                            removeLocally(target);
                        }
                    }
                    if (run >= 0) {
                        System.out.printf(Locale.ROOT, "run %d: ecs-emu push %.2f s pull %.2f s, docker-registry push %.2f s pull %.2f s%n",
                                run + 1, emuPush.get(run), emuPull.get(run), refPush.get(run), refPull.get(run));
                    }
                } finally {
                    reference.destroy();
                    reference.waitFor(10, TimeUnit.SECONDS);
                    deleteRecursively(work.resolve("docker-registry-" + run));
                }
            }
        }
        String reference = "docker-registry " + version.replaceAll(".* (v?[0-9][^ ]*).*", "$1");
        Summary.print(Report.of("registry", title(megabytes)).detail("runs", runs).detail("layers", LAYERS).detail("reference", version)
                .row(Row.against("docker push", "s", Stats.of(emuPush), reference, Stats.of(refPush)))
                .row(Row.against("docker pull", "s", Stats.of(emuPull), reference, Stats.of(refPull)))
                .detail("ecs-emu push s", emuPush).detail("reference push s", refPush)
                .detail("ecs-emu pull s", emuPull).detail("reference pull s", refPull)
                .build().write(results));
    }

    private static String title(int megabytes) {
        return "registry: docker push / pull of " + megabytes + " MB in " + LAYERS + " layers, vs the reference registry (s)";
    }

    /** Removes the image with every tag it has, so that the next pull transfers all of it. */
    private static void removeLocally(String image) throws IOException, InterruptedException {
        String id = cli("docker", "image", "inspect", "--format", "{{.Id}}", image).trim();
        cli("docker", "rmi", "--force", id);
        if (new ProcessBuilder("docker", "image", "inspect", id).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor() == 0) {
            throw new IllegalStateException("image " + id + " is still there after docker rmi: a pull would not transfer it");
        }
    }

    private int referencePort;

    /** distribution's own registry with a fresh storage directory, on a free localhost port. */
    private Process startReferenceRegistry(int run) throws IOException, InterruptedException {
        try (ServerSocket s = new ServerSocket(0)) {
            referencePort = s.getLocalPort();
        }
        Path root = Files.createDirectories(work.resolve("docker-registry-" + run));
        Path config = work.resolve("docker-registry-" + run + ".yml");
        Files.writeString(config, String.join("\n",
                "version: 0.1",
                "log:",
                "  level: error",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + root,
                "  delete:",
                "    enabled: true",
                "http:",
                "  addr: 127.0.0.1:" + referencePort,
                ""));
        Process p = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("docker-registry-" + run + ".log").toFile()).start();
        for (int i = 0; i < 200; i++) {
            try {
                HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + referencePort + "/v2/").openConnection();
                if (c.getResponseCode() == 200) {
                    return p;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new IllegalStateException("docker-registry did not start; its log: " + Files.readString(work.resolve("docker-registry-" + run
                + ".log")));
    }

    /** {@code megabytes} of random (incompressible) bytes in {@link #LAYERS} layers on top of {@code base}. */
    private void build(String base, String image, int megabytes) throws IOException, InterruptedException {
        if (new ProcessBuilder("docker", "image", "inspect", image).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor() == 0) {
            return;
        }
        Path context = Files.createDirectories(work.resolve("context"));
        StringBuilder dockerfile = new StringBuilder("FROM " + base + "\n");
        Random random = new Random(1);
        byte[] block = new byte[1024 * 1024];
        for (int i = 0; i < LAYERS; i++) {
            try (OutputStream out = Files.newOutputStream(context.resolve("layer-" + i + ".bin"))) {
                for (int mb = 0; mb < megabytes / LAYERS; mb++) {
                    random.nextBytes(block);
                    out.write(block);
                }
            }
            dockerfile.append("COPY layer-").append(i).append(".bin /data/\n");
        }
        Files.writeString(context.resolve("Dockerfile"), dockerfile);
        cli("docker", "build", "--quiet", "--tag", image, context.toString());
        deleteRecursively(context);
    }

    private static double timed(String... command) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        cli(command);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String cli(String... command) throws IOException, InterruptedException {
        return cliWithInput(null, command);
    }

    private static String cliWithInput(String stdin, String... command) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().put("DOCKER_BUILDKIT", "0");
        Process p = b.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
