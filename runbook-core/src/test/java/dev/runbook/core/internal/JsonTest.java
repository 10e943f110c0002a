package dev.runbook.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesScalarsAndStructures() {
        var m = new LinkedHashMap<String, Object>();
        m.put("s", "x");
        m.put("i", 3);
        m.put("l", 4L);
        m.put("d", 1.5);
        m.put("whole", 2.0);
        m.put("b", true);
        m.put("n", null);
        m.put("list", List.of(1, "a"));
        m.put("map", Map.of());
        assertThat(Json.write(m)).isEqualTo(
                "{\"s\":\"x\",\"i\":3,\"l\":4,\"d\":1.5,\"whole\":2.0,\"b\":true,\"n\":null,\"list\":[1,\"a\"],\"map\":{}}");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertThat(Json.write("a\"b\\c\n\r\t\b\f\u0001\u001f\u2028é😀"))
                .isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001F\\u2028é😀\"");
    }

    @Test
    void writesNaNAndInfinityAsNull() {
        assertThat(Json.write(Double.NaN)).isEqualTo("null");
        assertThat(Json.write(List.of(Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.1f, 2.5)))
                .isEqualTo("[null,null,0.1,2.5]");
    }

    @Test
    void writesOptionalsAndPrimitiveArraysAsTheirValues() {
        var m = new LinkedHashMap<String, Object>();
        m.put("some", java.util.Optional.of("x"));
        m.put("none", java.util.Optional.empty());
        m.put("ints", new int[] {1, 2});
        assertThat(Json.write(m)).isEqualTo("{\"some\":\"x\",\"none\":null,\"ints\":[1,2]}");
    }

    @Test
    void writesIndentedForPeople() {
        var m = new LinkedHashMap<String, Object>();
        m.put("a", List.of(1, Map.of()));
        m.put("b", List.of());
        assertThat(Json.writeIndented(m)).isEqualTo("{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}");
        assertThat(Json.parse(Json.writeIndented(m))).isEqualTo(Json.parse(Json.write(m)));
    }

    @Test
    void escapesInvisibleAndDirectionCharactersButKeepsEmoji() {
        assertThat(Json.write("a\u202eb\u200bc\ud800d\ud83d\ude00"))
                .isEqualTo("\"a\\u202Eb\\u200Bc\\uD800d\ud83d\ude00\"");
    }

    @Test
    void refusesNestingDeeperThanTheLimitWhenWriting() {
        List<Object> deep = new java.util.ArrayList<>();
        List<Object> cur = deep;
        for (int i = 0; i < Json.MAX_DEPTH + 1; i++) {
            List<Object> next = new java.util.ArrayList<>();
            cur.add(next);
            cur = next;
        }
        assertThatThrownBy(() -> Json.write(deep)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deeper than " + Json.MAX_DEPTH);
    }

    @Test
    void parsesIntoPlainJavaTypes() {
        Object v = Json.parse(" {\"a\": [1, -2.5, 1e3, true, false, null, \"x\"], \"b\": {}} ");
        assertThat(v).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        var m = (Map<String, Object>) v;
        assertThat(m).containsOnlyKeys("a", "b");
        assertThat(m.get("a")).isInstanceOf(ArrayList.class)
                .isEqualTo(Arrays.asList(1L, -2.5, 1000.0, true, false, null, "x"));
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("92233720368547758070")).isInstanceOf(Double.class);
    }

    @Test
    void keepsKeyOrder() {
        @SuppressWarnings("unchecked")
        var m = (Map<String, Object>) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertThat(m.keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void roundTripsStringsWithEveryEscape() {
        String tricky = "quote\" back\\ slash/ nl\n tab\t nul\u0000 del\u007f bmp\u00e9\u4e2d astral\uD83D\uDE00 ls\u2028";
        assertThat(Json.parse(Json.write(tricky))).isEqualTo(tricky);
        assertThat(Json.parse("\"\\u00e9\\ud83d\\ude00\\/\"")).isEqualTo("é😀/");
    }

    @Test
    void roundTripsNestedStructures() {
        var m = new LinkedHashMap<String, Object>();
        m.put("status", 200L);
        m.put("ratio", 0.25);
        m.put("items", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("k", "v")), "s", false)));
        m.put("none", null);
        assertThat(Json.parse(Json.write(m))).isEqualTo(m);
    }

    @Test
    void reportsTheOffsetOfBadInput() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset 8").hasMessageContaining("string key");
        assertThatThrownBy(() -> Json.parse("[1 2]")).hasMessageContaining("offset 3")
                .hasMessageContaining("',' or ']'");
        assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).hasMessageContaining("offset 5")
                .hasMessageContaining("':'");
        assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> Json.parse("tru")).hasMessageContaining("offset 0").hasMessageContaining("true");
        assertThatThrownBy(() -> Json.parse("01")).hasMessageContaining("leading zeros");
        assertThatThrownBy(() -> Json.parse("1.")).hasMessageContaining("offset 2");
        assertThatThrownBy(() -> Json.parse("\"a\\x\"")).hasMessageContaining("invalid escape");
        assertThatThrownBy(() -> Json.parse("\"a\nb\"")).hasMessageContaining("control character");
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("offset 3")
                .hasMessageContaining("after the JSON value");
        assertThatThrownBy(() -> Json.parse("")).hasMessageContaining("end of input");
        assertThatThrownBy(() -> Json.parse("NaN")).hasMessageContaining("offset 0");
    }

    @Test
    void limitsNestingDepth() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nesting deeper than 200")
                .hasMessageContaining("offset 200");
    }

    @Test
    void copyGivesWhatParseWouldGiveBackAndDropsOrRefusesNulls() {
        var in = new LinkedHashMap<String, Object>();
        in.put("int", 7);
        in.put("float", 2.5f);
        in.put("big", new java.math.BigDecimal("12.000"));
        in.put("huge", new java.math.BigInteger("123456789012345678901234567890"));
        in.put("gone", null);
        in.put("list", Arrays.asList(1, null, "x"));
        var copy = Json.copy(in, "settings", Json.Nulls.DROP);
        assertThat(copy).isEqualTo(Map.of("int", 7L, "float", 2.5, "big", 12L, "huge", 1.2345678901234568E29,
                "list", List.of(1L, "x")));
        assertThat(copy.keySet()).containsExactly("int", "float", "big", "huge", "list");
        in.put("int", 8);
        assertThat(copy).containsEntry("int", 7L);
        assertThatThrownBy(() -> copy.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);

        assertThatThrownBy(() -> Json.copy(in, "docker record", Json.Nulls.REJECT))
                .hasMessage("docker record.gone: null (leave the key out instead)");
        assertThatThrownBy(() -> Json.copy(Map.of("at", List.of(new Object())), "r", Json.Nulls.DROP))
                .hasMessageStartingWith("r.at[0]: java.lang.Object is not a plain value");
        assertThatThrownBy(() -> Json.copy(Map.of(1, "x"), "r", Json.Nulls.DROP))
                .hasMessage("r: key 1 is not a string");
    }
}
