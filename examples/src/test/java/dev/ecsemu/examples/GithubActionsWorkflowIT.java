package dev.ecsemu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ecsemu.core.testing.RequiresDocker;
import dev.ecsemu.core.testing.TestImages;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The GitHub Actions example, run here as the runner would run it: its {@code run} steps in order with bash -eo
 * pipefail and the workflow's env, in a workspace where ecs-emu/ is this checkout. Only the port (a free one, so
 * that the test never meets another emulator) and the task image (one built locally) differ. The steps that start
 * ecs-emu are also the ones the README shows.
 */
class GithubActionsWorkflowIT {
    private static final Path WORKFLOW = Path.of("github-actions", "ecs-emu.yml");

    @Test
    void theWorkflowParsesAndItsStartStepIsTheOneTheReadmeShows() throws Exception {
        JsonNode workflow = new ObjectMapper(new YAMLFactory()).readTree(WORKFLOW.toFile());
        assertThat(workflow.path("on").has("push")).isTrue();
        JsonNode steps = workflow.path("jobs").path("integration").path("steps");
        assertThat(steps.isArray()).isTrue();
        String start = runOf(steps, "Start ecs-emu");
        assertThat(start).contains("ecs-emu/ecs-emu start --instances 2 --time-scale 0.05");
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String line : start.strip().split("\n")) {
            assertThat(readme).as("README shows the workflow's start step").contains(line.strip());
        }
        assertThat(readme).contains("examples/github-actions/ecs-emu.yml");
    }

    @Test
    @RequiresDocker
    void theWorkflowsStepsRunGreen() throws Exception {
        AwsCliExampleIT.requireAwsCli();
        JsonNode workflow = new ObjectMapper(new YAMLFactory()).readTree(WORKFLOW.toFile());
        Path workspace = Files.createTempDirectory("gha-workspace-");
        Files.createSymbolicLink(workspace.resolve("ecs-emu"), Path.of("..").toAbsolutePath().normalize());
        Path dockerConfig = Files.createDirectories(workspace.resolve("docker-config"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>();
        workflow.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        env.put("ECS_EMU_ENDPOINT", "http://127.0.0.1:" + port);
        env.put("ECS_EMU_PORT", Integer.toString(port));
        env.put("ECS_EMU_EXAMPLE_IMAGE", TestImages.busybox());
        env.put("DOCKER_CONFIG", dockerConfig.toString());

        List<String> failed = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        try {
            for (JsonNode step : workflow.path("jobs").path("integration").path("steps")) {
                if (!step.has("run") || (!failed.isEmpty() && !"always()".equals(step.path("if").asText()))) {
                    continue;
                }
                ProcessBuilder pb = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step.get("run").asText())
                        .directory(workspace.toFile()).redirectErrorStream(true);
                pb.environment().putAll(env);
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
                log.append("== step ").append(step.path("name").asText("?")).append(" (exit ").append(p.exitValue()).append(")\n").append(out);
                if (p.exitValue() != 0) {
                    failed.add(step.path("name").asText());
                }
            }
            System.out.println(log);
            assertThat(failed).as(log.toString()).isEmpty();
            assertThat(log).contains("\"status\":\"running\"").contains("PRIMARY\tCOMPLETED").contains("the tasks answer:\n2 v2\n")
                    .contains("ecs-emu stopping");
        } finally {
            String registry = "localhost:" + port + "/000000000000/us-east-1/walkthrough/web";
            new ProcessBuilder("docker", "rmi", "-f", registry + ":v1", registry + ":v2").redirectErrorStream(true).start().waitFor();
            try (java.util.stream.Stream<Path> walk = Files.walk(workspace)) {
                walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static String runOf(JsonNode steps, String name) {
        for (JsonNode step : steps) {
            if (name.equals(step.path("name").asText())) {
                return step.path("run").asText();
            }
        }
        throw new AssertionError("no step named " + name);
    }
}
