package dev.ecsemu.core.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;

/** A docker-java client of the tests' own, to look at (and act on) what the runtime did, from outside it. */
public final class TestDocker {
    private static DockerClient client;

    private TestDocker() {
    }

    /** One client per test JVM, for the engine named by DOCKER_HOST (default: the local socket). */
    public static synchronized DockerClient client() {
        if (client == null) {
            DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
            client = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost())
                    .sslConfig(config.getSSLConfig())
                    .connectionTimeout(Duration.ofSeconds(2))
                    .maxConnections(16)
                    .build());
        }
        return client;
    }
}
