package dev.ecsemu.core.placement.query;

import java.math.BigDecimal;
import java.util.Set;
import java.util.regex.Pattern;

/** A test of one value in string form, as the string subjects and every regular expression use it. */
sealed interface StringTest {

    boolean test(String value);

    /** {@code == value}: exact, case-sensitive equality. */
    record Equal(String value) implements StringTest {
        @Override
        public boolean test(String candidate) {
            return value.equals(candidate);
        }
    }

    /** {@code in [a, b, ...]}. */
    record OneOf(Set<String> values) implements StringTest {
        public OneOf {
            values = Set.copyOf(values);
        }

        @Override
        public boolean test(String candidate) {
            return values.contains(candidate);
        }
    }

    /** {@code =~ pattern}: the whole value must match the Java regular expression. */
    record Matching(Pattern pattern) implements StringTest {
        @Override
        public boolean test(String candidate) {
            return pattern.matcher(candidate).matches();
        }
    }

    /**
     * {@code > value} and the other orderings: numerically when both sides are decimal numbers
     * ({@code attribute:cores >= 8}), by string order otherwise.
     */
    record Ordered(Operator operator, String value, BigDecimal number) implements StringTest {
        static Ordered of(Operator operator, String value) {
            return new Ordered(operator, value, Values.decimal(value));
        }

        @Override
        public boolean test(String candidate) {
            BigDecimal other = number == null ? null : Values.decimal(candidate);
            int comparison = other != null ? other.compareTo(number) : candidate.compareTo(value);
            return operator.accepts(comparison);
        }
    }
}
