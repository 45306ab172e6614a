package dev.ecsemu.core.placement.query;

import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.error.EcsErrors;

/**
 * Reads the tokens of an expression on the parser's demand: what a token may contain depends on
 * where it stands (a value may hold {@code :} and {@code *}, a subject may not hold {@code =}), so the
 * parser asks for the kind of token it expects next. Positions are 0-based character offsets.
 */
final class Tokenizer {

    /** A piece of the expression and where it starts; {@code quoted} when it was written in quotes. */
    record Token(String text, int position, boolean quoted) {
    }

    private final String text;
    private int pos;

    Tokenizer(String text) {
        this.text = text;
    }

    /** The refusal for a problem in this expression. */
    ApiException error(String problem) {
        return EcsErrors.invalidParameter("Invalid expression '" + text + "': " + problem);
    }

    int position() {
        return pos;
    }

    /** Skips whitespace and tells whether the expression ends here. */
    boolean atEnd() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        return pos >= text.length();
    }

    /** Whether the next character, after whitespace, is {@code c}. */
    boolean peekIs(char c) {
        return !atEnd() && text.charAt(pos) == c;
    }

    /** Consumes {@code symbol} if it comes next, after whitespace. */
    boolean accept(String symbol) {
        if (!atEnd() && text.startsWith(symbol, pos)) {
            pos += symbol.length();
            return true;
        }
        return false;
    }

    /** Consumes the word if it comes next as a whole word ({@code and} but not {@code android}). */
    boolean acceptWord(String word) {
        if (!atEnd() && text.startsWith(word, pos)) {
            int end = pos + word.length();
            if (end >= text.length() || !isSubjectChar(text.charAt(end))) {
                pos = end;
                return true;
            }
        }
        return false;
    }

    /** What comes next, for messages: a quoted piece of text or "the end of the expression". */
    String found() {
        if (atEnd()) {
            return "the end of the expression";
        }
        int end = pos;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && end - pos < 30) {
            end++;
        }
        return "'" + text.substring(pos, end) + "'";
    }

    /** A subject: letters, digits and {@code _ . : / -} ({@code attribute:ecs.instance-type}, {@code task:group}). */
    Token subject() {
        atEnd();
        int start = pos;
        while (pos < text.length() && isSubjectChar(text.charAt(pos))) {
            pos++;
        }
        return new Token(text.substring(start, pos), start, false);
    }

    /**
     * An operator: a word ({@code equals}, {@code not_in}), a run of the symbol characters
     * {@code = ! < > ~} ({@code ==}, {@code =~}, and {@code =!=} to be refused), or {@code !} followed
     * by a word ({@code !exists}, {@code !in}); anything else up to the next whitespace or bracket.
     * Answers an empty token when a bracket, a comma or the end comes first.
     */
    Token operator() {
        atEnd();
        int start = pos;
        if (pos < text.length() && isWordChar(text.charAt(pos))) {
            skipWordChars();
        } else if (pos < text.length() && isOperatorSymbol(text.charAt(pos))) {
            while (pos < text.length() && isOperatorSymbol(text.charAt(pos))) {
                pos++;
            }
            if (pos - start == 1 && text.charAt(start) == '!') {
                skipWordChars();
            }
        } else {
            while (pos < text.length() && !Character.isWhitespace(text.charAt(pos)) && !endsBareValue(text.charAt(pos))) {
                pos++;
            }
        }
        return new Token(text.substring(start, pos), start, false);
    }

    /**
     * A value: quoted with {@code '} or {@code "} (no escapes: the value ends at the next same quote),
     * or bare. A bare value ends at whitespace, {@code && ||} and {@code ( ) [ ] ,}; a bare regular
     * expression ({@code regex}) may hold balanced parentheses and brackets and ends at whitespace,
     * {@code && ||} or a {@code )} that closes an enclosing group. Answers an empty bare token when no
     * value starts here.
     */
    Token value(boolean regex) {
        atEnd();
        int start = pos;
        if (pos < text.length() && (text.charAt(pos) == '\'' || text.charAt(pos) == '"')) {
            char quote = text.charAt(pos);
            int close = text.indexOf(quote, pos + 1);
            if (close < 0) {
                throw error("unterminated quote: the " + quote + " at position " + start + " is never closed");
            }
            pos = close + 1;
            return new Token(text.substring(start + 1, close), start, true);
        }
        if (regex) {
            skipBareRegex();
        } else {
            while (pos < text.length() && !endsBareValue(text.charAt(pos)) && !atLogicalSymbol()) {
                pos++;
            }
        }
        return new Token(text.substring(start, pos), start, false);
    }

    private void skipBareRegex() {
        int depth = 0;
        boolean inClass = false;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c) || (!inClass && depth == 0 && (c == ')' || atLogicalSymbol()))) {
                return;
            }
            if (c == '\\' && pos + 1 < text.length()) {
                pos++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            pos++;
        }
    }

    private boolean atLogicalSymbol() {
        return text.startsWith("&&", pos) || text.startsWith("||", pos);
    }

    private void skipWordChars() {
        while (pos < text.length() && isWordChar(text.charAt(pos))) {
            pos++;
        }
    }

    static boolean isSubjectChar(char c) {
        return isWordChar(c) || c == '.' || c == ':' || c == '/' || c == '-';
    }

    /** Characters of an attribute name: letters, digits and {@code _ . / -}. */
    static boolean isAttributeNameChar(char c) {
        return isSubjectChar(c) && c != ':';
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isOperatorSymbol(char c) {
        return c == '=' || c == '!' || c == '<' || c == '>' || c == '~';
    }

    private static boolean endsBareValue(char c) {
        return Character.isWhitespace(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == ',';
    }
}
