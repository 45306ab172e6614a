package dev.ecsemu.api.testing;

import dev.ecsemu.api.Emulator;
import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.server.ServerOptions;
import dev.ecsemu.core.runtime.ContainerRuntime;
import dev.ecsemu.core.runtime.NoContainerRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * An emulator started in-process on a free port, with clients pointed at it: the real AWS SDK v2
 * {@link EcsClient} and {@link EcrClient}, and a raw HTTP client for bodies no SDK would send. Close it after the test.
 */
public final class TestEmulator implements AutoCloseable {
    private final Emulator emulator;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestEmulator(ContainerRuntime runtime) {
        this(runtime, EmulatorSettings.defaults());
    }

    private TestEmulator(ContainerRuntime runtime, EmulatorSettings settings) {
        this.emulator = Emulator.start(ServerOptions.defaults().withPort(0), runtime, settings);
    }

    /** An emulator with engine {@code none}: the control plane only. */
    public static TestEmulator modelOnly() {
        return new TestEmulator(new NoContainerRuntime());
    }

    /** An emulator with engine {@code none} and the given settings (clock, instance addresses, ...). */
    public static TestEmulator modelOnly(EmulatorSettings settings) {
        return new TestEmulator(new NoContainerRuntime(), settings);
    }

    public static TestEmulator with(ContainerRuntime runtime) {
        return new TestEmulator(runtime);
    }

    /** An emulator on the given runtime with the given settings (time scale, clock, ...). */
    public static TestEmulator with(ContainerRuntime runtime, EmulatorSettings settings) {
        return new TestEmulator(runtime, settings);
    }

    public Emulator emulator() {
        return emulator;
    }

    public URI endpoint() {
        return emulator.endpoint();
    }

    /** An ECS client in the default account and {@code us-east-1}. */
    public EcsClient ecs() {
        return ecs("AKIAIOSFODNN7EXAMPLE", Region.US_EAST_1);
    }

    /** An ECS client whose access key (12 digits selects that account) and region are given. */
    public EcsClient ecs(String accessKeyId, Region region) {
        return pointedHere(EcsClient.builder(), accessKeyId, region).build();
    }

    /** An ECR client in the default account and {@code us-east-1}. */
    public EcrClient ecr() {
        return ecr("AKIAIOSFODNN7EXAMPLE", Region.US_EAST_1);
    }

    /** An ECR client whose access key (12 digits selects that account) and region are given. */
    public EcrClient ecr(String accessKeyId, Region region) {
        return pointedHere(EcrClient.builder(), accessKeyId, region).build();
    }

    /** A client builder aimed at this emulator, with the given access key and region. */
    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B pointedHere(B builder, String accessKeyId, Region region) {
        return builder.endpointOverride(endpoint())
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "secret")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).apiCallTimeout(Duration.ofSeconds(30)));
    }

    /** A raw AWS JSON 1.1 call: POST / with the given X-Amz-Target and body. */
    public HttpResponse<String> post(String target, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(30))
                .build();
        return send(request);
    }

    public HttpResponse<String> post(String target, String body) {
        return post(target, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(endpoint().resolve(path)).GET().timeout(Duration.ofSeconds(30)).build());
    }

    public HttpResponse<String> postEmpty(String path) {
        return send(HttpRequest.newBuilder(endpoint().resolve(path)).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        emulator.close();
    }
}
