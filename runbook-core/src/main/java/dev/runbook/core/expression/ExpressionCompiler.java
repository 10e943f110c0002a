package dev.runbook.core.expression;

import dev.runbook.core.expression.internal.BlockCache;
import dev.runbook.core.expression.internal.Compiler;
import dev.runbook.core.expression.internal.FunctionTable;
import dev.runbook.core.expression.internal.ReservedNames;
import dev.runbook.core.expression.internal.Sandbox;
import dev.runbook.core.expression.internal.StandardFunctions;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles runbook conditions and {@code {{ }}} templates into sandboxed, reusable objects.
 *
 * <p>Compile once (when a runbook is loaded), evaluate many times. Every expression first passes
 * a lexical allow-list (see the package documentation); only then is it compiled, by our own
 * evaluator, into closures that can reach nothing but the variables' values, the registered
 * helpers and a few read-only methods. The compiler is immutable and thread-safe, and so are the
 * compiled expressions and templates.
 *
 * <pre>{@code
 * ExpressionCompiler compiler = ExpressionCompiler.standard();
 * CompiledExpression when = compiler.compileExpression(
 *     "incident.rca_confidence >= 0.8 && incident.root_cause_reason == 'OOMKilled'", Set.of("incident"));
 * CompiledTemplate limit = compiler.compileTemplate(
 *     "{{ current_memory | parse_memory | multiply(2) | format_memory }}", Set.of("current_memory"));
 * }</pre>
 */
public final class ExpressionCompiler {

  private static final ExpressionCompiler STANDARD =
      new ExpressionCompiler(new FunctionTable(StandardFunctions.table()));

  /**
   * Compiled code by source text. Libraries repeat their templates and conditions, and compiling is most of
   * what building an engine costs, so identical text compiles once. A compiled form does not depend on the
   * allowed roots (they only decide whether the text is accepted), so a hit is reused when the roots it
   * references are allowed, and compiled anew (giving the exact error) otherwise. Bounded: emptied when
   * full, since distinct content has to be compiled anyway.
   */
  private static final int CACHE_LIMIT = 8192;

  private final FunctionTable functions;
  private final ConcurrentHashMap<String, CompiledExpression> expressions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompiledTemplate> templates = new ConcurrentHashMap<>();
  private final BlockCache blocks = new BlockCache(CACHE_LIMIT);

  private ExpressionCompiler(FunctionTable functions) {
    this.functions = functions;
  }

  /**
   * A compiler with all built-in helpers: parse_memory, format_memory, parse_cpu, format_cpu,
   * multiply, divide, add, round, default, lower, upper, base64, base64_decode, json, length, trim.
   *
   * @return the shared standard compiler
   */
  public static ExpressionCompiler standard() {
    return STANDARD;
  }

  /**
   * A builder for a compiler with a custom set of helpers.
   *
   * @return a new empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks and compiles a condition or value expression.
   *
   * @param source the expression text, e.g. {@code incident.resource.kind == 'Pod'}
   * @param allowedRoots the root variable names the expression may reference
   * @return the compiled expression
   * @throws SandboxViolationException if the sandbox refuses the text
   * @throws ExpressionException on any other compile problem
   */
  public CompiledExpression compileExpression(String source, Set<String> allowedRoots) {
    Objects.requireNonNull(source, "source");
    Set<String> roots = checkRoots(allowedRoots);
    CompiledExpression hit = expressions.get(source);
    if (hit != null && roots.containsAll(hit.referencedRoots())) {
      return hit;
    }
    return remember(expressions, source, Compiler.compileExpression(source, roots, functions));
  }

  /**
   * Checks and compiles a template ({@code literal {{ expr | filter(arg) }} literal}).
   *
   * @param source the template text
   * @param allowedRoots the root variable names the expressions may reference
   * @return the compiled template
   * @throws SandboxViolationException if the sandbox refuses an expression
   * @throws ExpressionException on any other compile problem (unclosed or empty {@code {{ }}},
   *     unknown filter, ...)
   */
  public CompiledTemplate compileTemplate(String source, Set<String> allowedRoots) {
    Objects.requireNonNull(source, "source");
    Set<String> roots = checkRoots(allowedRoots);
    CompiledTemplate hit = templates.get(source);
    if (hit != null && roots.containsAll(hit.referencedRoots())) {
      return hit;
    }
    return remember(templates, source, Compiler.compileTemplate(source, roots, functions, blocks));
  }

  /**
   * The names of the registered helpers (usable as functions and as filters).
   *
   * @return an unmodifiable sorted set
   */
  public Set<String> functionNames() {
    return functions.names();
  }

  /**
   * Root variable names an expression/template references, without checking them against
   * allowed roots (still runs the lexical sandbox check). Text containing <code>&#123;&#123;</code> is treated
   * as a template, anything else as an expression.
   *
   * @param expressionSource expression or template text
   * @return the referenced root names, in order of first appearance
   * @throws SandboxViolationException if the sandbox refuses the text
   * @throws ExpressionException on a syntax problem
   */
  public Set<String> referencedRoots(String expressionSource) {
    Objects.requireNonNull(expressionSource, "expressionSource");
    return Compiler.referencedRoots(expressionSource, functions);
  }

  /**
   * Why a name cannot be a root variable (a runbook parameter, a step output, a result column) or a
   * helper: not an identifier, a keyword, a Java class name such as {@code System} or
   * {@code Runtime}, or the first part of Java package names such as {@code java} or {@code dev}.
   * Loaders call this to report such a name where it is declared.
   *
   * @param name the proposed name
   * @return the reason, or empty if the name can be used
   */
  public static Optional<String> variableNameProblem(String name) {
    Objects.requireNonNull(name, "name");
    return ReservedNames.problem(name);
  }

  private static <T> T remember(ConcurrentHashMap<String, T> cache, String source, T compiled) {
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(source, compiled);
    return compiled;
  }

  /**
   * Root names already found usable: a library's runbooks declare the same few names over and over, and checking
   * a name asks the JDK whether a class of that name exists. Bounded like the caches.
   */
  private static final Set<String> USABLE_ROOTS = ConcurrentHashMap.newKeySet();

  private static Set<String> checkRoots(Set<String> allowedRoots) {
    Objects.requireNonNull(allowedRoots, "allowedRoots");
    for (String root : allowedRoots) {
      if (USABLE_ROOTS.contains(root)) {
        continue;
      }
      Optional<String> problem = ReservedNames.problem(root);
      if (problem.isPresent()) {
        throw new IllegalArgumentException("root variable name '" + root + "' cannot be used: " + problem.get());
      }
      if (USABLE_ROOTS.size() >= CACHE_LIMIT) {
        USABLE_ROOTS.clear();
      }
      USABLE_ROOTS.add(root);
    }
    // Not copied: the compilers only read the set while compiling and keep nothing of it, and a library's build
    // calls this for every template it has.
    return allowedRoots;
  }

  @Override
  public String toString() {
    return "ExpressionCompiler" + functions.names();
  }

  /** Builds an {@link ExpressionCompiler} with a chosen set of helpers. Not thread-safe. */
  public static final class Builder {

    private final Map<String, Map<Integer, Method>> functions = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds all built-in helpers.
     *
     * @return this builder
     * @throws IllegalArgumentException if a built-in name is already registered
     */
    public Builder withStandardFunctions() {
      StandardFunctions.table().forEach((name, arities) -> {
        if (functions.containsKey(name)) {
          throw new IllegalArgumentException("function '" + name + "' is already registered");
        }
        functions.put(name, new TreeMap<>(arities));
      });
      return this;
    }

    /**
     * Registers a public static method as a helper, callable as {@code name(args)} and usable as
     * a filter ({@code value | name(moreArgs)}, the value being the first argument). It receives
     * read-only copies of the data.
     *
     * @param name helper name: an identifier, not reserved, not yet registered
     * @param staticMethod a public static, non-varargs method of a public class
     * @return this builder
     * @throws IllegalArgumentException if the name or the method is not acceptable
     */
    public Builder function(String name, Method staticMethod) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(staticMethod, "staticMethod");
      if (!Sandbox.isIdentifier(name)) {
        throw new IllegalArgumentException("function name '" + name + "' is not an identifier");
      }
      if (Sandbox.isReserved(name)) {
        throw new IllegalArgumentException("function name '" + name + "' is reserved");
      }
      if (functions.containsKey(name)) {
        throw new IllegalArgumentException("function '" + name + "' is already registered");
      }
      int mod = staticMethod.getModifiers();
      if (!Modifier.isStatic(mod) || !Modifier.isPublic(mod)
          || !Modifier.isPublic(staticMethod.getDeclaringClass().getModifiers())) {
        throw new IllegalArgumentException("function '" + name + "': " + staticMethod
            + " must be a public static method of a public class");
      }
      if (staticMethod.isVarArgs()) {
        throw new IllegalArgumentException("function '" + name + "': varargs methods are not supported");
      }
      if (staticMethod.getReturnType() == void.class) {
        throw new IllegalArgumentException("function '" + name + "': the method must return a value");
      }
      Map<Integer, Method> byArity = new TreeMap<>();
      byArity.put(staticMethod.getParameterCount(), staticMethod);
      functions.put(name, byArity);
      return this;
    }

    /**
     * Builds the immutable compiler.
     *
     * @return the compiler
     */
    public ExpressionCompiler build() {
      return new ExpressionCompiler(new FunctionTable(functions));
    }
  }
}
