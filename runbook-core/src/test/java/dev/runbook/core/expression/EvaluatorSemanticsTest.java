package dev.runbook.core.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the operators do with values, and that the literal fast paths agree with the general operators. */
class EvaluatorSemanticsTest {

  private static final Set<String> ROOTS = Set.of("i", "l", "d", "s", "n", "num", "list", "m", "b", "k");
  private final ExpressionCompiler compiler = ExpressionCompiler.standard();

  private static Map<String, Object> vars() {
    Map<String, Object> v = new HashMap<>();
    v.put("i", 7);
    v.put("l", 5L);
    v.put("d", 0.5);
    v.put("s", "ab");
    v.put("n", null);
    v.put("num", "42");
    v.put("list", List.of(1, 2, 3));
    v.put("m", Map.of("x", 1));
    v.put("b", true);
    return v;
  }

  private Object eval(String source) {
    return compiler.compileExpression(source, ROOTS).evaluate(vars());
  }

  @ParameterizedTest
  @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
      i / 2 => 3.5
      l / 5 => 1
      10 / 4 => 2.5
      i * 2 => 14
      l + 1 => 6
      d + 1 => 1.5
      2147483647 + 1 => 2147483648
      7 % 3 => 1
      -l => -5
      s + 1 => ab1
      1 + s => 1ab
      s + null => abnull
      """)
  void arithmeticKeepsIntegersIntegralUnlessADivisionHasARemainder(String source, String expected) {
    assertThat(String.valueOf(eval(source))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
      1 == 1.0 => true
      l == 5 => true
      i == 7 => true
      num == 42 => true
      42 == num => true
      s == 'ab' => true
      s != 'ab' => false
      'ab' == s => true
      n == null => true
      n != 'x' => true
      b == 'true' => true
      list == [1, 2, 3] => true
      d >= 0.5 => true
      d > 0.5 => false
      i >= 0.8 => true
      l < 5.5 => true
      num > 41 => true
      n >= 0.8 => false
      n < 1 => false
      'a' < s => true
      list contains 2 => true
      s contains 'b' => true
      m contains 'x' => true
      n contains 'x' => false
      l > 3 ? true : false => true
      """)
  void comparisonsAreByValueAcrossTypes(String source, boolean expected) {
    assertThat(eval(source)).isEqualTo(expected);
  }

  @Test
  void theLiteralFastPathsAgreeWithTheGeneralOperators() {
    for (Object value : new Object[] {0.8, 0.79, 1, 0, 5L, "0.9", "abc", null, -0.0}) {
      for (String op : List.of("<", "<=", ">", ">=")) {
        Map<String, Object> v = new HashMap<>(Map.of("k", 0.8));
        v.put("d", value);
        Object literal = outcome("d " + op + " 0.8", v);
        Object general = outcome("d " + op + " k", v);
        assertThat(literal).as("%s %s 0.8", value, op).isEqualTo(general);
      }
      for (String text : List.of("abc", "0.9", "")) {
        Map<String, Object> v = new HashMap<>(Map.of("k", text));
        v.put("d", value);
        assertThat(outcome("d == '" + text + "'", v)).isEqualTo(outcome("d == k", v));
        assertThat(outcome("d != '" + text + "'", v)).isEqualTo(outcome("d != k", v));
      }
    }
  }

  private Object outcome(String source, Map<String, Object> v) {
    try {
      return compiler.compileExpression(source, ROOTS).evaluate(v);
    } catch (ExpressionEvaluationException e) {
      return "error";
    }
  }

  @Test
  void valuesThatDoNotFitTheOperatorFailWithAReason() {
    assertThatThrownBy(() -> eval("i / 0")).isInstanceOf(ExpressionEvaluationException.class)
        .hasMessageContaining("division by zero");
    assertThatThrownBy(() -> eval("s * 2")).hasMessageContaining("'*' needs numbers but got text 'ab'");
    assertThatThrownBy(() -> eval("i && b")).hasMessageContaining("'&&' needs true or false but got number 7");
    assertThatThrownBy(() -> eval("s < 1")).hasMessageContaining("cannot compare text 'ab' with number 1 using '<'");
    assertThatThrownBy(() -> eval("list[5]")).hasMessageContaining("index 5 is out of range for 'list' (3 items)");
    assertThatThrownBy(() -> eval("list.size")).hasMessageContaining("not a map, so it has no 'size'");
    assertThatThrownBy(() -> eval("n.x == 1")).hasMessageContaining("'n' is null, so it has no 'x'");
    assertThatThrownBy(() -> eval("i.toUpperCase()")).hasMessageContaining("'toUpperCase()' cannot be called on number 7");
    assertThatThrownBy(() -> eval("s.substring(5)")).hasMessageContaining("out of range for text of length 2");
    assertThat(eval("n.?x")).isNull();
    assertThat(eval("m['missing']")).isNull();
  }

  @Test
  void listLiteralsAreReadOnlyAndCallsOfNonListedMethodsNeverCompile() {
    Object list = eval("[s, i]");
    assertThat(list).isEqualTo(List.of("ab", 7));
    assertThat(Values.isFrozen(list)).isTrue();
    assertThatThrownBy(() -> compiler.compileExpression("s.substring()", ROOTS))
        .isInstanceOf(ExpressionException.class).hasMessageContaining("method 'substring' takes");
    assertThatThrownBy(() -> compiler.compileExpression("s.hashCode()", ROOTS))
        .isInstanceOf(SandboxViolationException.class);
  }
}
