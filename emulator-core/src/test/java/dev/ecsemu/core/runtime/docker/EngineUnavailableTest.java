package dev.ecsemu.core.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the engine's status says when no engine answers: the image run without --group-add or without the socket. */
class EngineUnavailableTest {

    @Test
    void aSocketThisUserMayNotOpenAsksForItsGroup() {
        assertThat(DockerRuntime.unavailable("unix:///var/run/docker.sock", "Permission denied"))
                .startsWith("no Docker engine answers at unix:///var/run/docker.sock (Permission denied).")
                .contains("--group-add \"$(stat -c %g /var/run/docker.sock)\"")
                .doesNotContain("Start Docker");
    }

    @Test
    void aMissingSocketAsksToStartDockerOrMountTheSocket() {
        assertThat(DockerRuntime.unavailable("unix:///var/run/docker.sock", "No such file or directory"))
                .contains("Start Docker", "-v /var/run/docker.sock:/var/run/docker.sock")
                .endsWith("tasks fail until one answers.");
    }

    @Test
    void anotherEngineAsksToStartDocker() {
        assertThat(DockerRuntime.unavailable("tcp://10.0.0.1:2375", "Connection refused"))
                .isEqualTo("no Docker engine answers at tcp://10.0.0.1:2375 (Connection refused). Start Docker, or set DOCKER_HOST"
                        + " to an engine that runs; tasks fail until one answers.");
    }
}
