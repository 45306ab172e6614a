package dev.ecsemu.core.containerinstance;

import java.util.Set;

/** What one task takes of a container instance: CPU units, MiB, and the fixed host ports it binds. */
public record Reservation(int cpu, int memory, Set<Integer> tcpPorts, Set<Integer> udpPorts) {
}
