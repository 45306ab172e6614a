package dev.ecsemu.core.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container this process runs in, as the Docker engine it drives sees it. When the emulator runs in a
 * container and drives the host's engine through a mounted socket, the engine pulls task images from the
 * registry at the host port the emulator's port is published on, which only the engine knows (Testcontainers
 * picks it at random). A file saying "I am in a container" proves nothing (a CI machine may itself be one,
 * on another engine), so the candidate id is looked up on the engine, and only an answer from it counts.
 */
public final class OwnContainer {
    private static final Logger LOG = LoggerFactory.getLogger(OwnContainer.class);
    /** Docker bind-mounts /etc/hostname from /var/lib/docker/containers/ID/hostname. */
    private static final Pattern MOUNTED_HOSTNAME = Pattern.compile("/containers/([0-9a-f]{64})/hostname\\s");
    private static final Pattern SHORT_ID = Pattern.compile("[0-9a-f]{12}");

    private OwnContainer() {
    }

    /**
     * The host port the engine at DOCKER_HOST publishes this process's container's {@code containerPort/tcp}
     * on; empty when this process is not in a container of that engine or the port is not published.
     */
    public static Optional<Integer> publishedPort(int containerPort) {
        if (candidateIds(readMountInfo(), System.getenv("HOSTNAME")).isEmpty()) {
            return Optional.empty();
        }
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        try (DockerClient client = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(2)).responseTimeout(Duration.ofSeconds(10)).build())) {
            return find(client).flatMap(container -> publishedPort(container, containerPort));
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot ask the engine about this process's container: {}", e.toString());
        }
        return Optional.empty();
    }

    /** This process's container as the engine {@code client} talks to sees it; empty when it is not in one of that engine. */
    static Optional<InspectContainerResponse> find(DockerClient client) {
        for (String id : candidateIds(readMountInfo(), System.getenv("HOSTNAME"))) {
            try {
                return Optional.of(client.inspectContainerCmd(id).exec());
            } catch (RuntimeException notThere) {
                LOG.debug("container {} is not on this engine: {}", id, DockerErrors.message(notThere));
            }
        }
        return Optional.empty();
    }

    /** The ids this process's container may have: from the hostname mount first, then a hostname that looks like one. */
    static List<String> candidateIds(List<String> mountInfo, String hostname) {
        List<String> ids = new ArrayList<>();
        for (String line : mountInfo) {
            if (line.contains(" /etc/hostname ")) {
                Matcher m = MOUNTED_HOSTNAME.matcher(line);
                if (m.find()) {
                    ids.add(m.group(1));
                }
            }
        }
        if (hostname != null && SHORT_ID.matcher(hostname).matches() && ids.stream().noneMatch(id -> id.startsWith(hostname))) {
            ids.add(hostname);
        }
        return ids;
    }

    static Optional<Integer> publishedPort(InspectContainerResponse container, int containerPort) {
        if (container.getNetworkSettings() == null || container.getNetworkSettings().getPorts() == null) {
            return Optional.empty();
        }
        Map<ExposedPort, Ports.Binding[]> bindings = container.getNetworkSettings().getPorts().getBindings();
        Ports.Binding[] found = bindings.get(ExposedPort.tcp(containerPort));
        if (found == null) {
            return Optional.empty();
        }
        for (Ports.Binding b : found) {
            if (b != null && b.getHostPortSpec() != null && b.getHostPortSpec().matches("\\d+")) {
                return Optional.of(Integer.valueOf(b.getHostPortSpec()));
            }
        }
        return Optional.empty();
    }

    private static List<String> readMountInfo() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
