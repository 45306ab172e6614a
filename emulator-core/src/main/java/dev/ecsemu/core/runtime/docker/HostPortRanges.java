package dev.ecsemu.core.runtime.docker;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks a contiguous range of free host ports for a {@code containerPortRange} in bridge mode, as the ECS
 * agent does: Docker itself only hands out single dynamic ports. Candidates come from the host's
 * ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}, else 49153-65535 like the agent)
 * and are checked by binding them briefly, which tells the truth for an engine on this host.
 */
final class HostPortRanges {
    private static final int FALLBACK_FIRST = 49153;
    private static final int FALLBACK_LAST = 65535;
    private static final int ATTEMPTS = 50;

    private HostPortRanges() {
    }

    /** The first port of {@code count} free contiguous ports, or -1 if none was found. */
    static int find(String hostIp, int count, boolean udp) {
        int[] range = ephemeralRange();
        int span = range[1] - range[0] + 1 - count;
        if (span <= 0) {
            return -1;
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int first = range[0] + ThreadLocalRandom.current().nextInt(span);
            if (allFree(hostIp, first, count, udp)) {
                return first;
            }
        }
        return -1;
    }

    private static boolean allFree(String hostIp, int first, int count, boolean udp) {
        for (int port = first; port < first + count; port++) {
            if (!free(hostIp, port, udp)) {
                return false;
            }
        }
        return true;
    }

    private static boolean free(String hostIp, int port, boolean udp) {
        try {
            InetAddress address = InetAddress.getByName(hostIp == null || hostIp.isBlank() ? "0.0.0.0" : hostIp);
            if (udp) {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.bind(new InetSocketAddress(address, port));
                }
            } else {
                try (ServerSocket s = new ServerSocket()) {
                    s.setReuseAddress(false);
                    s.bind(new InetSocketAddress(address, port));
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int[] ephemeralRange() {
        try {
            String[] parts = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), StandardCharsets.US_ASCII)
                    .trim().split("\\s+");
            int first = Integer.parseInt(parts[0]);
            int last = Integer.parseInt(parts[1]);
            if (first > 0 && last <= 65535 && first < last) {
                return new int[] {first, last};
            }
        } catch (IOException | RuntimeException e) {
            // fall back below
        }
        return new int[] {FALLBACK_FIRST, FALLBACK_LAST};
    }
}
