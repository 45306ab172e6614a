package dev.ecsemu.core.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which ids this process's container may have; the engine confirms one or none. */
class OwnContainerTest {
    private static final String ID = "3f4e1c2b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";

    @Test
    void theHostnameMountNamesTheContainerId() {
        List<String> mountInfo = List.of(
                "600 590 0:52 / / rw,relatime master:300 - overlay overlay rw",
                "613 600 254:1 /var/lib/docker/containers/" + ID + "/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda1 rw",
                "614 600 254:1 /var/lib/docker/containers/" + ID + "/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw");

        assertThat(OwnContainer.candidateIds(mountInfo, ID.substring(0, 12))).containsExactly(ID);
    }

    @Test
    void aHostnameThatLooksLikeAShortIdIsTheFallbackAndAnyOtherIsNoCandidate() {
        assertThat(OwnContainer.candidateIds(List.of("1 0 0:1 / / rw - overlay overlay rw"), "0123456789ab"))
                .containsExactly("0123456789ab");
        assertThat(OwnContainer.candidateIds(List.of(), "build-host-7")).isEmpty();
        assertThat(OwnContainer.candidateIds(List.of(), null)).isEmpty();
    }
}
