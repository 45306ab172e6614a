package dev.ecsemu.core.containerinstance;

import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.state.Ids;
import dev.ecsemu.core.state.Scope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The container instances of one store, ACTIVE, DRAINING and deregistered (INACTIVE). */
public final class ContainerInstances {
    private final Scope scope;
    private final Clock clock;
    private final InstanceAddresses addresses;
    private final Map<String, ContainerInstance> byArn = new HashMap<>();
    /** Each cluster's instances in ARN order, so listing them never sorts. */
    private final Map<String, java.util.TreeMap<String, ContainerInstance>> byCluster = new HashMap<>();

    public ContainerInstances(Scope scope, Clock clock, InstanceAddresses addresses) {
        this.scope = scope;
        this.clock = clock;
        this.addresses = addresses;
    }

    /**
     * What RegisterContainerInstance (or {@code ecs-emu start --instances}) asks for.
     *
     * @param cpu    CPU units, or null for the instance type's
     * @param memory MiB, or null for the instance type's
     */
    public record Spec(String ec2InstanceId, String instanceType, String availabilityZone, Integer cpu, Integer memory,
            String bindAddress, Map<String, String> attributes) {
    }

    /** Registers an instance that an Auto Scaling group capacity provider launched. */
    public ContainerInstance register(String clusterName, String clusterArn, Spec spec, String capacityProviderName) {
        ContainerInstance instance = register(clusterName, clusterArn, spec);
        instance.capacityProviderName(capacityProviderName);
        return instance;
    }

    /** The registered instances of a cluster that a capacity provider launched, in ARN order. */
    public List<ContainerInstance> registered(String clusterArn, String capacityProviderName) {
        List<ContainerInstance> out = new ArrayList<>();
        for (ContainerInstance ci : registered(clusterArn)) {
            if (capacityProviderName.equals(ci.capacityProviderName())) {
                out.add(ci);
            }
        }
        return out;
    }

    public ContainerInstance register(String clusterName, String clusterArn, Spec spec) {
        String typeName = spec.instanceType() == null ? InstanceType.DEFAULT : spec.instanceType();
        InstanceType type = InstanceType.of(typeName);
        if (type == null && (spec.cpu() == null || spec.memory() == null)) {
            throw EcsErrors.invalidParameter("Unknown instance type '" + typeName + "': give CPU and MEMORY in totalResources,"
                    + " or use one of " + InstanceType.known() + ".");
        }
        int cpu = spec.cpu() != null ? spec.cpu() : type.cpuUnits();
        int memory = spec.memory() != null ? spec.memory() : type.registeredMemoryMiB();
        if (cpu <= 0 || memory <= 0) {
            throw EcsErrors.invalidParameter("A container instance needs positive CPU and MEMORY resources (got " + cpu + " CPU, "
                    + memory + " MiB).");
        }
        String id = Ids.hex32();
        String az = spec.availabilityZone() == null ? scope.region() + "a" : spec.availabilityZone();
        String ec2Id = spec.ec2InstanceId() == null ? "i-" + Ids.hex(17) : spec.ec2InstanceId();
        ContainerInstance instance = new ContainerInstance(Arn.ecs(scope, "container-instance/" + clusterName + "/" + id), id,
                clusterArn, ec2Id, typeName, az, spec.bindAddress() == null ? addresses.next() : spec.bindAddress(), cpu, memory,
                clock.instant());
        instance.attribute("ecs.instance-type", typeName);
        instance.attribute("ecs.availability-zone", az);
        instance.attribute("ecs.os-type", "linux");
        instance.attribute("ecs.os-family", "LINUX");
        instance.attribute("ecs.cpu-architecture", type == null ? "x86_64" : type.cpuArchitecture());
        instance.attribute("ecs.ami-id", "ami-" + Ids.hex(17));
        instance.attribute("ecs.vpc-id", "vpc-" + Ids.hex(17));
        instance.attribute("ecs.subnet-id", "subnet-" + Ids.hex(17));
        if (spec.attributes() != null) {
            spec.attributes().forEach((name, value) -> {
                if (!isBuiltIn(name)) {
                    validateAttribute(name, value);
                }
            });
            if (spec.attributes().keySet().stream().filter(n -> !isBuiltIn(n)).count() > MAX_CUSTOM_ATTRIBUTES) {
                throw dev.ecsemu.core.error.ApiException.of(
                        software.amazon.awssdk.services.ecs.model.AttributeLimitExceededException.class,
                        "You can apply up to " + MAX_CUSTOM_ATTRIBUTES + " custom attributes per resource.");
            }
            spec.attributes().forEach(instance::attribute);
        }
        byArn.put(instance.arn(), instance);
        byCluster.computeIfAbsent(clusterArn, c -> new java.util.TreeMap<>()).put(instance.arn(), instance);
        return instance;
    }

    /** An instance of the cluster named by its ARN or id. */
    public Optional<ContainerInstance> find(String clusterArn, String arnOrId) {
        if (arnOrId == null) {
            return Optional.empty();
        }
        if (arnOrId.startsWith("arn:")) {
            return Optional.ofNullable(byArn.get(arnOrId)).filter(ci -> ci.clusterArn().equals(clusterArn));
        }
        for (ContainerInstance ci : byArn.values()) {
            if (ci.id().equals(arnOrId) && ci.clusterArn().equals(clusterArn)) {
                return Optional.of(ci);
            }
        }
        return Optional.empty();
    }

    /** The registered (ACTIVE or DRAINING) instances of a cluster, in ARN order. */
    public List<ContainerInstance> registered(String clusterArn) {
        java.util.TreeMap<String, ContainerInstance> inCluster = byCluster.get(clusterArn);
        if (inCluster == null) {
            return List.of();
        }
        List<ContainerInstance> out = new ArrayList<>(inCluster.size());
        for (ContainerInstance ci : inCluster.values()) {
            if (!ContainerInstance.INACTIVE.equals(ci.status())) {
                out.add(ci);
            }
        }
        return out;
    }

    static final int MAX_CUSTOM_ATTRIBUTES = 10;
    /** ECS: letters, numbers, hyphens, underscores, periods, forward and back slashes. */
    private static final java.util.regex.Pattern ATTRIBUTE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_./\\\\-]{1,128}");
    /** ECS: letters, numbers, hyphens, underscores, periods, at signs, slashes, back slashes, colons and spaces, not at either end. */
    private static final java.util.regex.Pattern ATTRIBUTE_VALUE =
            java.util.regex.Pattern.compile("(?! )[A-Za-z0-9_.@/\\\\: -]{1,128}(?<! )");

    /** Built-in attributes are the agent's: their names begin with {@code ecs.} or {@code com.amazonaws.ecs.}. */
    static boolean isBuiltIn(String name) {
        return name.startsWith("ecs.") || name.startsWith("com.amazonaws.ecs.");
    }

    /** Checks a custom attribute before anything is changed. */
    public static void validateAttribute(String name, String value) {
        if (name == null || !ATTRIBUTE_NAME.matcher(name).matches()) {
            throw EcsErrors.invalidParameter("Attribute name '" + name + "' is invalid: 1 to 128 letters, numbers, hyphens,"
                    + " underscores, periods, slashes and back slashes.");
        }
        if (isBuiltIn(name)) {
            throw EcsErrors.invalidParameter("Attribute " + name + " is set by the container agent and cannot be changed.");
        }
        if (value != null && !ATTRIBUTE_VALUE.matcher(value).matches()) {
            throw EcsErrors.invalidParameter("The value of attribute " + name + " must be 1 to 128 letters, numbers, hyphens,"
                    + " underscores, periods, at signs, slashes, back slashes, colons or spaces, not beginning or ending with a space.");
        }
    }

    /** Checks custom attributes for an instance (names, values, the limit of 10) without changing it. */
    public void checkAttributes(ContainerInstance instance, Map<String, String> attributes) {
        long after = instance.customAttributeCount();
        for (String name : attributes.keySet()) {
            validateAttribute(name, attributes.get(name));
            if (!instance.attributes().containsKey(name)) {
                after++;
            }
        }
        if (after > MAX_CUSTOM_ATTRIBUTES) {
            throw dev.ecsemu.core.error.ApiException.of(
                    software.amazon.awssdk.services.ecs.model.AttributeLimitExceededException.class,
                    "You can apply up to " + MAX_CUSTOM_ATTRIBUTES + " custom attributes per resource.");
        }
    }

    /** Sets custom attributes on an instance, at most 10 in all, as ECS limits them. */
    public void putAttributes(ContainerInstance instance, Map<String, String> attributes) {
        checkAttributes(instance, attributes);
        attributes.forEach(instance::customAttribute);
    }

    public void deleteAttribute(ContainerInstance instance, String name) {
        if (isBuiltIn(name)) {
            throw EcsErrors.invalidParameter("Attribute " + name + " is set by the container agent and cannot be deleted.");
        }
        instance.removeAttribute(name);
    }

    public void deregister(ContainerInstance instance) {
        instance.status(ContainerInstance.INACTIVE);
    }

    public void setStatus(ContainerInstance instance, String status) {
        instance.status(status);
    }
}
