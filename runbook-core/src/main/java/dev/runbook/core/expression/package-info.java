/**
 * Runbook conditions and {@code {{ }}} templates, compiled once and evaluated many times.
 *
 * <h2>Use</h2>
 * {@link dev.runbook.core.expression.ExpressionCompiler#standard()} compiles conditions
 * ({@code incident.rca_confidence >= 0.8 && incident.root_cause_reason == 'OOMKilled'}) into
 * {@link dev.runbook.core.expression.CompiledExpression}s and templates
 * ({@code memory: {{ current_memory | parse_memory | multiply(2) | format_memory }}}) into
 * {@link dev.runbook.core.expression.CompiledTemplate}s. A filter {@code x | f(a)} means
 * {@code f(x, a)}. Everything compiled is immutable and thread-safe. A template block that is a
 * plain dotted path ({@code {{ incident.resource.name }}}) is resolved by walking maps directly; a
 * missing step gives {@code null}.
 *
 * <h2>Sandbox: an allow-list, then an evaluator of our own</h2>
 * Runbooks are written by people, but the values flowing through them are untrusted incident
 * data. The syntax is a small subset of MVEL 2's, but MVEL, a full scripting language with access
 * to any Java class, does not evaluate it: behind a lexical allow-list it still reached classes
 * through its table of literal class names ({@code 'x'.System}), called any public no-argument
 * method as a property ({@code ...System.out.close}) and resolved qualified class names under a
 * root named like a package (issue 13). Every expression is first checked by an allow-list over
 * its tokens:
 * <ul>
 *   <li>at most 2,000 characters and 32 levels of nesting (so deep-nesting and length bombs are
 *       refused in linear time, before any recursive parser runs);</li>
 *   <li>only plain string literals (escapes {@code \\ \' \" \n \t \r}), decimal number literals and
 *       the operators {@code + - * / % == != < > <= >= && || ! ( ) [ ] , . .? ? :}; assignment,
 *       blocks, {@code ;}, comments, {@code @ # $ \ ~ `}, bit operators and {@code **} are
 *       refused, as are MVEL keywords ({@code new def function import foreach while if return
 *       instanceof is with assert isdef empty ...});</li>
 *   <li>bare identifiers only from the allowed root variables and {@code true false null
 *       contains}; bare calls only to registered helpers;</li>
 *   <li>after {@code .} only property names not containing "class" (nor {@code forName},
 *       {@code classLoader}, ...) and calls to a short list of read-only methods:
 *       String {@code length isEmpty contains startsWith endsWith toLowerCase toUpperCase trim
 *       substring indexOf equals}, Map {@code get containsKey size isEmpty}, List
 *       {@code get size contains isEmpty};</li>
 *   <li>operands and operators must alternate, which excludes MVEL's declaration and statement
 *       forms.</li>
 * </ul>
 * The admitted tokens are then compiled into closures whose only operations are: reading map
 * entries ({@code .name}, {@code .?name}, {@code [key]}) and list items ({@code [i]}), the methods
 * above implemented by hand for text, maps and lists, calls to the registered helpers, and the
 * operators. There is no reflection and no class lookup, so no expression can yield a class, a
 * method or any Java object. Root and helper names that are keywords, Java class names or package
 * roots are refused ({@link dev.runbook.core.expression.ExpressionCompiler#variableNameProblem}).
 * Evaluation runs on read-only deep copies of the referenced variables made only of maps, lists,
 * strings, numbers, booleans and null (other objects are replaced by their text), so nothing an
 * expression or a helper does can change the caller's data. Rendered template output is never re-scanned:
 * incident data containing {@code {{ }}}, {@code ${}} or {@code @{}} is emitted literally.
 * Refusals are {@link dev.runbook.core.expression.SandboxViolationException}s naming the offending
 * token and its offset.
 */
package dev.runbook.core.expression;
