package dev.ecsemu.core.placement.query;

import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;

/** The comparison operators of the cluster query language, each with its symbol and its word form. */
enum Operator {
    EQUALS("==", "equals"),
    NOT_EQUALS("!=", "not_equals"),
    GREATER_THAN(">", "greater_than"),
    GREATER_THAN_EQUAL(">=", "greater_than_equal"),
    LESS_THAN("<", "less_than"),
    LESS_THAN_EQUAL("<=", "less_than_equal"),
    EXISTS("exists", "exists"),
    NOT_EXISTS("!exists", "not_exists"),
    IN("in", "in"),
    NOT_IN("!in", "not_in"),
    MATCHES("=~", "matches"),
    NOT_MATCHES("!~", "not_matches");

    private static final Map<String, Operator> BY_SPELLING = new HashMap<>();
    /** The spellings a person can pick from, for messages. */
    static final String EXPECTED;

    static {
        StringJoiner symbols = new StringJoiner(", ");
        StringJoiner words = new StringJoiner(", ");
        for (Operator op : values()) {
            BY_SPELLING.put(op.symbol, op);
            BY_SPELLING.put(op.word, op);
            symbols.add(op.symbol);
            if (!op.word.equals(op.symbol)) {
                words.add(op.word);
            }
        }
        EXPECTED = symbols + " (or " + words + ")";
    }

    private final String symbol;
    private final String word;

    Operator(String symbol, String word) {
        this.symbol = symbol;
        this.word = word;
    }

    /** The operator spelled exactly so, or null. */
    static Operator of(String spelling) {
        return BY_SPELLING.get(spelling);
    }

    String symbol() {
        return symbol;
    }

    /** The operator this one negates ({@code !=} negates {@code ==}), or itself. */
    Operator positive() {
        return switch (this) {
            case NOT_EQUALS -> EQUALS;
            case NOT_EXISTS -> EXISTS;
            case NOT_IN -> IN;
            case NOT_MATCHES -> MATCHES;
            default -> this;
        };
    }

    boolean negated() {
        return positive() != this;
    }

    boolean takesArgument() {
        return positive() != EXISTS;
    }

    boolean takesList() {
        return positive() == IN;
    }

    boolean ordering() {
        return this == GREATER_THAN || this == GREATER_THAN_EQUAL || this == LESS_THAN || this == LESS_THAN_EQUAL;
    }

    /**
     * Whether a value that compares to an argument as {@code comparison} (negative, zero, positive)
     * satisfies this operator; equality and {@code in} ask for zero.
     */
    boolean accepts(int comparison) {
        return switch (this) {
            case GREATER_THAN -> comparison > 0;
            case GREATER_THAN_EQUAL -> comparison >= 0;
            case LESS_THAN -> comparison < 0;
            case LESS_THAN_EQUAL -> comparison <= 0;
            default -> comparison == 0;
        };
    }
}
