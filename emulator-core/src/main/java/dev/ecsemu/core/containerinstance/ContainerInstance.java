package dev.ecsemu.core.containerinstance;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An emulated EC2 container instance: what it registered and what its tasks use of it. The used
 * resources are kept up to date as tasks are placed and stop, so placement never recounts tasks.
 */
public final class ContainerInstance {
    public static final String ACTIVE = "ACTIVE";
    public static final String DRAINING = "DRAINING";
    public static final String INACTIVE = "INACTIVE";
    /** Host ports the agent reserves on every instance (SSH, Docker, the agent's own endpoints). */
    public static final Set<Integer> RESERVED_PORTS = Set.of(22, 2375, 2376, 51678, 51679);
    /** The container agent version every emulated instance reports. */
    public static final String AGENT_VERSION = "1.97.0";

    private final String arn;
    private final String id;
    private final String clusterArn;
    private final String ec2InstanceId;
    private final String instanceType;
    private final String availabilityZone;
    private final String bindAddress;
    private final int cpu;
    private final int memory;
    private final Instant registeredAt;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private String status = ACTIVE;
    /** The Auto Scaling group capacity provider that launched the instance, or null for one registered otherwise. */
    private String capacityProviderName;
    private long version = 1;
    private int usedCpu;
    private int usedMemory;
    private final TreeSet<Integer> usedTcpPorts = new TreeSet<>();
    private final TreeSet<Integer> usedUdpPorts = new TreeSet<>();
    private int runningTasks;
    private int pendingTasks;
    /** Live (not stopped) tasks here per task group; a group leaves the map when its last task stops. */
    private final Map<String, int[]> groupTasks = new HashMap<>();
    private final Set<String> groupView = Collections.unmodifiableSet(groupTasks.keySet());

    ContainerInstance(String arn, String id, String clusterArn, String ec2InstanceId, String instanceType,
            String availabilityZone, String bindAddress, int cpu, int memory, Instant registeredAt) {
        this.arn = arn;
        this.id = id;
        this.clusterArn = clusterArn;
        this.ec2InstanceId = ec2InstanceId;
        this.instanceType = instanceType;
        this.availabilityZone = availabilityZone;
        this.bindAddress = bindAddress;
        this.cpu = cpu;
        this.memory = memory;
        this.registeredAt = registeredAt;
    }

    public String arn() {
        return arn;
    }

    public String id() {
        return id;
    }

    public String clusterArn() {
        return clusterArn;
    }

    public String ec2InstanceId() {
        return ec2InstanceId;
    }

    public String instanceType() {
        return instanceType;
    }

    public String availabilityZone() {
        return availabilityZone;
    }

    /** The address the tasks' host ports are bound on. */
    public String bindAddress() {
        return bindAddress;
    }

    public int cpu() {
        return cpu;
    }

    public int memory() {
        return memory;
    }

    public Instant registeredAt() {
        return registeredAt;
    }

    public String capacityProviderName() {
        return capacityProviderName;
    }

    void capacityProviderName(String name) {
        this.capacityProviderName = name;
    }

    public String status() {
        return status;
    }

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    public long version() {
        return version;
    }

    public Map<String, String> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    /** One attribute's value (built-in or custom), or null when the instance does not have it. */
    /** An attribute's value; "" for one registered without a value (it still exists), null when absent. */
    public String attribute(String name) {
        String value = attributes.get(name);
        return value != null || !attributes.containsKey(name) ? value : "";
    }

    public int remainingCpu() {
        return cpu - usedCpu;
    }

    public int remainingMemory() {
        return memory - usedMemory;
    }

    public Set<Integer> usedTcpPorts() {
        return Collections.unmodifiableSet(usedTcpPorts);
    }

    public Set<Integer> usedUdpPorts() {
        return Collections.unmodifiableSet(usedUdpPorts);
    }

    public int runningTasks() {
        return runningTasks;
    }

    public int pendingTasks() {
        return pendingTasks;
    }

    /** How many live (not stopped) tasks of the group are placed here. */
    public int groupTaskCount(String group) {
        int[] count = groupTasks.get(group);
        return count == null ? 0 : count[0];
    }

    /** The groups of the live tasks placed here (a read-only live view). */
    public Set<String> taskGroups() {
        return groupView;
    }

    /** Whether a host port is free for a new task (not reserved, not taken by another task). */
    public boolean portFree(int port, boolean udp) {
        return udp ? !usedUdpPorts.contains(port) : !RESERVED_PORTS.contains(port) && !usedTcpPorts.contains(port);
    }

    void attribute(String name, String value) {
        attributes.put(name, value);
    }

    void removeAttribute(String name) {
        if (attributes.remove(name) != null) {
            version++;
        }
    }

    void customAttribute(String name, String value) {
        attributes.put(name, value);
        version++;
    }

    /** Attributes a user set with PutAttributes (or at registration), as opposed to the built-in ecs.* ones. */
    public long customAttributeCount() {
        return attributes.keySet().stream().filter(n -> !ContainerInstances.isBuiltIn(n)).count();
    }

    void status(String status) {
        this.status = status;
        version++;
    }

    /** Takes (or, with negative sign, gives back) what a task reserves here. */
    public void reserve(Reservation r, int sign) {
        usedCpu += sign * r.cpu();
        usedMemory += sign * r.memory();
        if (sign > 0) {
            usedTcpPorts.addAll(r.tcpPorts());
            usedUdpPorts.addAll(r.udpPorts());
        } else {
            usedTcpPorts.removeAll(r.tcpPorts());
            usedUdpPorts.removeAll(r.udpPorts());
        }
        version++;
    }

    /** Counts a task as pending or running here; {@code delta} is +1 or -1. */
    public void countTask(boolean running, int delta) {
        if (running) {
            runningTasks += delta;
        } else {
            pendingTasks += delta;
        }
    }

    /**
     * Counts a task of {@code group} placed here ({@code delta} +1) or stopped ({@code delta} -1),
     * where its resources are reserved and given back, so placement reads group counts without
     * scanning tasks.
     */
    public void countGroupTask(String group, int delta) {
        int[] count = groupTasks.computeIfAbsent(group, g -> new int[1]);
        count[0] += delta;
        if (count[0] <= 0) {
            groupTasks.remove(group);
        }
    }
}
