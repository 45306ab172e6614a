package dev.ecsemu.core.taskdefinition;

import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.fargate.Fargate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

/**
 * What RegisterTaskDefinition checks, and how ECS fills in what was left out. Everything is checked
 * before a revision is assigned, so a refused registration leaves no trace.
 */
final class RegistrationRules {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
    private static final int MAX_CONTAINERS = 10;

    private RegistrationRules() {
    }

    /** Validates the draft and answers it as ECS stores it: sizes as integers, defaults filled in. */
    static TaskDefinition apply(TaskDefinition draft) {
        String family = draft.family();
        if (family == null || family.isBlank()) {
            throw EcsErrors.client("Family can not be blank.");
        }
        if (!NAME.matcher(family).matches()) {
            throw EcsErrors.client("Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers,"
                    + " hyphens, and underscores are allowed; got '" + family + "'.");
        }
        List<ContainerDefinition> containers = draft.containerDefinitions();
        if (containers.isEmpty()) {
            throw EcsErrors.client("Container list cannot be empty.");
        }
        if (containers.size() > MAX_CONTAINERS) {
            throw EcsErrors.client("Too many containers. A task definition can have at most " + MAX_CONTAINERS + "; this one has "
                    + containers.size() + ".");
        }
        Integer cpu = TaskSize.cpuUnits(draft.cpu());
        Integer memory = TaskSize.memoryMiB(draft.memory());
        boolean fargate = draft.requiresCompatibilities().contains(Compatibility.FARGATE);
        NetworkMode mode = draft.networkMode();
        boolean awsvpcOrHost = mode == NetworkMode.AWSVPC || mode == NetworkMode.HOST;

        if (fargate) {
            if (mode != NetworkMode.AWSVPC) {
                throw EcsErrors.client("Fargate only supports network mode \u2018awsvpc\u2019.");
            }
            if (cpu == null) {
                throw EcsErrors.client("Fargate requires that 'cpu' be defined at the task level.");
            }
            if (memory == null) {
                throw EcsErrors.client("Fargate requires that 'memory' be defined at the task level.");
            }
            if (!TaskSize.fargateSupports(cpu, memory)) {
                throw EcsErrors.client("No Fargate configuration exists for given values: " + cpu + " CPU, " + memory + " memory."
                        + " See the Amazon ECS documentation for the valid values.");
            }
            checkFargateLogging(containers, draft.executionRoleArn());
        }

        if (draft.ephemeralStorage() != null && draft.ephemeralStorage().sizeInGiB() != null) {
            int gib = draft.ephemeralStorage().sizeInGiB();
            if (gib < Fargate.MIN_EPHEMERAL_STORAGE_GIB || gib > Fargate.MAX_EPHEMERAL_STORAGE_GIB) {
                throw EcsErrors.client("The ephemeral storage size must be between " + Fargate.MIN_EPHEMERAL_STORAGE_GIB + " GiB and "
                        + Fargate.MAX_EPHEMERAL_STORAGE_GIB + " GiB; " + gib + " GiB was given.");
            }
        }

        Set<String> names = new HashSet<>();
        boolean anyEssential = false;
        int reservedMemory = 0;
        List<ContainerDefinition> normalised = new ArrayList<>(containers.size());
        for (ContainerDefinition c : containers) {
            if (c.name() == null || c.name().isEmpty()) {
                throw EcsErrors.client("Container.name should not be null or empty.");
            }
            if (!NAME.matcher(c.name()).matches()) {
                throw EcsErrors.client("Container.name contains invalid characters. Up to 255 letters (uppercase and lowercase),"
                        + " numbers, hyphens, and underscores are allowed; got '" + c.name() + "'.");
            }
            if (!names.add(c.name())) {
                throw EcsErrors.client("Container names must be unique within a Task Definition. '" + c.name()
                        + "' is used more than once.");
            }
            if (c.image() == null || c.image().isBlank()) {
                throw EcsErrors.client("Container.image should not be null or empty.");
            }
            checkMemory(c, memory, fargate);
            reservedMemory += c.memoryReservation() != null ? c.memoryReservation() : 0;
            boolean essential = c.essential() == null || c.essential();
            anyEssential |= essential;
            normalised.add(normalise(c, essential, awsvpcOrHost, mode));
        }
        checkDependencies(normalised);
        if (!anyEssential) {
            throw EcsErrors.client("Task definition doesn't have any essential container.");
        }
        if (memory != null && reservedMemory > memory) {
            throw EcsErrors.client("The sum of all container 'memoryReservation' values cannot be greater than the value of the task"
                    + " 'memory'. The containers reserve " + reservedMemory + " MiB; the task has " + memory + " MiB.");
        }

        // List.copyOf turns the SDK's "absent" lists into present, empty ones: ECS reports [] for them.
        return draft.toBuilder()
                .cpu(cpu == null ? null : cpu.toString())
                .memory(memory == null ? null : memory.toString())
                .containerDefinitions(normalised)
                .volumes(List.copyOf(draft.volumes()))
                .placementConstraints(List.copyOf(draft.placementConstraints()))
                .compatibilities(compatibilities(mode, fargate))
                .requiresAttributes(requiredAttributes(normalised, mode))
                .build();
    }

    /** dependsOn names containers of this definition, and the dependencies form no cycle. */
    private static void checkDependencies(List<ContainerDefinition> containers) {
        java.util.Map<String, List<String>> edges = new java.util.HashMap<>();
        for (ContainerDefinition c : containers) {
            List<String> targets = new ArrayList<>();
            for (var dep : c.dependsOn()) {
                if (containers.stream().noneMatch(o -> o.name().equals(dep.containerName()))) {
                    throw EcsErrors.client("Container '" + c.name() + "' depends on '" + dep.containerName()
                            + "', which is not a container of this task definition.");
                }
                targets.add(dep.containerName());
            }
            edges.put(c.name(), targets);
        }
        java.util.Map<String, Integer> state = new java.util.HashMap<>();
        for (String name : edges.keySet()) {
            String cycle = findCycle(name, edges, state, new java.util.ArrayDeque<>());
            if (cycle != null) {
                throw EcsErrors.client("The container dependencies form a cycle: " + cycle + ".");
            }
        }
    }

    /** Depth-first search; state 1 = on the current path, 2 = done. */
    private static String findCycle(String name, java.util.Map<String, List<String>> edges, java.util.Map<String, Integer> state,
            java.util.Deque<String> path) {
        Integer s = state.get(name);
        if (s != null && s == 2) {
            return null;
        }
        if (s != null && s == 1) {
            List<String> names = new ArrayList<>(path);
            java.util.Collections.reverse(names);
            return String.join(" -> ", names.subList(names.indexOf(name), names.size())) + " -> " + name;
        }
        state.put(name, 1);
        path.push(name);
        for (String next : edges.getOrDefault(name, List.of())) {
            String cycle = findCycle(next, edges, state, path);
            if (cycle != null) {
                return cycle;
            }
        }
        path.pop();
        state.put(name, 2);
        return null;
    }

    private static void checkMemory(ContainerDefinition c, Integer taskMemory, boolean fargate) {
        Integer hard = c.memory();
        Integer soft = c.memoryReservation();
        if (hard == null && soft == null && taskMemory == null && !fargate) {
            throw EcsErrors.client("Invalid setting for container '" + c.name() + "'. At least one of 'memory' or"
                    + " 'memoryReservation' must be specified.");
        }
        if (hard != null && soft != null && soft > hard) {
            throw EcsErrors.client("Invalid setting for container '" + c.name() + "'. 'memory' must be greater than or equal to"
                    + " 'memoryReservation' (" + hard + " < " + soft + ").");
        }
        if (hard != null && taskMemory != null && hard > taskMemory) {
            throw EcsErrors.client("The 'memory' setting for container '" + c.name() + "' is greater than for the task.");
        }
    }

    private static ContainerDefinition normalise(ContainerDefinition c, boolean essential, boolean awsvpcOrHost, NetworkMode mode) {
        // The containers of an awsvpc task share one network namespace: it has one hostname, and links have nothing to link.
        if (mode == NetworkMode.AWSVPC && c.hostname() != null) {
            throw EcsErrors.client("hostname is not supported on container when networkMode=awsvpc.");
        }
        if (mode == NetworkMode.AWSVPC && c.hasLinks() && !c.links().isEmpty()) {
            throw EcsErrors.client("Links are not supported when networkMode=awsvpc.");
        }
        List<PortMapping> ports = new ArrayList<>(c.portMappings().size());
        for (PortMapping p : c.portMappings()) {
            PortMapping.Builder b = p.toBuilder();
            if (p.protocol() == null) {
                b.protocol(TransportProtocol.TCP);
            }
            if (awsvpcOrHost && p.containerPort() != null) {
                if (p.hostPort() != null && p.hostPort() != 0 && !p.hostPort().equals(p.containerPort())) {
                    throw EcsErrors.client("When networkMode=" + mode + ", the host ports and container ports in port mappings must match.");
                }
                b.hostPort(p.containerPort());
            }
            ports.add(b.build());
        }
        return c.toBuilder()
                .essential(essential)
                .cpu(c.cpu() == null ? 0 : c.cpu())
                .portMappings(ports)
                .environment(List.copyOf(c.environment()))
                .mountPoints(List.copyOf(c.mountPoints()))
                .volumesFrom(List.copyOf(c.volumesFrom()))
                .build();
    }

    private static List<Compatibility> compatibilities(NetworkMode mode, boolean fargate) {
        if (fargate) {
            return List.of(Compatibility.EC2, Compatibility.MANAGED_INSTANCES, Compatibility.FARGATE);
        }
        if (mode == NetworkMode.AWSVPC || mode == NetworkMode.HOST) {
            return List.of(Compatibility.EC2, Compatibility.MANAGED_INSTANCES);
        }
        return List.of(Compatibility.EXTERNAL, Compatibility.EC2);
    }

    /** The log drivers Fargate offers. */
    private static final List<LogDriver> FARGATE_LOG_DRIVERS = List.of(LogDriver.AWSLOGS, LogDriver.SPLUNK, LogDriver.AWSFIRELENS);

    /** Fargate sends logs only through its own drivers, and awslogs there writes with the task's execution role. */
    private static void checkFargateLogging(List<ContainerDefinition> containers, String executionRoleArn) {
        for (ContainerDefinition c : containers) {
            if (c.logConfiguration() == null || c.logConfiguration().logDriver() == null) {
                continue;
            }
            LogDriver driver = c.logConfiguration().logDriver();
            if (!FARGATE_LOG_DRIVERS.contains(driver)) {
                throw EcsErrors.client(c.logConfiguration().logDriverAsString() + " is not a valid log driver. Must be one of "
                        + "[awslogs,splunk,awsfirelens]");
            }
            if (driver == LogDriver.AWSLOGS && (executionRoleArn == null || executionRoleArn.isBlank())) {
                throw EcsErrors.client("Fargate requires task definition to have execution role ARN to support log driver awslogs.");
            }
        }
    }

    /** The agent capabilities an instance must have to run this definition (a subset of what ECS lists). */
    private static List<Attribute> requiredAttributes(List<ContainerDefinition> containers, NetworkMode mode) {
        Set<String> names = new LinkedHashSet<>();
        for (ContainerDefinition c : containers) {
            if (c.logConfiguration() != null && c.logConfiguration().logDriver() == LogDriver.AWSLOGS) {
                names.add("com.amazonaws.ecs.capability.logging-driver.awslogs");
                names.add("com.amazonaws.ecs.capability.docker-remote-api.1.19");
            }
            if (c.healthCheck() != null) {
                names.add("ecs.capability.container-health-check");
            }
            if (!c.dependsOn().isEmpty()) {
                names.add("ecs.capability.container-ordering");
            }
        }
        if (mode == NetworkMode.AWSVPC) {
            names.add("ecs.capability.task-eni");
        }
        List<Attribute> out = new ArrayList<>(names.size());
        names.forEach(n -> out.add(Attribute.builder().name(n).build()));
        return out;
    }
}
