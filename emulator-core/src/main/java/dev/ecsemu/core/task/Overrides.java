package dev.ecsemu.core.task;

import dev.ecsemu.core.error.EcsErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/** RunTask's {@code overrides} applied to a task definition's containers. */
final class Overrides {
    private Overrides() {
    }

    static List<ContainerDefinition> apply(List<ContainerDefinition> containers, TaskOverride overrides) {
        Map<String, ContainerOverride> byName = new LinkedHashMap<>();
        if (overrides != null) {
            for (ContainerOverride o : overrides.containerOverrides()) {
                if (o.name() == null) {
                    throw EcsErrors.invalidParameter("Container override name must be specified.");
                }
                byName.put(o.name(), o);
            }
        }
        List<ContainerDefinition> out = new ArrayList<>(containers.size());
        for (ContainerDefinition c : containers) {
            ContainerOverride o = byName.remove(c.name());
            out.add(o == null ? c : apply(c, o));
        }
        if (!byName.isEmpty()) {
            throw EcsErrors.invalidParameter("Override for container named " + byName.keySet().iterator().next()
                    + " is not a container in the TaskDefinition.");
        }
        return out;
    }

    private static ContainerDefinition apply(ContainerDefinition c, ContainerOverride o) {
        ContainerDefinition.Builder b = c.toBuilder();
        if (o.hasCommand()) {
            b.command(o.command());
        }
        if (o.hasEnvironment()) {
            Map<String, KeyValuePair> env = new LinkedHashMap<>();
            c.environment().forEach(kv -> env.put(kv.name(), kv));
            o.environment().forEach(kv -> env.put(kv.name(), kv));
            b.environment(new ArrayList<>(env.values()));
        }
        if (o.hasEnvironmentFiles()) {
            List<software.amazon.awssdk.services.ecs.model.EnvironmentFile> files = new ArrayList<>(c.environmentFiles());
            files.addAll(o.environmentFiles());
            b.environmentFiles(files);
        }
        if (o.cpu() != null) {
            b.cpu(o.cpu());
        }
        if (o.memory() != null) {
            b.memory(o.memory());
        }
        if (o.memoryReservation() != null) {
            b.memoryReservation(o.memoryReservation());
        }
        if (o.hasResourceRequirements()) {
            b.resourceRequirements(o.resourceRequirements());
        }
        return b.build();
    }
}
