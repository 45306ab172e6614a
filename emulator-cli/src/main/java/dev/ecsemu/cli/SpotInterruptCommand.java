package dev.ecsemu.cli;

import dev.ecsemu.api.server.ServerOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ecs-emu spot-interrupt TASK_ARN...}: asks a running emulator to interrupt FARGATE_SPOT tasks as
 * AWS does when it takes the capacity back (its {@code POST /_ecs-emu/spot-interruption}).
 */
@Command(name = "spot-interrupt", mixinStandardHelpOptions = true,
        description = "Interrupts FARGATE_SPOT tasks of a running emulator as AWS would: stopCode SpotInterruption, SIGTERM now,"
                + " SIGKILL after the two-minute warning (x its --time-scale); a service replaces them.")
final class SpotInterruptCommand implements Callable<Integer> {
    @Option(names = "--endpoint", defaultValue = "${env:ECS_EMU_ENDPOINT:-http://127.0.0.1:" + ServerOptions.DEFAULT_PORT + "}",
            description = "The emulator's endpoint (ECS_EMU_ENDPOINT). Default: ${DEFAULT-VALUE}.")
    URI endpoint;

    @Parameters(arity = "1..*", paramLabel = "TASK_ARN", description = "Full ARNs of the FARGATE_SPOT tasks to interrupt.")
    List<String> tasks;

    @Override
    public Integer call() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int failures = 0;
        for (String task : tasks) {
            HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/_ecs-emu/spot-interruption"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"taskArn\":\"" + task.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}"))
                    .timeout(Duration.ofSeconds(30))
                    .build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    System.out.println(response.body());
                } else {
                    System.err.println(task + ": " + response.statusCode() + " " + response.body());
                    failures++;
                }
            } catch (IOException e) {
                System.err.println("Cannot reach ecs-emu at " + endpoint + ": " + e.getMessage());
                return 2;
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
