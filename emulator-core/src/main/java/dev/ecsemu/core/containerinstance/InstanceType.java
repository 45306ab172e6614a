package dev.ecsemu.core.containerinstance;

import java.util.Map;

/**
 * EC2 instance types an emulated container instance can claim, with the CPU units and memory the
 * ECS agent would register for them (the agent keeps a little memory back for the host).
 */
public record InstanceType(String name, int vcpus, int memoryMiB) {
    public static final String DEFAULT = "m5.large";

    private static final Map<String, InstanceType> KNOWN = Map.ofEntries(
            entry("t3.micro", 2, 1), entry("t3.small", 2, 2), entry("t3.medium", 2, 4), entry("t3.large", 2, 8),
            entry("t3.xlarge", 4, 16), entry("t3.2xlarge", 8, 32),
            entry("m5.large", 2, 8), entry("m5.xlarge", 4, 16), entry("m5.2xlarge", 8, 32), entry("m5.4xlarge", 16, 64),
            entry("c5.large", 2, 4), entry("c5.xlarge", 4, 8), entry("c5.2xlarge", 8, 16), entry("c5.4xlarge", 16, 32),
            entry("r5.large", 2, 16), entry("r5.xlarge", 4, 32), entry("r5.2xlarge", 8, 64),
            entry("m6g.large", 2, 8), entry("m6g.xlarge", 4, 16), entry("c6g.large", 2, 4));

    private static Map.Entry<String, InstanceType> entry(String name, int vcpus, int gib) {
        return Map.entry(name, new InstanceType(name, vcpus, gib * 1024));
    }

    public static InstanceType of(String name) {
        return KNOWN.get(name);
    }

    public static java.util.Set<String> known() {
        return new java.util.TreeSet<>(KNOWN.keySet());
    }

    public int cpuUnits() {
        return vcpus * 1024;
    }

    /** What the agent registers: the instance's memory less what it keeps for the operating system. */
    public int registeredMemoryMiB() {
        return memoryMiB - Math.min(memoryMiB / 20, 512);
    }

    public String cpuArchitecture() {
        return name.matches("[a-z]+\\dg\\..*") ? "arm64" : "x86_64";
    }
}
