package dev.runbook.core.expression.internal;

import dev.runbook.core.expression.CompiledTemplate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled template: literal text and {@link BlockPart}s, rendered without parsing. The value the {@link Compiler}
 * hands out, kept apart from the compiling so that what runs at execution time is readable on its own.
 */
final class TemplateImpl implements CompiledTemplate {
  private final String source;
  private final Set<String> roots;
  private final Set<List<String>> paths;
  private final Object[] parts;
  private final boolean literal;
  private final boolean single;
  private final Evaluator singleEvaluator;
  private final BlockPart singleBlock;

  TemplateImpl(String source, Set<String> roots, Set<List<String>> paths, List<Object> parts, boolean literal,
      boolean single) {
    this.source = source;
    this.roots = roots;
    this.paths = paths;
    this.parts = parts.toArray();
    this.literal = literal;
    this.single = single;
    BlockPart only = null;
    for (Object p : this.parts) {
      if (p instanceof BlockPart b) {
        only = b;
      }
    }
    this.singleEvaluator = single ? only.evaluator() : null;
    this.singleBlock = single ? only : null;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public Set<String> referencedRoots() {
    return roots;
  }

  @Override
  public Set<List<String>> referencedPaths() {
    return paths;
  }

  @Override
  public boolean isLiteral() {
    return literal;
  }

  @Override
  public Object renderRequired(Map<String, ?> variables) {
    return renderRequired(variables, Set.of());
  }

  @Override
  public Object renderRequired(Map<String, ?> variables, Set<String> unknownRoots) {
    if (single) {
      return singleBlock.required(source, variables, unknownRoots);
    }
    if (literal) {
      return source;
    }
    StringBuilder sb = new StringBuilder(source.length() + 32);
    for (Object p : parts) {
      sb.append(p instanceof BlockPart b ? ValueText.of(b.required(source, variables, unknownRoots)) : (String) p);
    }
    return sb.toString();
  }

  @Override
  public Object render(Map<String, ?> variables) {
    if (single) {
      return singleEvaluator.evaluate(variables);
    }
    return renderString(variables);
  }

  @Override
  public String renderString(Map<String, ?> variables) {
    if (literal) {
      return source;
    }
    StringBuilder sb = new StringBuilder(source.length() + 32);
    for (Object p : parts) {
      if (p instanceof BlockPart b) {
        sb.append(ValueText.of(b.evaluator().evaluate(variables)));
      } else {
        sb.append((String) p);
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "CompiledTemplate[" + source + "]";
  }
}
