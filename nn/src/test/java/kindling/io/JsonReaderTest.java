package kindling.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

    @Test
    void readsObjectsArraysStringsAndIntegersInOrder() {
        Object value = JsonReader.parse(" {\"b\": [1, -2, 0, [] ], \"a\" : {\"k\":\"v\"}, \"e\":{}}   ");
        assertEquals(Map.of("b", List.of(1L, -2L, 0L, List.of()), "a", Map.of("k", "v"), "e", Map.of()), value);
        assertEquals(List.of("b", "a", "e"), List.copyOf(((Map<?, ?>) value).keySet()));
        assertEquals(9007199254740993L, JsonReader.parse("9007199254740993"));
    }

    @Test
    void decodesEveryEscape() {
        assertEquals("q\" b\\ s/ \b\f\n\r\t é \uD83D\uDE00",
                JsonReader.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00\""));
        assertEquals("raw é", JsonReader.parse("\"raw é\""));
    }

    private static void assertRejected(String json, String expectedPart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(json));
        assertTrue(e.getMessage().startsWith("malformed JSON header at character "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }

    @Test
    void rejectsWhatAHeaderCannotHold() {
        assertRejected("1.5", "only integers");
        assertRejected("[1e3]", "only integers");
        assertRejected("true", "unexpected 't'");
        assertRejected("null", "unexpected 'n'");
        assertRejected("{\"a\":1,\"a\":2}", "duplicate key \"a\"");
        assertRejected("{\"a\":1} x", "after the end");
        assertRejected("{\"a\" 1}", "expected ':'");
        assertRejected("{\"a\":1", "expected ',' or '}'");
        assertRejected("[1 2]", "expected ',' or ']'");
        assertRejected("{1:2}", "expected a string key");
        assertRejected("\"abc", "close the string");
        assertRejected("\"a\\x\"", "invalid escape");
        assertRejected("\"\\u12g4\"", "invalid hex digit");
        assertRejected("\"tab\there\"", "control character");
        assertRejected("012", "leading zero");
        assertRejected("-", "digits after '-'");
        assertRejected("99999999999999999999", "out of range");
        assertRejected("", "unexpected end");
        assertRejected("[".repeat(100) + "]".repeat(100), "nesting deeper than 64");
    }

    @Test
    void errorNamesTheCharacterOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[1, x]"));
        assertEquals("malformed JSON header at character 4: unexpected 'x'; a safetensors header holds only "
                + "objects, arrays, strings and integers", e.getMessage());
    }
}
