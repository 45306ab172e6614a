package dev.ecsemu.core.placement;

/**
 * What the engine decided for one task: the chosen instance, or ECS's failure reason with the
 * instance that came closest (the {@code arn} of a RunTask failure).
 *
 * @param <C> the candidate type the engine was given
 */
public record Placement<C extends PlacementCandidate>(C chosen, String failureReason, C closest) {
    public static final String RESOURCE_CPU = "RESOURCE:CPU";
    public static final String RESOURCE_MEMORY = "RESOURCE:MEMORY";
    public static final String RESOURCE_PORTS = "RESOURCE:PORTS";
    public static final String RESOURCE_PORTS_UDP = "RESOURCE:PORTS_UDP";
    public static final String AGENT = "AGENT";
    /** No ACTIVE instance at all (every candidate is DRAINING, or there is none). */
    public static final String INACTIVE = "INACTIVE";
    public static final String MEMBER_OF_UNSATISFIED = "MemberOf placement constraint unsatisfied.";
    public static final String DISTINCT_INSTANCE_UNSATISFIED = "DistinctInstance placement constraint unsatisfied.";

    static <C extends PlacementCandidate> Placement<C> placed(C chosen) {
        return new Placement<>(chosen, null, null);
    }

    static <C extends PlacementCandidate> Placement<C> failed(String reason, C closest) {
        return new Placement<>(null, reason, closest);
    }

    public boolean placed() {
        return chosen != null;
    }

    /** The ARN a RunTask failure names: the closest instance's, or null when there was none. */
    public String closestArn() {
        return closest == null ? null : closest.arn();
    }
}
