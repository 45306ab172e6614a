package dev.ecsemu.core.runtime.docker;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

/**
 * Turns the ports Docker really bound ({@code NetworkSettings.Ports}) into ECS network bindings. Every
 * entry Docker reports counts, IPv4 and IPv6 alike. Container ports that came from a
 * {@code containerPortRange} are reported as ranges where the host ports Docker bound are contiguous.
 */
final class NetworkBindings {
    private NetworkBindings() {
    }

    private record Bound(String ip, int containerPort, int hostPort, TransportProtocol protocol) {
    }

    /**
     * @param ports       what Docker bound (may be null)
     * @param rangePorts  the container ports ("8000/tcp") that a {@code containerPortRange} asked for
     */
    static List<NetworkBinding> fromDocker(Ports ports, Set<String> rangePorts) {
        List<Bound> bound = new ArrayList<>();
        if (ports != null) {
            for (Map.Entry<ExposedPort, Ports.Binding[]> e : ports.getBindings().entrySet()) {
                if (e.getValue() == null) {
                    continue;
                }
                TransportProtocol protocol = e.getKey().getProtocol() == InternetProtocol.UDP ? TransportProtocol.UDP
                        : TransportProtocol.TCP;
                for (Ports.Binding b : e.getValue()) {
                    Integer hostPort = parsePort(b.getHostPortSpec());
                    if (hostPort != null) {
                        bound.add(new Bound(b.getHostIp() == null || b.getHostIp().isEmpty() ? "0.0.0.0" : b.getHostIp(),
                                e.getKey().getPort(), hostPort, protocol));
                    }
                }
            }
        }
        // IPv4 before IPv6, then by port: the order ECS and `docker port` show.
        bound.sort(Comparator.comparing((Bound b) -> b.ip().contains(":")).thenComparing(Bound::protocol)
                .thenComparing(Bound::ip).thenComparingInt(Bound::containerPort));
        List<NetworkBinding> out = new ArrayList<>();
        int i = 0;
        while (i < bound.size()) {
            Bound first = bound.get(i);
            if (!rangePorts.contains(first.containerPort() + "/" + first.protocol().toString())) {
                out.add(NetworkBinding.builder().bindIP(first.ip()).containerPort(first.containerPort())
                        .hostPort(first.hostPort()).protocol(first.protocol()).build());
                i++;
                continue;
            }
            int j = i + 1;
            while (j < bound.size()) {
                Bound prev = bound.get(j - 1);
                Bound next = bound.get(j);
                if (!next.ip().equals(first.ip()) || next.protocol() != first.protocol()
                        || next.containerPort() != prev.containerPort() + 1 || next.hostPort() != prev.hostPort() + 1
                        || !rangePorts.contains(next.containerPort() + "/" + next.protocol().toString())) {
                    break;
                }
                j++;
            }
            Bound last = bound.get(j - 1);
            if (j - i == 1) {
                out.add(NetworkBinding.builder().bindIP(first.ip()).containerPort(first.containerPort())
                        .hostPort(first.hostPort()).protocol(first.protocol()).build());
            } else {
                out.add(NetworkBinding.builder().bindIP(first.ip())
                        .containerPortRange(first.containerPort() + "-" + last.containerPort())
                        .hostPortRange(first.hostPort() + "-" + last.hostPort()).protocol(first.protocol()).build());
            }
            i = j;
        }
        return out;
    }

    /** Host mode: the container's ports are the host's; ECS reports them as bound on the same numbers. */
    static List<NetworkBinding> forHostMode(List<PortMapping> mappings, String hostIp) {
        List<NetworkBinding> out = new ArrayList<>();
        String ip = hostIp == null || hostIp.isBlank() ? "0.0.0.0" : hostIp;
        for (PortMapping p : mappings) {
            TransportProtocol protocol = p.protocol() == TransportProtocol.UDP ? TransportProtocol.UDP : TransportProtocol.TCP;
            if (p.containerPort() != null) {
                out.add(NetworkBinding.builder().bindIP(ip).containerPort(p.containerPort()).hostPort(p.containerPort())
                        .protocol(protocol).build());
            } else if (p.containerPortRange() != null) {
                out.add(NetworkBinding.builder().bindIP(ip).containerPortRange(p.containerPortRange())
                        .hostPortRange(p.containerPortRange()).protocol(protocol).build());
            }
        }
        return out;
    }

    private static Integer parsePort(String spec) {
        if (spec == null || spec.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(spec);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
