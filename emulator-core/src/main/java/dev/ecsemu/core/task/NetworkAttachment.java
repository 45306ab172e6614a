package dev.ecsemu.core.task;

import dev.ecsemu.core.runtime.TaskAddress;

/**
 * The elastic network interface of an awsvpc task, as DescribeTasks shows it in {@code attachments}.
 * It is PRECREATED when the task is created (only the subnet is known), ATTACHED once the runtime has
 * given the task its network namespace, and DELETED when the task has stopped (FAILED when the network
 * could not be set up). Mutated under the store's lock only.
 */
public final class NetworkAttachment {
    public static final String TYPE = "ElasticNetworkInterface";
    public static final String PRECREATED = "PRECREATED";
    public static final String ATTACHED = "ATTACHED";
    public static final String DELETED = "DELETED";
    public static final String FAILED = "FAILED";

    private final String id;
    private final String subnetId;
    private final String networkInterfaceId;
    private final String region;
    private String status = PRECREATED;
    private String privateIpv4Address;
    private String macAddress;

    NetworkAttachment(String id, String subnetId, String networkInterfaceId, String region) {
        this.id = id;
        this.subnetId = subnetId;
        this.networkInterfaceId = networkInterfaceId;
        this.region = region;
    }

    public String id() {
        return id;
    }

    public String status() {
        return status;
    }

    public String subnetId() {
        return subnetId;
    }

    public String networkInterfaceId() {
        return networkInterfaceId;
    }

    public String macAddress() {
        return macAddress;
    }

    /** The task's IP address, or null before the interface is attached. */
    public String privateIpv4Address() {
        return privateIpv4Address;
    }

    /** EC2's name for the address: {@code ip-10-0-1-5.ec2.internal} in us-east-1, {@code ip-….<region>.compute.internal} elsewhere. */
    public String privateDnsName() {
        if (privateIpv4Address == null) {
            return null;
        }
        String host = "ip-" + privateIpv4Address.replace('.', '-');
        return region.equals("us-east-1") ? host + ".ec2.internal" : host + "." + region + ".compute.internal";
    }

    public boolean isAttached() {
        return ATTACHED.equals(status);
    }

    void attached(TaskAddress address) {
        status = ATTACHED;
        privateIpv4Address = address.privateIpv4Address();
        macAddress = address.macAddress();
    }

    void failed() {
        status = FAILED;
    }

    /** The task has stopped: the interface is released (a failed one stays FAILED). */
    void released() {
        if (!FAILED.equals(status)) {
            status = DELETED;
        }
    }
}
