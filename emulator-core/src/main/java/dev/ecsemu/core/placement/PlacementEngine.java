package dev.ecsemu.core.placement;

import dev.ecsemu.core.containerinstance.Reservation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraint;

/**
 * Places one task at a time on a cluster's container instances, as ECS does for the EC2 launch
 * type: (1) keep the ACTIVE instances with the CPU, memory and fixed host ports the task needs;
 * (2) keep those that satisfy every placement constraint; (3) order them by the strategies, each
 * breaking the ties the previous ones leave; (4) take the first. When nothing is left the answer
 * is ECS's failure reason of the instance that came closest.
 *
 * <p>One decision is a single pass over the candidates without allocating per candidate; group
 * counts come from the candidates' own index ({@link PlacementCandidate#groupTaskCount}), never
 * from a scan of the tasks. Call it under the store's single writer: the candidates' state must not
 * change during a decision, and a seeded {@link Random} only reproduces a run when used in order.
 *
 * <p>From RunTask:
 *
 * <pre>{@code
 * PlacementRules rules = engine.runTaskRules(td.placementConstraints(), request.placementConstraints(),
 *         request.placementStrategy());
 * List<ContainerInstanceCandidate> candidates = ContainerInstanceCandidate.of(containerInstances.registered(clusterArn));
 * for (int i = 0; i < count; i++) {
 *     Placement<ContainerInstanceCandidate> p = engine.place(candidates, need, Tasks.group(spec), rules);
 *     if (p.placed()) {
 *         tasks.create(cluster, spec, p.chosen().instance()); // reserves and counts the group: the next decision sees it
 *     } else {
 *         failures.add(Failure.builder().arn(p.closestArn()).reason(p.failureReason()).build());
 *     }
 * }
 * }</pre>
 */
public final class PlacementEngine {
    // How far an instance got through the checks; the one that got furthest is the closest.
    private static final int STAGE_AGENT = 0;
    private static final int STAGE_CPU = 1;
    private static final int STAGE_MEMORY = 2;
    private static final int STAGE_PORTS = 3;
    private static final int STAGE_PORTS_UDP = 4;
    private static final int STAGE_FIRST_CONSTRAINT = 5;
    private static final int PASSED = Integer.MAX_VALUE;
    private static final int[] NO_PORTS = new int[0];

    private final Function<String, Predicate<InstanceFacts>> queryCompiler;
    private final Random random;

    /**
     * @param queryCompiler compiles a cluster query language expression to a predicate over an
     *                      instance, refusing a malformed one with an {@code InvalidParameterException}
     * @param random        breaks ties for the random strategy (seed it for reproducible tests)
     */
    public PlacementEngine(Function<String, Predicate<InstanceFacts>> queryCompiler, Random random) {
        this.queryCompiler = queryCompiler;
        this.random = random;
    }

    /** RunTask's rules: without strategies, tasks are placed at random. */
    public PlacementRules runTaskRules(List<TaskDefinitionPlacementConstraint> taskDefinitionConstraints,
            List<PlacementConstraint> requestConstraints, List<PlacementStrategy> strategies) {
        return PlacementRules.compile(taskDefinitionConstraints, requestConstraints, strategies,
                PlacementRules.RUN_TASK_DEFAULT_STRATEGIES, queryCompiler);
    }

    /** A service's rules: without strategies, its tasks spread over Availability Zones, then instances. */
    public PlacementRules serviceRules(List<TaskDefinitionPlacementConstraint> taskDefinitionConstraints,
            List<PlacementConstraint> serviceConstraints, List<PlacementStrategy> strategies) {
        return PlacementRules.compile(taskDefinitionConstraints, serviceConstraints, strategies,
                PlacementRules.SERVICE_DEFAULT_STRATEGIES, queryCompiler);
    }

    /**
     * Chooses the instance for one task.
     *
     * @param candidates the cluster's registered instances (ACTIVE and DRAINING), in a stable order
     *                   (ties without a random strategy go to the first)
     * @param need       what the task reserves
     * @param group      the task's group ({@code service:<name>} for a service's tasks,
     *                   {@code family:<family>} or the requested group for standalone ones); spread
     *                   and distinctInstance count the tasks of this group
     * @param rules      from {@link #runTaskRules} or {@link #serviceRules}
     */
    public <C extends PlacementCandidate> Placement<C> place(List<C> candidates, Reservation need, String group, PlacementRules rules) {
        int n = candidates.size();
        int[] tcp = ports(need.tcpPorts());
        int[] udp = ports(need.udpPorts());
        int[] kinds = rules.keyKinds;
        int keyCount = kinds.length;
        PlacementRules.Constraint[] constraints = rules.compiledConstraints;

        // Spread over an attribute compares the group's task count per attribute value, over all instances.
        @SuppressWarnings("unchecked")
        Map<String, int[]>[] perValue = new Map[keyCount];
        for (int k = 0; k < keyCount; k++) {
            if (kinds[k] == PlacementRules.SPREAD_ATTRIBUTE) {
                perValue[k] = tasksPerValue(candidates, rules.keyAttributes[k], group);
            }
        }

        long[] keys = new long[keyCount];
        long[] bestKeys = new long[keyCount];
        C best = null;
        int[] ties = rules.randomTieBreak ? new int[n] : null;
        int tieCount = 0;

        C closest = null;
        int closestStage = -1;
        long closestShortfall = Long.MAX_VALUE;
        C firstInactive = null;

        for (int i = 0; i < n; i++) {
            C c = candidates.get(i);
            if (!c.isActive()) {
                if (firstInactive == null) {
                    firstInactive = c;
                }
                continue;
            }
            int stage;
            long shortfall = 0;
            if (!c.agentConnected()) {
                stage = STAGE_AGENT;
            } else if ((shortfall = (long) need.cpu() - c.remainingCpu()) > 0) {
                stage = STAGE_CPU;
            } else if ((shortfall = (long) need.memory() - c.remainingMemory()) > 0) {
                stage = STAGE_MEMORY;
            } else {
                shortfall = 0;
                stage = portsStage(c, tcp, udp);
                if (stage == PASSED) {
                    stage = constraintsStage(c, constraints, group);
                }
            }
            if (stage != PASSED) {
                if (stage > closestStage || (stage == closestStage && shortfall < closestShortfall)) {
                    closest = c;
                    closestStage = stage;
                    closestShortfall = shortfall;
                }
                continue;
            }
            for (int k = 0; k < keyCount; k++) {
                keys[k] = key(c, kinds[k], rules.keyAttributes[k], perValue[k], group);
            }
            int order = best == null ? -1 : compare(keys, bestKeys);
            if (order < 0) {
                best = c;
                long[] swap = bestKeys;
                bestKeys = keys;
                keys = swap;
                if (ties != null) {
                    ties[0] = i;
                    tieCount = 1;
                }
            } else if (order == 0 && ties != null) {
                ties[tieCount++] = i;
            }
        }
        if (best != null) {
            return Placement.placed(tieCount > 1 ? candidates.get(ties[random.nextInt(tieCount)]) : best);
        }
        if (closest != null) {
            return Placement.failed(reason(closestStage, constraints), closest);
        }
        return Placement.failed(Placement.INACTIVE, firstInactive);
    }

    private static int[] ports(Set<Integer> ports) {
        if (ports == null || ports.isEmpty()) {
            return NO_PORTS;
        }
        int[] out = new int[ports.size()];
        int i = 0;
        for (int p : ports) {
            out[i++] = p;
        }
        return out;
    }

    private static int portsStage(PlacementCandidate c, int[] tcp, int[] udp) {
        for (int p : tcp) {
            if (!c.portFree(p, false)) {
                return STAGE_PORTS;
            }
        }
        for (int p : udp) {
            if (!c.portFree(p, true)) {
                return STAGE_PORTS_UDP;
            }
        }
        return PASSED;
    }

    private static int constraintsStage(PlacementCandidate c, PlacementRules.Constraint[] constraints, String group) {
        for (int j = 0; j < constraints.length; j++) {
            PlacementRules.Constraint constraint = constraints[j];
            boolean ok = constraint.distinctInstance() ? c.groupTaskCount(group) == 0 : constraint.memberOf().test(c);
            if (!ok) {
                return STAGE_FIRST_CONSTRAINT + j;
            }
        }
        return PASSED;
    }

    private static String reason(int stage, PlacementRules.Constraint[] constraints) {
        switch (stage) {
            case STAGE_AGENT:
                return Placement.AGENT;
            case STAGE_CPU:
                return Placement.RESOURCE_CPU;
            case STAGE_MEMORY:
                return Placement.RESOURCE_MEMORY;
            case STAGE_PORTS:
                return Placement.RESOURCE_PORTS;
            case STAGE_PORTS_UDP:
                return Placement.RESOURCE_PORTS_UDP;
            default:
                return constraints[stage - STAGE_FIRST_CONSTRAINT].failureReason();
        }
    }

    /** A candidate's ordering key for one strategy: lower is preferred. */
    private static long key(PlacementCandidate c, int kind, String attribute, Map<String, int[]> perValue, String group) {
        switch (kind) {
            case PlacementRules.BINPACK_CPU:
                return c.remainingCpu();
            case PlacementRules.BINPACK_MEMORY:
                return c.remainingMemory();
            case PlacementRules.SPREAD_INSTANCE:
                return c.groupTaskCount(group);
            default:
                return perValue.get(c.attribute(attribute))[0];
        }
    }

    private static int compare(long[] a, long[] b) {
        for (int k = 0; k < a.length; k++) {
            if (a[k] != b[k]) {
                return a[k] < b[k] ? -1 : 1;
            }
        }
        return 0;
    }

    /** The group's live tasks per value of the attribute, over every candidate (an absent attribute is its own value). */
    private static Map<String, int[]> tasksPerValue(List<? extends PlacementCandidate> candidates, String attribute, String group) {
        Map<String, int[]> out = new HashMap<>();
        for (int i = 0, n = candidates.size(); i < n; i++) {
            PlacementCandidate c = candidates.get(i);
            String value = c.attribute(attribute);
            int[] count = out.get(value);
            if (count == null) {
                count = new int[1];
                out.put(value, count);
            }
            count[0] += c.groupTaskCount(group);
        }
        return out;
    }
}
