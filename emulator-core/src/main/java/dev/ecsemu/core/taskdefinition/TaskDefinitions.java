package dev.ecsemu.core.taskdefinition;

import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.state.Scope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionFamilyStatus;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * The task definition families of one store and their revisions. A revision is the registered
 * document itself (the SDK's immutable {@link TaskDefinition}); deregistering or deleting replaces it
 * with a copy in the new status. Revision numbers are never reused.
 */
public final class TaskDefinitions {
    private final Scope scope;
    private final Clock clock;
    private final TreeMap<String, NavigableMap<Integer, TaskDefinition>> families = new TreeMap<>();
    private final Map<String, Integer> lastRevision = new HashMap<>();

    public TaskDefinitions(Scope scope, Clock clock) {
        this.scope = scope;
        this.clock = clock;
    }

    /** Validates the draft and stores it as the family's next revision. */
    public TaskDefinition register(TaskDefinition draft) {
        TaskDefinition checked = RegistrationRules.apply(draft);
        String family = checked.family();
        int revision = lastRevision.getOrDefault(family, 0) + 1;
        TaskDefinition stored = checked.toBuilder()
                .taskDefinitionArn(arn(family, revision))
                .revision(revision)
                .status(TaskDefinitionStatus.ACTIVE)
                .registeredAt(clock.instant())
                .registeredBy(scope.rootPrincipal())
                .build();
        lastRevision.put(family, revision);
        families.computeIfAbsent(family, f -> new TreeMap<>()).put(revision, stored);
        return stored;
    }

    /**
     * The revision a {@code taskDefinition} parameter names: {@code family} (its latest ACTIVE
     * revision), {@code family:revision}, or the full ARN.
     */
    public Optional<TaskDefinition> find(String reference) {
        Ref ref = Ref.parse(reference, scope);
        if (ref == null) {
            return Optional.empty();
        }
        NavigableMap<Integer, TaskDefinition> revisions = families.get(ref.family);
        if (revisions == null) {
            return Optional.empty();
        }
        if (ref.revision != null) {
            return Optional.ofNullable(revisions.get(ref.revision));
        }
        return revisions.descendingMap().values().stream()
                .filter(td -> td.status() == TaskDefinitionStatus.ACTIVE)
                .findFirst();
    }

    public TaskDefinition describe(String reference) {
        return find(reference).orElseThrow(() -> EcsErrors.client("Unable to describe task definition."));
    }

    public TaskDefinition deregister(String reference) {
        Ref ref = Ref.parse(reference, scope);
        if (ref == null || ref.revision == null) {
            throw EcsErrors.invalidParameter("Give the task definition to deregister as family:revision or as its full ARN"
                    + " (got '" + reference + "').");
        }
        TaskDefinition current = find(reference).orElseThrow(() -> EcsErrors.client("The specified task definition does not exist."));
        if (current.status() != TaskDefinitionStatus.ACTIVE) {
            return current;
        }
        TaskDefinition inactive = current.toBuilder()
                .status(TaskDefinitionStatus.INACTIVE)
                .deregisteredAt(clock.instant())
                .build();
        families.get(ref.family).put(ref.revision, inactive);
        return inactive;
    }

    public record Deletion(List<TaskDefinition> deleted, List<Failure> failures) {
    }

    /** Marks INACTIVE revisions DELETE_IN_PROGRESS; the rest are reported as failures, as ECS does. */
    public Deletion delete(List<String> references) {
        if (references.isEmpty()) {
            throw EcsErrors.invalidParameter("size of TaskDefinition references list must be greater than 0");
        }
        if (references.size() > 10) {
            throw EcsErrors.invalidParameter("Size of TaskDefinition references list cannot exceed 10");
        }
        List<TaskDefinition> deleted = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String reference : references) {
            Ref ref = Ref.parse(reference, scope);
            TaskDefinition current = ref == null || ref.revision == null ? null : find(reference).orElse(null);
            if (ref == null || ref.revision == null) {
                failures.add(failure(reference, "The specified task definition identifier is invalid. Specify a valid name or ARN"
                        + " and try again."));
            } else if (current == null) {
                failures.add(failure(reference, "The specified task definition does not exist. Specify a valid account, family,"
                        + " revision and try again."));
            } else if (current.status() == TaskDefinitionStatus.ACTIVE) {
                failures.add(failure(reference, "The specified task definition is still in ACTIVE status."
                        + " Please deregister the target and try again."));
            } else {
                TaskDefinition deleting = current.status() == TaskDefinitionStatus.DELETE_IN_PROGRESS ? current
                        : current.toBuilder().status(TaskDefinitionStatus.DELETE_IN_PROGRESS).build();
                families.get(ref.family).put(ref.revision, deleting);
                deleted.add(deleting);
            }
        }
        return new Deletion(deleted, failures);
    }

    /** Revisions of one family (or of all when {@code family} is null) in the given status, family then revision order. */
    public List<TaskDefinition> list(String family, TaskDefinitionStatus status) {
        List<TaskDefinition> out = new ArrayList<>();
        Map<String, NavigableMap<Integer, TaskDefinition>> selected = family == null ? families
                : families.containsKey(family) ? Map.of(family, families.get(family)) : Map.of();
        for (NavigableMap<Integer, TaskDefinition> revisions : selected.values()) {
            for (TaskDefinition td : revisions.values()) {
                if (td.status() == status) {
                    out.add(td);
                }
            }
        }
        return out;
    }

    /** Family names beginning with {@code prefix}, filtered as ListTaskDefinitionFamilies filters them. */
    public List<String> families(String prefix, TaskDefinitionFamilyStatus status) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, NavigableMap<Integer, TaskDefinition>> e : families.entrySet()) {
            if (prefix != null && !e.getKey().startsWith(prefix)) {
                continue;
            }
            boolean anyActive = e.getValue().values().stream().anyMatch(td -> td.status() == TaskDefinitionStatus.ACTIVE);
            boolean keep = status == TaskDefinitionFamilyStatus.ALL
                    || (status == TaskDefinitionFamilyStatus.ACTIVE) == anyActive;
            if (keep) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /**
     * Sort key that orders by family name, then numerically by revision. The separator (a space)
     * sorts below every character a family name may contain, so {@code web} comes before {@code web-x}.
     */
    public static String sortKey(TaskDefinition td) {
        return td.family() + " " + String.format("%010d", td.revision());
    }

    private String arn(String family, int revision) {
        return Arn.ecs(scope, "task-definition/" + family + ":" + revision);
    }

    private static Failure failure(String arn, String reason) {
        return Failure.builder().arn(arn).reason(reason).build();
    }

    /** A parsed {@code taskDefinition} parameter. */
    private record Ref(String family, Integer revision) {
        static Ref parse(String reference, Scope scope) {
            if (reference == null || reference.isEmpty()) {
                return null;
            }
            String familyAndRevision = reference;
            if (reference.startsWith("arn:")) {
                Optional<Arn> arn = Arn.parse(reference);
                if (arn.isEmpty() || !arn.get().isIn(scope) || !arn.get().resourceType().equals("task-definition")) {
                    return null;
                }
                familyAndRevision = arn.get().resourceId();
                if (familyAndRevision.indexOf(':') < 0) {
                    return null;
                }
            }
            int colon = familyAndRevision.lastIndexOf(':');
            if (colon < 0) {
                return new Ref(familyAndRevision, null);
            }
            try {
                return new Ref(familyAndRevision.substring(0, colon), Integer.valueOf(familyAndRevision.substring(colon + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
