package dev.ecsemu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.runtime.docker.DockerRuntime;
import dev.ecsemu.core.testing.RequiresDocker;
import dev.ecsemu.core.testing.TestImages;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs the AWS CLI example script against an in-process emulator, so the example cannot rot. */
class AwsCliExampleIT {

    @Test
    void clustersAndTaskDefinitionsScript() throws Exception {
        requireAwsCli();
        try (TestEmulator emu = TestEmulator.modelOnly()) {
            String output = script("clusters-and-task-definitions.sh", emu, 120, Map.of());

            String prefix = "arn:aws:ecs:us-east-1:000000000000:";
            assertThat(output)
                    .contains("demo\tACTIVE")
                    .contains(prefix + "task-definition/web:1")
                    .contains(prefix + "task-definition/web:2")
                    .contains(prefix + "task-definition/api:1\t512\t1024")
                    .contains(prefix + "cluster/demo")
                    .contains("api\tweb")
                    .contains("2\tplatform")
                    .contains("INACTIVE");
            String lastLine = output.strip().substring(output.strip().lastIndexOf('\n') + 1);
            assertThat(lastLine).isEqualTo(prefix + "task-definition/web:2");
        }
    }

    @Test
    void capacityProvidersScript() throws Exception {
        requireAwsCli();
        // 15 minutes before a scale-in x 0.002 = 1.8 s.
        try (TestEmulator emu = TestEmulator.modelOnly(EmulatorSettings.defaults().withTimeScale(new TimeScale(0.002)))) {
            String output = script("capacity-providers.sh", emu, 180, Map.of());
            assertThat(output)
                    .contains("web-asg\tACTIVE\tENABLED")
                    .contains("FARGATE\tFARGATE_SPOT\tweb-asg")
                    .contains("web-asg\t2\n".repeat(3))
                    .contains("instances: 0")
                    .containsPattern("3 FARGATE\n\s+6 FARGATE_SPOT")
                    .contains("\"stopCode\":\"SpotInterruption\"")
                    .contains("STOPPED\tSpotInterruption\tYour Spot Task was interrupted.");
        }
    }

    @Test
    @RequiresDocker
    void runATaskScriptRunsARealContainerWithTheWaiters() throws Exception {
        requireAwsCli();
        String image = TestImages.busybox();
        DockerRuntime docker = new DockerRuntime();
        try (TestEmulator emu = TestEmulator.with(docker)) {
            docker.firstCheck().get(20, TimeUnit.SECONDS);
            String output = script("run-a-task.sh", emu, 180, Map.of("ECS_EMU_EXAMPLE_IMAGE", image));
            assertThat(output)
                    .contains("i-0example\t2048\t")
                    .contains("task-definition/web:1")
                    .contains("hello from ecs-emu")
                    .contains("STOPPED\tUserInitiated\tTask stopped by user");
            assertThat(output.lines().filter(l -> l.equals("RUNNING")).count()).isEqualTo(1);
        }
    }

    @Test
    @RequiresDocker
    void fargateTaskScriptRunsAnAwsvpcTaskReachedAtItsOwnIp() throws Exception {
        requireAwsCli();
        String image = TestImages.busybox();
        DockerRuntime docker = new DockerRuntime();
        try (TestEmulator emu = TestEmulator.with(docker)) {
            docker.firstCheck().get(20, TimeUnit.SECONDS);
            String output = script("fargate-task.sh", emu, 180, Map.of("ECS_EMU_EXAMPLE_IMAGE", image));
            assertThat(output)
                    .contains("task-definition/hello-fargate:1\tFARGATE")
                    .contains("RUNNING\tFARGATE\t1.4.0\tElasticNetworkInterface\tATTACHED")
                    .containsPattern("networkInterfaceId\teni-[0-9a-f]{17}")
                    .contains("hello from fargate")
                    .contains("STOPPED\tUserInitiated\tDELETED");
        }
    }

    @Test
    @RequiresDocker
    void serviceRolloutScriptRollsOutANewRevisionAndTheWaitersSeeIt() throws Exception {
        requireAwsCli();
        String image = TestImages.busybox();
        DockerRuntime docker = new DockerRuntime();
        try (TestEmulator emu = TestEmulator.with(docker, EmulatorSettings.defaults().withTimeScale(new TimeScale(0.05)))) {
            docker.firstCheck().get(20, TimeUnit.SECONDS);
            String output = script("service-rollout.sh", emu, 240, Map.of("ECS_EMU_EXAMPLE_IMAGE", image));
            String revision2 = "arn:aws:ecs:us-east-1:000000000000:task-definition/shop:2";
            String afterRollout = output.substring(output.indexOf("== one deployment left"), output.indexOf("== the newest events"));
            assertThat(afterRollout.lines().skip(1).toList()).containsExactly("PRIMARY\tCOMPLETED\t" + revision2 + "\t3");
            assertThat(output)
                    .contains("3\tarn:aws:ecs:us-east-1:000000000000:task-definition/shop:1")
                    .containsPattern("\\(service shop\\) \\(deployment ecs-svc/\\d{19}\\) deployment completed\\.")
                    .contains("(service shop) has reached a steady state.")
                    .contains("INACTIVE\t0");
        }
    }

    @Test
    @RequiresDocker
    void ecrPushAndRunScriptPushesWithTheDockerCliAndRunsTheImageAsATask() throws Exception {
        requireAwsCli();
        String base = TestImages.busybox();
        DockerRuntime docker = new DockerRuntime();
        Path dockerConfig = java.nio.file.Files.createTempDirectory("docker-config-");
        try (TestEmulator emu = TestEmulator.with(docker)) {
            docker.firstCheck().get(20, TimeUnit.SECONDS);
            // docker login writes the password here, not into the user's own Docker configuration.
            String output = script("ecr-push-and-run.sh", emu, 240,
                    Map.of("ECS_EMU_EXAMPLE_IMAGE", base, "DOCKER_CONFIG", dockerConfig.toString()));
            String uri = emu.emulator().registryHost() + "/000000000000/us-east-1/demo/web";
            assertThat(output)
                    .contains(uri + "\n")
                    .contains("Login Succeeded")
                    .contains("v1\tapplication/vnd.")
                    .contains(uri + ":v1\n")
                    .contains("hello from an image pushed to ecs-emu")
                    .contains("== done");
            new ProcessBuilder("docker", "rmi", "-f", uri + ":v1").redirectErrorStream(true).start().waitFor();
        } finally {
            try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dockerConfig)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    @RequiresDocker
    void walkthroughScriptPushesTwoVersionsAndRollsTheServiceOutFromOneToTheOther() throws Exception {
        requireAwsCli();
        String base = TestImages.busybox();
        DockerRuntime docker = new DockerRuntime();
        Path dockerConfig = java.nio.file.Files.createTempDirectory("docker-config-");
        try (TestEmulator emu = TestEmulator.with(docker, EmulatorSettings.defaults().withTimeScale(new TimeScale(0.05)))) {
            docker.firstCheck().get(20, TimeUnit.SECONDS);
            emu.emulator().registerInstances("default", 2, "m5.large");
            String output = script("walkthrough.sh", emu, 240,
                    Map.of("ECS_EMU_EXAMPLE_IMAGE", base, "DOCKER_CONFIG", dockerConfig.toString()));
            String repo = emu.emulator().registryHost() + "/000000000000/us-east-1/walkthrough/web";
            String afterV1 = output.substring(output.indexOf("== 4."), output.indexOf("== 5."));
            String afterV2 = output.substring(output.indexOf("== 5."), output.indexOf("== 6."));
            assertThat(output).contains("default\tACTIVE\t2").contains("Login Succeeded").contains("pushed " + repo + ":v1")
                    .contains("== done");
            assertThat(afterV1).contains("the tasks answer:\n2 v1\n");
            assertThat(afterV2).contains("pushed " + repo + ":v2")
                    .contains("PRIMARY\tCOMPLETED\tarn:aws:ecs:us-east-1:000000000000:task-definition/walkthrough:2\t2")
                    .contains("the tasks answer:\n2 v2\n");
            for (String tag : new String[] {":v1", ":v2"}) {
                new ProcessBuilder("docker", "rmi", "-f", repo + tag).redirectErrorStream(true).start().waitFor();
            }
        } finally {
            try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dockerConfig)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The AWS CLI is a prerequisite of this example; under CI its absence is a failure, not a skip. */
    static void requireAwsCli() {
        boolean present = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            present |= new File(dir, "aws").canExecute();
        }
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but the AWS CLI (aws) is not on PATH");
        }
        Assumptions.assumeTrue(present, "the AWS CLI (aws) is not installed");
    }

    /**
     * Runs {@code aws-cli/<name>} against the emulator (ECS_EMU_ENDPOINT) with the extra environment,
     * echoes its output and answers it once it has exited 0 within {@code seconds}.
     */
    private static String script(String name, TestEmulator emu, int seconds, Map<String, String> environment) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("aws-cli", name).toString()).redirectErrorStream(true);
        pb.environment().put("ECS_EMU_ENDPOINT", emu.endpoint().toString());
        pb.environment().putAll(environment);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).isTrue();
        System.out.println(output);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}
