package dev.runbook.core.expression.internal;

import dev.runbook.core.expression.CompiledExpression;
import dev.runbook.core.expression.CompiledTemplate;
import dev.runbook.core.expression.ExpressionEvaluationException;
import dev.runbook.core.expression.ExpressionException;
import dev.runbook.core.expression.SandboxViolationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles expressions and templates: sandbox check, then a tree of closures (or the path fast path). The entry
 * point; a template's text is read by {@link TemplateParser} and {@link FilterParser}, blocks are kept in the
 * {@link BlockCache}, and what comes out is an {@link ExpressionImpl} or a {@link TemplateImpl}.
 */
public final class Compiler {

  /** Maximum length of a whole template. */
  public static final int MAX_TEMPLATE_LENGTH = 200_000;

  private Compiler() {}

  /**
   * Compiles an expression.
   *
   * @param source expression text
   * @param allowedRoots allowed root variables
   * @param functions helpers
   * @return the compiled expression
   */
  public static CompiledExpression compileExpression(String source, Set<String> allowedRoots, FunctionTable functions) {
    Sandbox.Checked checked = Sandbox.check(source, 0, source.length(), allowedRoots, functions, false, Sandbox.MAX_LENGTH);
    Evaluator evaluator = evaluator(checked, functions, source, source, 0);
    return new ExpressionImpl(source, checked.roots(), MemberPaths.of(checked), evaluator);
  }

  /**
   * Root names referenced by an expression or (if it contains <code>&#123;&#123;</code>) a template, without
   * checking them against allowed roots.
   *
   * @param source text
   * @param functions helpers
   * @return the roots
   */
  public static Set<String> referencedRoots(String source, FunctionTable functions) {
    if (source.contains("{{")) {
      Set<String> roots = new LinkedHashSet<>();
      for (TemplateParser.Block b : TemplateParser.parseTemplate(source, null, functions)) {
        roots.addAll(b.checked().roots());
      }
      return Collections.unmodifiableSet(roots);
    }
    return Sandbox.check(source, 0, source.length(), null, functions, false, Sandbox.MAX_LENGTH).roots();
  }

  /**
   * Compiles a template, taking blocks already compiled from {@code cache} and adding the ones it compiles.
   *
   * @param source template text
   * @param allowedRoots allowed root variables
   * @param functions helpers
   * @param cache blocks compiled before, by the same {@code functions}
   * @return the compiled template
   */
  public static CompiledTemplate compileTemplate(String source, Set<String> allowedRoots, FunctionTable functions,
      BlockCache cache) {
    if (source.length() > MAX_TEMPLATE_LENGTH) {
      throw new SandboxViolationException("template is " + source.length() + " characters long; at most "
          + MAX_TEMPLATE_LENGTH + " are allowed", source, MAX_TEMPLATE_LENGTH);
    }
    List<TemplateParser.Block> blocks = TemplateParser.parseTemplate(source, allowedRoots, functions, cache);
    List<Object> parts = new ArrayList<>(blocks.size() * 2 + 1);
    CompiledBlock[] compiledBlocks = new CompiledBlock[blocks.size()];
    int n = 0;
    int pos = 0;
    for (TemplateParser.Block b : blocks) {
      if (b.start() > pos) {
        parts.add(source.substring(pos, b.start()));
      }
      CompiledBlock compiled = b.cached();
      if (compiled == null) {
        String blockText = source.substring(b.start(), b.end());
        Evaluator e = evaluator(b.checked(), functions, blockText, source, b.exprFrom());
        compiled = new CompiledBlock(new BlockPart(b.pipeline() == null ? e
            : guarded(new PipelineEvaluator(b.pipeline(), e), blockText),
            MemberPaths.of(b.checked()), source.substring(b.start() + 2, b.end() - 2).strip()),
            Collections.unmodifiableSet(b.checked().roots()));
        cache.put(blockText, compiled);
      }
      parts.add(compiled.part());
      compiledBlocks[n++] = compiled;
      pos = b.end();
    }
    if (pos < source.length()) {
      parts.add(source.substring(pos));
    }
    boolean single = blocks.size() == 1
        && TemplateParser.isBlank(source, 0, blocks.get(0).start())
        && TemplateParser.isBlank(source, blocks.get(0).end(), source.length());
    BlockCache.Reads reads = cache.reads(compiledBlocks);
    return new TemplateImpl(source, reads.roots(), reads.paths(), parts, blocks.isEmpty(), single);
  }

  private static Evaluator evaluator(Sandbox.Checked checked, FunctionTable functions, String sourceForErrors,
      String fullSource, int offset) {
    Node tree;
    try {
      tree = Parser.parse(checked.source(), checked.tokens(), checked.roots(), functions);
    } catch (ExpressionException e) {
      if (checked.source().equals(fullSource)) {
        throw e;
      }
      // a template block composed from filters: point at the block, as the sandbox check does
      throw new ExpressionException(e.reason(), fullSource, offset);
    }
    Evaluator full = new TreeEvaluator(tree, checked.roots(), sourceForErrors);
    Evaluator e = checked.path() != null ? new PathEvaluator(checked.path(), full) : full;
    return guarded(e, sourceForErrors);
  }

  private static Evaluator guarded(Evaluator e, String sourceForErrors) {
    return variables -> {
      try {
        return e.evaluate(variables);
      } catch (ExpressionEvaluationException x) {
        throw x;
      } catch (RuntimeException | StackOverflowError x) {
        throw new ExpressionEvaluationException(sourceForErrors, TreeEvaluator.describe(x), x);
      }
    };
  }
}
