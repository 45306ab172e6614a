package dev.ecsemu.core.placement.query;

import dev.ecsemu.core.placement.query.Expr.And;
import dev.ecsemu.core.placement.query.Expr.CountCondition;
import dev.ecsemu.core.placement.query.Expr.DateCondition;
import dev.ecsemu.core.placement.query.Expr.Exists;
import dev.ecsemu.core.placement.query.Expr.Not;
import dev.ecsemu.core.placement.query.Expr.Or;
import dev.ecsemu.core.placement.query.Expr.StringCondition;
import dev.ecsemu.core.placement.query.Expr.VersionCondition;
import dev.ecsemu.core.placement.query.Tokenizer.Token;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive-descent parser of the cluster query language:
 *
 * <pre>
 * expression := or
 * or         := and (("or" | "||") and)*
 * and        := unary (("and" | "&amp;&amp;") unary)*
 * unary      := ("not" | "!") unary | "(" expression ")" | condition
 * condition  := subject operator [argument]
 * argument   := value | list          (a list for in / not_in, nothing for exists / not_exists)
 * list       := "[" value ("," value)* "]" | "(" value ("," value)* ")"
 * value      := bare | 'quoted' | "quoted"
 * </pre>
 */
final class Parser {
    private static final String SUBJECTS =
            "attribute:<name>, task:group, agentConnected, agentVersion, ec2InstanceId, registeredAt or runningTasksCount";

    private final Tokenizer tokens;

    private Parser(String expression) {
        this.tokens = new Tokenizer(expression);
    }

    static Expr parse(String expression) {
        return new Parser(expression).expression();
    }

    private Expr expression() {
        Expr expr = or();
        if (!tokens.atEnd()) {
            int at = tokens.position();
            if (tokens.peekIs(')')) {
                throw tokens.error("unbalanced parentheses: the ')' at position " + at + " has no matching '('");
            }
            throw tokens.error("unexpected " + tokens.found() + " at position " + at
                    + "; expected 'and', 'or' or the end of the expression");
        }
        return expr;
    }

    private Expr or() {
        Expr expr = and();
        while (tokens.accept("||") || tokens.acceptWord("or")) {
            expr = new Or(expr, and());
        }
        return expr;
    }

    private Expr and() {
        Expr expr = unary();
        while (tokens.accept("&&") || tokens.acceptWord("and")) {
            expr = new And(expr, unary());
        }
        return expr;
    }

    private Expr unary() {
        if (tokens.acceptWord("not") || acceptBang()) {
            return new Not(unary());
        }
        if (tokens.peekIs('(')) {
            int open = tokens.position();
            tokens.accept("(");
            Expr inner = or();
            if (!tokens.accept(")")) {
                if (tokens.atEnd()) {
                    throw tokens.error("unbalanced parentheses: the '(' at position " + open + " is never closed");
                }
                throw tokens.error("unexpected " + tokens.found() + " at position " + tokens.position()
                        + "; expected 'and', 'or' or the ')' that closes the '(' at position " + open);
            }
            return inner;
        }
        return condition();
    }

    /** {@code !} as the prefix not, but not the start of an operator such as {@code !=}. */
    private boolean acceptBang() {
        if (tokens.peekIs('!')) {
            int at = tokens.position();
            tokens.accept("!");
            if (tokens.peekIs('=') || tokens.peekIs('~')) {
                throw tokens.error("expected a condition at position " + at + " but found an operator");
            }
            return true;
        }
        return false;
    }

    private Expr condition() {
        Token subjectToken = tokens.subject();
        Subject subject = subject(subjectToken);

        Token opToken = tokens.operator();
        if (opToken.text().isEmpty()) {
            throw tokens.error("missing operator after '" + subject.text() + "' at position " + opToken.position()
                    + " (found " + tokens.found() + "); expected one of " + Operator.EXPECTED);
        }
        Operator op = Operator.of(opToken.text());
        if (op == null) {
            throw tokens.error("unknown operator '" + opToken.text() + "' at position " + opToken.position()
                    + "; expected one of " + Operator.EXPECTED);
        }
        if (!op.takesArgument()) {
            return new Exists(subject, op.negated());
        }
        List<Token> arguments = op.takesList() ? list(opToken) : List.of(value(opToken, op.positive() == Operator.MATCHES));
        return build(subject, op, opToken, arguments);
    }

    private Subject subject(Token token) {
        String text = token.text();
        if (text.isEmpty()) {
            throw tokens.error("expected a condition (subject operator [argument]) at position " + token.position()
                    + " but found " + tokens.found());
        }
        if (text.startsWith("attribute:")) {
            String name = text.substring("attribute:".length());
            if (name.isEmpty()) {
                throw tokens.error("missing attribute name after 'attribute:' at position " + token.position());
            }
            for (int i = 0; i < name.length(); i++) {
                if (!Tokenizer.isAttributeNameChar(name.charAt(i))) {
                    throw tokens.error("invalid attribute name '" + name + "' at position " + token.position()
                            + "; names use letters, digits, '_', '.', '/' and '-'");
                }
            }
            if (name.length() > 128) {
                throw tokens.error("attribute name at position " + token.position() + " is longer than 128 characters");
            }
            return new Subject.Attribute(name);
        }
        Subject.Field field = Subject.Field.named(text);
        if (field == null) {
            throw tokens.error("unknown subject '" + text + "' at position " + token.position() + "; expected " + SUBJECTS);
        }
        return field;
    }

    private Token value(Token opToken, boolean regex) {
        Token value = tokens.value(regex);
        if (value.quoted() || !value.text().isEmpty()) {
            return value;
        }
        if (tokens.atEnd() || tokens.peekIs(')') || tokens.peekIs('&') || tokens.peekIs('|')) {
            throw tokens.error("missing argument for operator '" + opToken.text() + "' at position " + value.position());
        }
        throw tokens.error("expected a value for operator '" + opToken.text() + "' at position " + value.position()
                + " but found " + tokens.found());
    }

    private List<Token> list(Token opToken) {
        if (tokens.atEnd()) {
            throw tokens.error("missing argument for operator '" + opToken.text() + "' at position " + tokens.position()
                    + "; expected a list such as [a, b]");
        }
        int open = tokens.position();
        char close;
        if (tokens.accept("[")) {
            close = ']';
        } else if (tokens.accept("(")) {
            close = ')';
        } else {
            throw tokens.error("operator '" + opToken.text() + "' expects a list such as [a, b] at position " + open
                    + " but found " + tokens.found());
        }
        List<Token> values = new ArrayList<>();
        while (true) {
            if (values.isEmpty() && tokens.accept(String.valueOf(close))) {
                throw tokens.error("empty list for operator '" + opToken.text() + "' at position " + open);
            }
            Token value = tokens.value(false);
            if (!value.quoted() && value.text().isEmpty()) {
                throw unclosedOr(open, close, "expected a value at position " + tokens.position() + " but found " + tokens.found());
            }
            values.add(value);
            if (tokens.accept(",")) {
                continue;
            }
            if (tokens.accept(String.valueOf(close))) {
                return values;
            }
            throw unclosedOr(open, close, "expected ',' or '" + close + "' at position " + tokens.position()
                    + " in the list opened at position " + open + " but found " + tokens.found());
        }
    }

    private RuntimeException unclosedOr(int open, char close, String problem) {
        if (tokens.atEnd()) {
            return tokens.error("unterminated list: the list opened at position " + open + " is never closed with '"
                    + close + "'");
        }
        return tokens.error(problem);
    }

    private Expr build(Subject subject, Operator op, Token opToken, List<Token> arguments) {
        Operator positive = op.positive();
        boolean negated = op.negated();
        if (positive == Operator.MATCHES) {
            return new StringCondition(subject, new StringTest.Matching(regex(arguments.get(0))), negated);
        }
        if (subject == Subject.Field.RUNNING_TASKS_COUNT) {
            List<Long> counts = new ArrayList<>();
            for (Token t : arguments) {
                Long n = Values.wholeNumber(t.text());
                if (n == null) {
                    throw wrongType(subject, "a whole number such as 1", t);
                }
                counts.add(n);
            }
            return new CountCondition(positive, counts, negated);
        }
        if (subject == Subject.Field.AGENT_VERSION) {
            List<int[]> versions = new ArrayList<>();
            for (Token t : arguments) {
                int[] v = Values.version(t.text());
                if (v == null) {
                    throw wrongType(subject, "a version such as 1.14.5", t);
                }
                versions.add(v);
            }
            return new VersionCondition(positive, versions, negated);
        }
        if (subject == Subject.Field.REGISTERED_AT) {
            List<Values.DateArgument> dates = new ArrayList<>();
            for (Token t : arguments) {
                Values.DateArgument d = Values.date(t.text());
                if (d == null) {
                    throw wrongType(subject, "a date such as 2018-06-18, 2018-06-18T22:28:28, 2018-06-18T22:28:28Z"
                            + " or 2018-06-18T22:28:28+00:00", t);
                }
                dates.add(d);
            }
            return new DateCondition(positive, dates, negated);
        }
        List<String> values = new ArrayList<>();
        for (Token t : arguments) {
            values.add(subject == Subject.Field.AGENT_CONNECTED ? bool(t) : t.text());
        }
        if (op.ordering()) {
            if (subject == Subject.Field.AGENT_CONNECTED) {
                throw tokens.error("operator '" + opToken.text() + "' at position " + opToken.position()
                        + " does not apply to agentConnected, which is true or false");
            }
            return new StringCondition(subject, StringTest.Ordered.of(op, values.get(0)), false);
        }
        StringTest test = positive == Operator.IN
                ? new StringTest.OneOf(new LinkedHashSet<>(values))
                : new StringTest.Equal(values.get(0));
        return new StringCondition(subject, test, negated);
    }

    private Pattern regex(Token token) {
        try {
            return Pattern.compile(token.text());
        } catch (PatternSyntaxException e) {
            throw tokens.error("invalid regular expression '" + token.text() + "' at position " + token.position()
                    + ": " + e.getDescription());
        }
    }

    private String bool(Token token) {
        String text = token.text().toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            throw wrongType(Subject.Field.AGENT_CONNECTED, "true or false", token);
        }
        return text;
    }

    private RuntimeException wrongType(Subject subject, String expected, Token token) {
        return tokens.error(subject.text() + " compares with " + expected + ", not '" + token.text() + "' at position "
                + token.position());
    }
}
