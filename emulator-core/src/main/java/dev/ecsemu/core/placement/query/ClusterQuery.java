package dev.ecsemu.core.placement.query;

import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.placement.InstanceFacts;
import java.util.function.Predicate;

/**
 * A cluster query language expression ({@code memberOf} placement constraints, ListContainerInstances
 * filters), parsed once and then tested against any number of container instances.
 *
 * <p>{@code subject operator [argument]} conditions combine with {@code and}/{@code &&},
 * {@code or}/{@code ||}, prefix {@code not}/{@code !} and parentheses; {@code not} binds tighter
 * than {@code and}, which binds tighter than {@code or}. Subjects are {@code attribute:<name>},
 * {@code task:group}, {@code agentConnected}, {@code agentVersion}, {@code ec2InstanceId},
 * {@code registeredAt} and {@code runningTasksCount}; operators are {@code ==}, {@code !=},
 * {@code >}, {@code >=}, {@code <}, {@code <=}, {@code exists}, {@code !exists}, {@code in},
 * {@code !in}, {@code =~} and {@code !~}, each also spelled as a word ({@code equals},
 * {@code not_in}, ...).
 *
 * <p>Semantics:
 * <ul>
 * <li>{@code runningTasksCount} compares numerically, {@code agentVersion} by dotted numeric
 * components ({@code 1.9 < 1.14.5}), {@code registeredAt} as a date at the precision the argument
 * was written with (against {@code 2018-06-18} the UTC day of registration; against
 * {@code 2018-06-18T22:28:28Z} the second), other subjects as strings; ordering operators on
 * attribute values compare numerically when both sides are numbers, by string order otherwise.</li>
 * <li>{@code task:group == x}, {@code in} and {@code =~} hold when any of the instance's task
 * groups satisfies them; their negations ({@code !=}, {@code not_in}, {@code !~}) hold when none
 * does, so {@code task:group != database} means the same as {@code not(task:group == database)}.</li>
 * <li>An absent subject (an attribute the instance does not have) satisfies none of the positive
 * operators and all of the negative ones: {@code exists} and {@code ==} are false, {@code !=} and
 * {@code !exists} true.</li>
 * <li>{@code =~} and {@code !~} take a Java regular expression that must match the whole value.</li>
 * <li>Values may be quoted with {@code '} or {@code "} (no escapes inside); a list for {@code in}
 * is written {@code [a, b]} or {@code (a, b)}.</li>
 * </ul>
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class ClusterQuery implements Predicate<InstanceFacts> {
    /** The longest expression ECS accepts. */
    public static final int MAX_LENGTH = 2000;

    private final String expression;
    private final Expr root;

    private ClusterQuery(String expression, Expr root) {
        this.expression = expression;
        this.root = root;
    }

    /**
     * Parses an expression.
     *
     * @throws ApiException an {@code InvalidParameterException} naming the problem and its position
     *     when the expression is empty, longer than {@value #MAX_LENGTH} characters or malformed
     */
    public static ClusterQuery parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw EcsErrors.invalidParameter("Invalid expression: the expression is empty");
        }
        if (expression.length() > MAX_LENGTH) {
            throw EcsErrors.invalidParameter("Invalid expression: it is " + expression.length()
                    + " characters long, more than the maximum of " + MAX_LENGTH);
        }
        return new ClusterQuery(expression, Parser.parse(expression));
    }

    /** Whether the instance satisfies the expression. */
    @Override
    public boolean test(InstanceFacts instance) {
        return root.test(instance);
    }

    /** The expression as written. */
    public String expression() {
        return expression;
    }

    @Override
    public String toString() {
        return expression;
    }
}
