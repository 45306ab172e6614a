package dev.ecsemu.core.placement;

import dev.ecsemu.core.error.EcsErrors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.PlacementStrategyType;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraint;

/**
 * The placement constraints and strategies of one RunTask call (or one service), validated and
 * compiled once, then used for every task the call places. Made by {@link #compile}; refusals are
 * {@code InvalidParameterException}s.
 */
public final class PlacementRules {
    public static final int MAX_STRATEGIES = 5;
    public static final int MAX_CONSTRAINTS = 10;
    public static final int MAX_EXPRESSION_LENGTH = 2000;

    /** RunTask without a placement strategy places at random among the instances that fit. */
    public static final List<PlacementStrategy> RUN_TASK_DEFAULT_STRATEGIES = List.of(
            PlacementStrategy.builder().type(PlacementStrategyType.RANDOM).build());
    /** A service without a placement strategy spreads over Availability Zones, then over instances. */
    public static final List<PlacementStrategy> SERVICE_DEFAULT_STRATEGIES = List.of(
            PlacementStrategy.builder().type(PlacementStrategyType.SPREAD).field("attribute:ecs.availability-zone").build(),
            PlacementStrategy.builder().type(PlacementStrategyType.SPREAD).field("instanceId").build());

    static final int BINPACK_CPU = 0;
    static final int BINPACK_MEMORY = 1;
    static final int SPREAD_INSTANCE = 2;
    static final int SPREAD_ATTRIBUTE = 3;

    /** One compiled constraint: memberOf (with its predicate) or distinctInstance (predicate null). */
    record Constraint(Predicate<InstanceFacts> memberOf, String failureReason) {
        boolean distinctInstance() {
            return memberOf == null;
        }
    }

    private final List<PlacementConstraint> constraints;
    private final List<PlacementStrategy> strategies;
    final Constraint[] compiledConstraints;
    /** The ordering keys, in order, up to (not including) the first random strategy. */
    final int[] keyKinds;
    /** The attribute name of each SPREAD_ATTRIBUTE key (null for the other kinds). */
    final String[] keyAttributes;
    /** Whether a random strategy breaks the ties the keys leave. */
    final boolean randomTieBreak;

    private PlacementRules(List<PlacementConstraint> constraints, List<PlacementStrategy> strategies, Constraint[] compiledConstraints,
            int[] keyKinds, String[] keyAttributes, boolean randomTieBreak) {
        this.constraints = constraints;
        this.strategies = strategies;
        this.compiledConstraints = compiledConstraints;
        this.keyKinds = keyKinds;
        this.keyAttributes = keyAttributes;
        this.randomTieBreak = randomTieBreak;
    }

    /**
     * Validates and compiles a task's placement rules.
     *
     * @param taskDefinitionConstraints the task definition's constraints (memberOf only), or null
     * @param requestConstraints        the request's constraints, or null
     * @param strategies                the request's strategies; null or empty for {@code defaultStrategies}
     * @param defaultStrategies         {@link #RUN_TASK_DEFAULT_STRATEGIES} or {@link #SERVICE_DEFAULT_STRATEGIES}
     * @param queryCompiler             compiles a cluster query language expression (refusing bad ones itself)
     */
    public static PlacementRules compile(List<TaskDefinitionPlacementConstraint> taskDefinitionConstraints,
            List<PlacementConstraint> requestConstraints, List<PlacementStrategy> strategies, List<PlacementStrategy> defaultStrategies,
            Function<String, Predicate<InstanceFacts>> queryCompiler) {
        List<PlacementConstraint> all = new ArrayList<>();
        if (taskDefinitionConstraints != null) {
            for (TaskDefinitionPlacementConstraint c : taskDefinitionConstraints) {
                all.add(PlacementConstraint.builder().type(c.typeAsString()).expression(c.expression()).build());
            }
        }
        int fromTaskDefinition = all.size();
        if (requestConstraints != null) {
            all.addAll(requestConstraints);
        }
        if (all.size() > MAX_CONSTRAINTS) {
            throw EcsErrors.invalidParameter("A task can have at most " + MAX_CONSTRAINTS + " placement constraints, those of the task"
                    + " definition and of the request together; got " + all.size() + " (" + fromTaskDefinition
                    + " from the task definition).");
        }
        List<PlacementStrategy> given = strategies == null ? List.of() : strategies;
        if (given.size() > MAX_STRATEGIES) {
            throw EcsErrors.invalidParameter("A task can have at most " + MAX_STRATEGIES + " placement strategies; got " + given.size() + ".");
        }
        Constraint[] compiled = new Constraint[all.size()];
        for (int i = 0; i < all.size(); i++) {
            compiled[i] = compileConstraint(all.get(i), queryCompiler);
        }
        List<PlacementStrategy> effective = given.isEmpty() ? defaultStrategies : given;
        int[] kinds = new int[effective.size()];
        String[] attributes = new String[effective.size()];
        int keys = 0;
        boolean random = false;
        for (PlacementStrategy s : effective) {
            String field = s.field() == null || s.field().isEmpty() ? null : s.field();
            PlacementStrategyType type = s.type();
            if (type == PlacementStrategyType.RANDOM) {
                if (field != null) {
                    throw EcsErrors.invalidParameter("The random placement strategy takes no field; got '" + field + "'.");
                }
                random = true;
            } else if (type == PlacementStrategyType.BINPACK) {
                String f = field == null ? "" : field.toLowerCase(Locale.ROOT);
                if (!f.equals("cpu") && !f.equals("memory")) {
                    throw EcsErrors.invalidParameter("The binpack placement strategy needs the field cpu or memory; got "
                            + (field == null ? "none" : "'" + field + "'") + ".");
                }
                if (!random) {
                    kinds[keys++] = f.equals("cpu") ? BINPACK_CPU : BINPACK_MEMORY;
                }
            } else if (type == PlacementStrategyType.SPREAD) {
                int kind;
                String attribute = null;
                if (field != null && (field.equalsIgnoreCase("instanceId") || field.equalsIgnoreCase("host"))) {
                    kind = SPREAD_INSTANCE;
                } else if (field != null && field.startsWith("attribute:") && field.length() > "attribute:".length()) {
                    kind = SPREAD_ATTRIBUTE;
                    attribute = field.substring("attribute:".length());
                } else {
                    throw EcsErrors.invalidParameter("The spread placement strategy needs the field instanceId, host or attribute:<name>; got "
                            + (field == null ? "none" : "'" + field + "'") + ".");
                }
                if (!random) {
                    attributes[keys] = attribute;
                    kinds[keys++] = kind;
                }
            } else {
                String name = s.typeAsString();
                throw EcsErrors.invalidParameter(name == null || name.isEmpty()
                        ? "A placement strategy needs a type: random, spread or binpack."
                        : "Unknown placement strategy type '" + name + "': use random, spread or binpack.");
            }
        }
        int[] keyKinds = new int[keys];
        String[] keyAttributes = new String[keys];
        System.arraycopy(kinds, 0, keyKinds, 0, keys);
        System.arraycopy(attributes, 0, keyAttributes, 0, keys);
        return new PlacementRules(Collections.unmodifiableList(all), List.copyOf(effective), compiled, keyKinds, keyAttributes, random);
    }

    private static Constraint compileConstraint(PlacementConstraint c, Function<String, Predicate<InstanceFacts>> queryCompiler) {
        String expression = c.expression();
        boolean hasExpression = expression != null && !expression.isBlank();
        if (expression != null && expression.length() > MAX_EXPRESSION_LENGTH) {
            throw EcsErrors.invalidParameter("A placement constraint expression can be at most " + MAX_EXPRESSION_LENGTH
                    + " characters long; got " + expression.length() + ".");
        }
        PlacementConstraintType type = c.type();
        if (type == PlacementConstraintType.DISTINCT_INSTANCE) {
            if (hasExpression) {
                throw EcsErrors.invalidParameter("A distinctInstance placement constraint takes no expression; got '" + expression + "'.");
            }
            return new Constraint(null, Placement.DISTINCT_INSTANCE_UNSATISFIED);
        }
        if (type == PlacementConstraintType.MEMBER_OF) {
            if (!hasExpression) {
                throw EcsErrors.invalidParameter("A memberOf placement constraint needs an expression in the cluster query language.");
            }
            Predicate<InstanceFacts> predicate = queryCompiler.apply(expression);
            if (predicate == null) {
                throw EcsErrors.invalidParameter("The placement constraint expression '" + expression + "' could not be compiled.");
            }
            return new Constraint(predicate, Placement.MEMBER_OF_UNSATISFIED);
        }
        String name = c.typeAsString();
        throw EcsErrors.invalidParameter(name == null || name.isEmpty()
                ? "A placement constraint needs a type: distinctInstance or memberOf."
                : "Unknown placement constraint type '" + name + "': use distinctInstance or memberOf.");
    }

    /** Whether a distinctInstance constraint is in force: no two tasks of the group on one instance. */
    public boolean distinctInstance() {
        for (Constraint c : compiledConstraints) {
            if (c.distinctInstance()) {
                return true;
            }
        }
        return false;
    }

    /** All constraints in force: the task definition's, then the request's. */
    public List<PlacementConstraint> constraints() {
        return constraints;
    }

    /** The strategies in force: the request's, or the default when it gave none. */
    public List<PlacementStrategy> strategies() {
        return strategies;
    }
}
