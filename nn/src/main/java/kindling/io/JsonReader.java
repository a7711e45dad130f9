package kindling.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON reader for exactly what a safetensors header may hold: objects, arrays, strings (with all
 * of JSON's escapes) and non-negative or negative integers. It builds plain values —
 * {@code LinkedHashMap<String, Object>} (keys in file order), {@code List<Object>}, {@code String},
 * {@code Long} — and nothing else: no reflection, no classes named by the input, nothing executed.
 *
 * <p>It rejects, with the character offset: numbers with a fraction or exponent, {@code true},
 * {@code false}, {@code null}, duplicate keys, nesting deeper than {@value #MAX_DEPTH}, and anything
 * after the top-level value other than whitespace (the header's space padding).
 */
final class JsonReader {
    static final int MAX_DEPTH = 64;

    private final String text;
    private int position;

    private JsonReader(String text) {
        this.text = text;
    }

    /** Parses {@code text} into plain values; throws {@link IllegalArgumentException} naming the offset. */
    static Object parse(String text) {
        JsonReader reader = new JsonReader(text);
        Object value = reader.value(0);
        reader.skipWhitespace();
        if (reader.position != text.length()) {
            throw reader.error("unexpected '" + text.charAt(reader.position) + "' after the end of the JSON value");
        }
        return value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
        skipWhitespace();
        if (position >= text.length()) {
            throw error("unexpected end of the header, expected a value");
        }
        char c = text.charAt(position);
        if (c == '{') {
            return object(depth);
        }
        if (c == '[') {
            return array(depth);
        }
        if (c == '"') {
            return string();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return integer();
        }
        throw error("unexpected '" + c + "'; a safetensors header holds only objects, arrays, strings and integers");
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        position++;                                          // '{'
        skipWhitespace();
        if (peek() == '}') {
            position++;
            return out;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyStart = position;
            String key = string();
            skipWhitespace();
            expect(':');
            Object value = value(depth + 1);
            if (out.put(key, value) != null) {
                position = keyStart;
                throw error("duplicate key \"" + key + "\"");
            }
            skipWhitespace();
            char c = next("',' or '}'");
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                position--;
                throw error("expected ',' or '}' but found '" + c + "'");
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> out = new ArrayList<>();
        position++;                                          // '['
        skipWhitespace();
        if (peek() == ']') {
            position++;
            return out;
        }
        while (true) {
            out.add(value(depth + 1));
            skipWhitespace();
            char c = next("',' or ']'");
            if (c == ']') {
                return out;
            }
            if (c != ',') {
                position--;
                throw error("expected ',' or ']' but found '" + c + "'");
            }
        }
    }

    private String string() {
        position++;                                          // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next("'\"' to close the string");
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                position--;
                throw error("control character U+" + String.format("%04X", (int) c) + " inside a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escape = next("an escape character");
            switch (escape) {
                case '"', '\\', '/' -> out.append(escape);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hex4());
                default -> {
                    position--;
                    throw error("invalid escape '\\" + escape + "'");
                }
            }
        }
    }

    private char hex4() {
        if (position + 4 > text.length()) {
            throw error("unexpected end of the header inside a \\u escape");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(position), 16);
            if (digit < 0) {
                throw error("invalid hex digit '" + text.charAt(position) + "' in a \\u escape");
            }
            code = code * 16 + digit;
            position++;
        }
        return (char) code;
    }

    /** JSON's integer grammar: -?(0|[1-9][0-9]*); a fraction or exponent is rejected. */
    private Long integer() {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        int digitsStart = position;
        while (position < text.length() && text.charAt(position) >= '0' && text.charAt(position) <= '9') {
            position++;
        }
        if (position == digitsStart) {
            throw error("expected digits after '-'");
        }
        if (text.charAt(digitsStart) == '0' && position - digitsStart > 1) {
            position = start;
            throw error("leading zero in a number");
        }
        char after = peek();
        if (after == '.' || after == 'e' || after == 'E') {
            position = start;
            throw error("only integers are allowed in a safetensors header");
        }
        try {
            return Long.parseLong(text.substring(start, position));
        } catch (NumberFormatException e) {
            position = start;
            throw error("integer " + text.substring(start, Math.min(text.length(), start + 30)) + " is out of range");
        }
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    private char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private char next(String expected) {
        if (position >= text.length()) {
            throw error("unexpected end of the header, expected " + expected);
        }
        return text.charAt(position++);
    }

    private void expect(char c) {
        char found = next("'" + c + "'");
        if (found != c) {
            position--;
            throw error("expected '" + c + "' but found '" + found + "'");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("malformed JSON header at character " + position + ": " + what);
    }
}
