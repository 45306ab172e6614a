package dev.ecsemu.core.placement.query;

import dev.ecsemu.core.placement.InstanceFacts;
import java.time.Instant;
import java.util.List;

/**
 * A parsed expression: an immutable tree of {@code and}, {@code or}, {@code not} and conditions,
 * evaluated against one instance at a time without allocating (regular expressions aside, which
 * need a matcher).
 */
sealed interface Expr permits Expr.And, Expr.Or, Expr.Not, Expr.Condition {

    boolean test(InstanceFacts facts);

    record And(Expr left, Expr right) implements Expr {
        @Override
        public boolean test(InstanceFacts facts) {
            return left.test(facts) && right.test(facts);
        }
    }

    record Or(Expr left, Expr right) implements Expr {
        @Override
        public boolean test(InstanceFacts facts) {
            return left.test(facts) || right.test(facts);
        }
    }

    record Not(Expr operand) implements Expr {
        @Override
        public boolean test(InstanceFacts facts) {
            return !operand.test(facts);
        }
    }

    /**
     * {@code subject operator [argument]}. A negative operator ({@code !=}, {@code not_in},
     * {@code !~}, {@code !exists}) is the negation of its positive form, so it holds where the
     * subject is absent and, for {@code task:group}, where no group of the instance matches.
     */
    sealed interface Condition extends Expr permits Exists, StringCondition, CountCondition, VersionCondition, DateCondition {
        boolean negated();

        /** Whether the positive form of the operator holds; false when the subject has no value. */
        boolean holds(InstanceFacts facts);

        @Override
        default boolean test(InstanceFacts facts) {
            return negated() != holds(facts);
        }
    }

    /** {@code exists} and {@code !exists}. */
    record Exists(Subject subject, boolean negated) implements Condition {
        @Override
        public boolean holds(InstanceFacts facts) {
            return subject.exists(facts);
        }
    }

    /** A test of the subject's value(s) in string form: the string subjects, and any subject with {@code =~}. */
    record StringCondition(Subject subject, StringTest stringTest, boolean negated) implements Condition {
        @Override
        public boolean holds(InstanceFacts facts) {
            return subject.anyString(facts, stringTest);
        }
    }

    /** {@code runningTasksCount} compared numerically with one argument, or with any of a list for {@code in}. */
    record CountCondition(Operator operator, List<Long> arguments, boolean negated) implements Condition {
        public CountCondition {
            arguments = List.copyOf(arguments);
        }

        @Override
        public boolean holds(InstanceFacts facts) {
            long count = facts.runningTasksCount();
            for (int i = 0, n = arguments.size(); i < n; i++) {
                if (operator.accepts(Long.compare(count, arguments.get(i)))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code agentVersion} compared by dotted numeric components. */
    record VersionCondition(Operator operator, List<int[]> arguments, boolean negated) implements Condition {
        public VersionCondition {
            arguments = List.copyOf(arguments);
        }

        @Override
        public boolean holds(InstanceFacts facts) {
            String version = facts.agentVersion();
            if (version == null) {
                return false;
            }
            for (int i = 0, n = arguments.size(); i < n; i++) {
                int comparison = Values.compareVersion(version, arguments.get(i));
                if (comparison != Values.NOT_A_VERSION && operator.accepts(comparison)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code registeredAt} compared with dates, each at the precision it was written with. */
    record DateCondition(Operator operator, List<Values.DateArgument> arguments, boolean negated) implements Condition {
        public DateCondition {
            arguments = List.copyOf(arguments);
        }

        @Override
        public boolean holds(InstanceFacts facts) {
            Instant registeredAt = facts.registeredAt();
            if (registeredAt == null) {
                return false;
            }
            for (int i = 0, n = arguments.size(); i < n; i++) {
                if (operator.accepts(arguments.get(i).compare(registeredAt))) {
                    return true;
                }
            }
            return false;
        }
    }
}
