package dev.ecsemu.core.containerinstance;

import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.state.Ids;
import dev.ecsemu.core.state.Scope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The container instances of one store, ACTIVE, DRAINING and deregistered (INACTIVE). */
public final class ContainerInstances {
    private final Scope scope;
    private final Clock clock;
    private final Map<String, ContainerInstance> byArn = new HashMap<>();

    public ContainerInstances(Scope scope, Clock clock) {
        this.scope = scope;
        this.clock = clock;
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
                clusterArn, ec2Id, typeName, az, spec.bindAddress() == null ? "0.0.0.0" : spec.bindAddress(), cpu, memory,
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
            spec.attributes().forEach(instance::attribute);
        }
        byArn.put(instance.arn(), instance);
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
        List<ContainerInstance> out = new ArrayList<>();
        for (ContainerInstance ci : byArn.values()) {
            if (ci.clusterArn().equals(clusterArn) && !ContainerInstance.INACTIVE.equals(ci.status())) {
                out.add(ci);
            }
        }
        out.sort(Comparator.comparing(ContainerInstance::arn));
        return out;
    }

    public void deregister(ContainerInstance instance) {
        instance.status(ContainerInstance.INACTIVE);
    }

    public void setStatus(ContainerInstance instance, String status) {
        instance.status(status);
    }
}
