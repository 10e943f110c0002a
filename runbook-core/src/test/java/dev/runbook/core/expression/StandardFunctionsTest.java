package dev.runbook.core.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StandardFunctionsTest {

  private final ExpressionCompiler compiler = ExpressionCompiler.standard();

  private Object call(String expression, Object x) {
    Map<String, Object> v = new HashMap<>();
    v.put("x", x);
    return compiler.compileExpression(expression, Set.of("x")).evaluate(v);
  }

  private Object call(String expression) {
    return call(expression, null);
  }

  private void fails(String expression, Object x, String message) {
    assertThatThrownBy(() -> call(expression, x))
        .isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource({
      "0, 0", "1048576, 1048576", "1k, 1000", "1M, 1000000", "1G, 1000000000", "2T, 2000000000000",
      "1P, 1000000000000000", "1E, 1000000000000000000", "1Ki, 1024", "256Mi, 268435456", "1Gi, 1073741824",
      "1Ti, 1099511627776", "1Pi, 1125899906842624", "1Ei, 1152921504606846976", "1.5Gi, 1610612736",
      "0.5Ki, 512", "' 64Mi ', 67108864", "1.5, 2", "100M, 100000000"})
  void parseMemory(String quantity, long bytes) {
    assertThat(call("parse_memory(x)", quantity)).isEqualTo(bytes);
  }

  @Test
  void parseMemoryRejectsBadInput() {
    fails("parse_memory(x)", "512m", "milli ('m') is not a valid memory unit");
    fails("parse_memory(x)", "12Xi", "unknown unit 'Xi'");
    fails("parse_memory(x)", "-1Gi", "is not a memory quantity");
    fails("parse_memory(x)", "lots", "is not a memory quantity");
    fails("parse_memory(x)", "16Ei", "too large");
    fails("parse_memory(x)", null, "value is null");
    assertThat(call("parse_memory(x)", 2048)).isEqualTo(2048L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"})
  void binaryUnitsRoundTrip(String unit) {
    for (String n : List.of("1", "3", "7", "1000")) {
      if (unit.equals("Ei") && n.length() > 1) {
        continue;
      }
      Object bytes = call("parse_memory(x)", n + unit);
      assertThat(call("format_memory(x)", bytes)).isEqualTo(n + unit);
      assertThat(call("parse_memory(format_memory(x))", bytes)).isEqualTo(bytes);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"k", "M", "G", "T", "P", "E", ""})
  void decimalUnitsRoundTripThroughBytes(String unit) {
    Object bytes = call("parse_memory(x)", "3" + unit);
    Object formatted = call("format_memory(x)", bytes);
    assertThat(call("parse_memory(x)", formatted)).isEqualTo(bytes);
  }

  @Test
  void formatMemory() {
    assertThat(call("format_memory(x)", 536870912L)).isEqualTo("512Mi");
    assertThat(call("format_memory(x)", 1500)).isEqualTo("1500");
    assertThat(call("format_memory(x)", 3072)).isEqualTo("3Ki");
    assertThat(call("format_memory(x)", 1536)).isEqualTo("1536"); // 1.5Ki: no unit divides exactly
    assertThat(call("format_memory(x)", 1572864L)).isEqualTo("1536Ki"); // 1.5Mi
    assertThat(call("format_memory(x)", 0)).isEqualTo("0");
    assertThat(call("format_memory(x)", 1073741824.0)).isEqualTo("1Gi");
    assertThat(call("format_memory(x)", "1024Mi")).isEqualTo("1Gi");
    fails("format_memory(x)", 1.5, "not a whole number of bytes");
    fails("format_memory(x)", -536870912L, "format_memory: negative quantity -536870912");
  }

  @Test
  void cpu() {
    assertThat(call("parse_cpu(x)", "500m")).isEqualTo(0.5);
    assertThat(call("parse_cpu(x)", "2")).isEqualTo(2.0);
    assertThat(call("parse_cpu(x)", "1.5")).isEqualTo(1.5);
    assertThat(call("parse_cpu(x)", 4)).isEqualTo(4.0);
    fails("parse_cpu(x)", "2Gi", "is not a CPU quantity");
    fails("parse_cpu(x)", null, "value is null");
    assertThat(call("format_cpu(x)", 0.5)).isEqualTo("500m");
    assertThat(call("format_cpu(x)", 2.0)).isEqualTo("2");
    assertThat(call("format_cpu(x)", 2L)).isEqualTo("2");
    assertThat(call("format_cpu(x)", 1.5)).isEqualTo("1500m");
    assertThat(call("format_cpu(x)", 0.0001)).isEqualTo("1m");
    assertThat(call("format_cpu(x)", 0)).isEqualTo("0");
    assertThat(call("format_cpu(x)", "250m")).isEqualTo("250m");
    for (String q : List.of("1m", "100m", "999m", "1", "16", "2500m")) {
      assertThat(call("format_cpu(parse_cpu(x))", q)).isEqualTo(q);
    }
  }

  @Test
  void arithmeticKeepsIntegralTypes() {
    assertThat(call("multiply(x, 2)", 256L)).isEqualTo(512L).isInstanceOf(Long.class);
    assertThat(call("multiply('2', 3)")).isEqualTo(6L);
    assertThat(call("multiply(x, 2)", 1.5)).isEqualTo(3.0);
    assertThat(call("multiply('1.5', '2')")).isEqualTo(3.0);
    fails("multiply(x, 2)", Long.MAX_VALUE, "overflow");
    fails("multiply(x, 2)", "abc", "multiply: 'abc' is not a number");
    fails("multiply(x, 2)", null, "multiply: value is null");
    fails("multiply(x, 2)", true, "is not a number");
    assertThat(call("add(x, 2)", 40)).isEqualTo(42L);
    assertThat(call("add('1.5', 1)")).isEqualTo(2.5);
    assertThat(call("divide(10, 5)")).isEqualTo(2L);
    assertThat(call("divide(10, 4)")).isEqualTo(2.5);
    assertThat(call("divide(1.0, 4)")).isEqualTo(0.25);
    fails("divide(1, x)", 0, "division by zero");
    fails("divide(1, x)", 0.0, "division by zero");
    assertThat(call("round(x)", 2.5)).isEqualTo(3L);
    assertThat(call("round(x)", -2.5)).isEqualTo(-3L);
    assertThat(call("round(x)", 7)).isEqualTo(7L);
    assertThat(call("round(x, 2)", 3.14159)).isEqualTo(3.14);
    assertThat(call("round(x, 0)", 2.5)).isEqualTo(3.0);
    assertThat(call("round(x, 2)", 5L)).isEqualTo(5L);
    // whole numbers round to hundreds exactly and stay whole, even past a double's 53 bits
    assertThat(call("round(x, -2)", 1250L)).isEqualTo(1300L);
    assertThat(call("round(x, -2)", -1250L)).isEqualTo(-1300L);
    assertThat(call("round(x, -2)", 1234567890123456789L)).isEqualTo(1234567890123456800L);
    assertThat(call("round(x, -2)", 1234.5)).isEqualTo(1200.0);
    fails("round(x, 1.5)", 2.0, "digits must be a whole number");
  }

  @Test
  void textHelpers() {
    assertThat(call("default(x, 'fb')", null)).isEqualTo("fb");
    assertThat(call("default(x, 'fb')", "")).isEqualTo("fb");
    assertThat(call("default(x, 'fb')", " ")).isEqualTo(" ");
    assertThat(call("default(x, 'fb')", 0)).isEqualTo(0);
    assertThat(call("lower(x)", "ÄBC")).isEqualTo("äbc");
    assertThat(call("upper(x)", "istanbul")).isEqualTo("ISTANBUL");
    assertThat(call("lower(x)", null)).isNull();
    assertThat(call("upper(x)", 1.0)).isEqualTo("1");
    assertThat(call("trim(x)", "  a b \n")).isEqualTo("a b");
    assertThat(call("trim(x)", null)).isNull();
    assertThat(call("length(x)", "héllo")).isEqualTo(5L);
    assertThat(call("length(x)", List.of(1, 2, 3))).isEqualTo(3L);
    assertThat(call("length(x)", Map.of("a", 1))).isEqualTo(1L);
    assertThat(call("length(x)", null)).isEqualTo(0L);
    assertThat(call("length(x)", new int[] {1, 2})).isEqualTo(2L);
    fails("length(x)", 5, "has no length");
  }

  @Test
  void base64() {
    assertThat(call("base64(x)", "hello")).isEqualTo("aGVsbG8=");
    assertThat(call("base64(x)", "é✓")).isEqualTo("w6ninJM=");
    assertThat(call("base64(x)", "")).isEqualTo("");
    assertThat(call("base64_decode(x)", "w6ninJM=")).isEqualTo("é✓");
    assertThat(call("base64_decode(base64(x))", "multi\nline: {{ x }}")).isEqualTo("multi\nline: {{ x }}");
    assertThat(call("base64_decode(x)", "_-8")).isEqualTo(new String(new byte[] {(byte) 0xff, (byte) 0xef},
        java.nio.charset.StandardCharsets.UTF_8));
    fails("base64_decode(x)", "not base64!", "not valid Base64");
    fails("base64(x)", null, "base64: value is null");
  }

  @Test
  void json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "quote\" backslash\\ nl\n tab\t ctl\u0001 uni é");
    m.put("n", 1L);
    m.put("d", 1.5);
    m.put("nan", Double.NaN);
    m.put("b", true);
    m.put("null", null);
    m.put("list", new ArrayList<>(Arrays.asList(1, "two", null, List.of())));
    m.put("map", Map.of());
    assertThat(call("json(x)", m)).isEqualTo("{\"s\":\"quote\\\" backslash\\\\ nl\\n tab\\t ctl\\u0001 uni é\","
        + "\"n\":1,\"d\":1.5,\"nan\":null,\"b\":true,\"null\":null,\"list\":[1,\"two\",null,[]],\"map\":{}}");
    assertThat(call("json(x)", null)).isEqualTo("null");
    assertThat(call("json(x)", "</script>\u2028")).isEqualTo("\"</script>\\u2028\"");
    assertThat(call("json(x)", 512.0)).isEqualTo("512.0");
  }
}
