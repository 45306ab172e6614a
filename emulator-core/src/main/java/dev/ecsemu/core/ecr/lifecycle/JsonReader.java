package dev.ecsemu.core.ecr.lifecycle;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader for the lifecycle policy text. The core may not use Jackson (see
 * ArchitectureTest), and a policy is at most 30,720 characters, so a small reader does.
 *
 * <p>Values: {@code Map<String, Object>} (keys in document order, a repeated key keeps its last
 * value), {@code List<Object>}, {@code String}, {@code BigInteger} for numbers written without
 * fraction or exponent, {@code BigDecimal} for the others (as JSON Schema tells integers from
 * numbers), {@code Boolean}, and {@link #NULL}.
 */
final class JsonReader {
    /** JSON {@code null}, kept apart from an absent member. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Text that is not one JSON value. */
    static final class MalformedJson extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedJson(String message) {
            super(message, null, false, false);
        }
    }

    /** Deep enough for any policy; bounds the recursion on hostile input. */
    private static final int MAX_DEPTH = 32;

    private final String text;
    private int pos;

    private JsonReader(String text) {
        this.text = text;
    }

    static Object read(String text) throws MalformedJson {
        JsonReader reader = new JsonReader(text);
        Object value = reader.value(0);
        reader.skipWhitespace();
        if (reader.pos != text.length()) {
            throw reader.malformed("content after the JSON value");
        }
        return value;
    }

    private Object value(int depth) throws MalformedJson {
        if (depth > MAX_DEPTH) {
            throw malformed("nested too deeply");
        }
        skipWhitespace();
        if (pos >= text.length()) {
            throw malformed("unexpected end of text");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw malformed("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) throws MalformedJson {
        pos++;
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (consume('}')) {
            return members;
        }
        do {
            skipWhitespace();
            if (pos >= text.length() || text.charAt(pos) != '"') {
                throw malformed("expected a member name");
            }
            String name = string();
            skipWhitespace();
            expect(':');
            members.put(name, value(depth + 1));
            skipWhitespace();
        } while (consume(','));
        expect('}');
        return members;
    }

    private List<Object> array(int depth) throws MalformedJson {
        pos++;
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (consume(']')) {
            return items;
        }
        do {
            items.add(value(depth + 1));
            skipWhitespace();
        } while (consume(','));
        expect(']');
        return items;
    }

    private String string() throws MalformedJson {
        pos++;
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw malformed("control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char escaped = text.charAt(pos++);
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> throw malformed("bad escape \\" + escaped);
            }
        }
        throw malformed("unterminated string");
    }

    private char unicodeEscape() throws MalformedJson {
        if (pos + 4 > text.length()) {
            throw malformed("short \\u escape");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos++), 16);
            if (digit < 0) {
                throw malformed("bad \\u escape");
            }
            code = code * 16 + digit;
        }
        return (char) code;
    }

    private Number number() throws MalformedJson {
        int start = pos;
        consume('-');
        if (consume('0')) {
            // a leading zero stands alone
        } else if (!digits()) {
            throw malformed("bad number");
        }
        boolean integral = true;
        if (consume('.')) {
            integral = false;
            if (!digits()) {
                throw malformed("bad number");
            }
        }
        if (consume('e') || consume('E')) {
            integral = false;
            if (!consume('+')) {
                consume('-');
            }
            if (!digits()) {
                throw malformed("bad number");
            }
        }
        String token = text.substring(start, pos);
        return integral ? new BigInteger(token) : new BigDecimal(token);
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Object literal(String word, Object value) throws MalformedJson {
        if (!text.startsWith(word, pos)) {
            throw malformed("unexpected token");
        }
        pos += word.length();
        return value;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private boolean consume(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) throws MalformedJson {
        if (!consume(c)) {
            throw malformed("expected '" + c + "'");
        }
    }

    private MalformedJson malformed(String what) {
        return new MalformedJson(what + " at offset " + pos);
    }
}
