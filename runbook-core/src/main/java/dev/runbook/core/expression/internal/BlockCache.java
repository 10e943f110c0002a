package dev.runbook.core.expression.internal;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled {@code {{ }}} blocks by their text (braces included). Templates that differ only in literal text share
 * their blocks, so a library whose messages each name something different still checks and compiles every
 * expression once. A block's compiled form does not depend on where it stands, and it is reused only where the
 * roots it reads are allowed. Only blocks that compiled are kept; bounded (emptied when full). Its own class: one
 * cache lives as long as its {@link dev.runbook.core.expression.ExpressionCompiler}, across many compilations.
 */
public final class BlockCache {
  private final int limit;
  private final ConcurrentHashMap<String, CompiledBlock> blocks = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<SameBlocks, Reads> reads = new ConcurrentHashMap<>();

  /** A cache holding at most {@code limit} blocks (0: keeps nothing). */
  public BlockCache(int limit) {
    this.limit = limit;
  }

  CompiledBlock get(String text, Set<String> allowedRoots) {
    CompiledBlock hit = limit == 0 ? null : blocks.get(text);
    return hit != null && hit.readableWith(allowedRoots) ? hit : null;
  }

  void put(String text, CompiledBlock block) {
    if (limit == 0) {
      return;
    }
    if (blocks.size() >= limit) {
      blocks.clear();
    }
    blocks.put(text, block);
  }

  /**
   * The roots and paths a template of these blocks reads. Templates that differ only in literal text have the same
   * blocks (the same cached objects), so their merged sets are built once and shared, which saves a library's
   * build two sets per template and its compiled runbooks the memory.
   */
  Reads reads(CompiledBlock[] compiled) {
    if (compiled.length == 0) {
      return Reads.NONE;
    }
    if (compiled.length == 1) {
      return new Reads(compiled[0].roots(), compiled[0].part().paths());
    }
    if (limit == 0) {
      return Reads.merge(compiled);
    }
    var key = new SameBlocks(compiled);
    Reads hit = reads.get(key);
    if (hit == null) {
      hit = Reads.merge(compiled);
      if (reads.size() >= limit) {
        reads.clear();
      }
      reads.put(key, hit);
    }
    return hit;
  }

  /** The roots and member paths a template reads, in order of first appearance; unmodifiable. */
  record Reads(Set<String> roots, Set<List<String>> paths) {
    static final Reads NONE = new Reads(Set.of(), Set.of());

    static Reads merge(CompiledBlock[] compiled) {
      var roots = new LinkedHashSet<String>();
      var paths = new LinkedHashSet<List<String>>();
      for (CompiledBlock b : compiled) {
        roots.addAll(b.roots());
        paths.addAll(b.part().paths());
      }
      return new Reads(Collections.unmodifiableSet(roots), Collections.unmodifiableSet(paths));
    }
  }

  /** A sequence of cached blocks, equal to another holding the same objects in the same order. */
  private static final class SameBlocks {
    private final CompiledBlock[] blocks;
    private final int hash;

    SameBlocks(CompiledBlock[] blocks) {
      this.blocks = blocks;
      int h = 1;
      for (CompiledBlock b : blocks) {
        h = 31 * h + System.identityHashCode(b);
      }
      this.hash = h;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof SameBlocks other) || other.hash != hash || other.blocks.length != blocks.length) {
        return false;
      }
      for (int i = 0; i < blocks.length; i++) {
        if (blocks[i] != other.blocks[i]) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
