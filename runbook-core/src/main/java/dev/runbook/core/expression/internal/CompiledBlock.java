package dev.runbook.core.expression.internal;

import java.util.Set;

/**
 * A compiled block and the roots it reads (unmodifiable, and as an array to check without an iterator): what the
 * {@link BlockCache} keeps, so that a template may reuse it only where those roots are allowed.
 */
record CompiledBlock(BlockPart part, Set<String> roots, String[] rootNames) {
  CompiledBlock(BlockPart part, Set<String> roots) {
    this(part, roots, roots.toArray(new String[0]));
  }

  boolean readableWith(Set<String> allowedRoots) {
    for (String r : rootNames) {
      if (!allowedRoots.contains(r)) {
        return false;
      }
    }
    return true;
  }
}
