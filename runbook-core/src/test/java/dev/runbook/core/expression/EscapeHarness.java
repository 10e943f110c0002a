package dev.runbook.core.expression;

import dev.runbook.core.model.CausalLink;
import dev.runbook.core.model.Incident;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs one expression the way a runbook would (compile with the declared roots, evaluate over real variable
 * shapes) on a worker thread with a deadline and an allocation budget, and says what went wrong, if anything:
 * a value of a type outside Map, List, String, Number, Boolean and null, a file created in the watched folder,
 * a closed System.out/System.err, a deadline or memory overrun. Shared by the corpus and the fuzz test.
 */
final class EscapeHarness implements AutoCloseable {

  /** Root variables an expression may use: as the engine declares them, with step outputs as maps and lists. */
  static final Set<String> ROOTS = Set.of("incident", "execution", "namespace", "replicas", "pods", "restarted",
      "result", "flag");

  static final long DEADLINE_MS = 2_000;

  /** How the last case ended, when it ended without a problem. */
  enum Outcome { REFUSED, FAILED, VALUE }

  static final long MAX_ALLOCATED_BYTES = 64L << 20;

  private final Path dir;
  private final ExpressionCompiler compiler = ExpressionCompiler.standard();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "escape-harness");
    t.setDaemon(true);
    return t;
  });
  private final PrintStream realOut = System.out;
  private final PrintStream realErr = System.err;
  private final GuardStream out = new GuardStream(realOut);
  private final GuardStream err = new GuardStream(realErr);
  private volatile Outcome lastOutcome;

  EscapeHarness(Path dir) {
    this.dir = dir;
    // MVEL's System.out is whatever the field holds: a closed guard is detected instead of the JVM's stdout dying
    System.setOut(out);
    System.setErr(err);
  }

  static Map<String, Object> variables() {
    Incident incident = Incident.builder("inc-1")
        .symptomReason("HighMemory")
        .rootCause("OOMKilled", 0.92)
        .resource("Pod", "shop", "app-7f9c")
        .cluster("prod")
        .eventTime(Instant.parse("2026-01-01T00:00:00Z"))
        .labels(Map.of("team", "sre", "app", "cart"))
        .causalChain(List.of(new CausalLink("e1", "OOMKilled", "e2", 0.8)))
        .attribute("restarts", 3)
        .attribute("owner", Map.of("name", "ops"))
        .build();
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("incident", incident.toMap());
    v.put("execution", Map.of("id", "ex-1", "runbook_id", "rb", "runbook_version", 2, "dry_run", false));
    v.put("namespace", "shop");
    v.put("replicas", 3L);
    v.put("pods", List.of(Map.of("name", "a", "ready", true), Map.of("name", "b", "ready", false)));
    v.put("restarted", Map.of("ok", true, "items", List.of("a", "b"), "count", 2));
    v.put("result", List.of(Map.of("n", 1L)));
    v.put("flag", true);
    return v;
  }

  /**
   * Compiles and evaluates; returns null when all is well (refused at compile time, failed cleanly, or gave an
   * allowed value), else what went wrong.
   */
  String problemWith(String source, Set<String> roots) {
    return problemWith(source, roots, false);
  }

  /**
   * As {@link #problemWith(String, Set)}; with {@code mustFail}, producing any value at all is a problem too (for
   * payloads that can only have come from calling something that is not allowed).
   */
  String problemWith(String source, Set<String> roots, boolean mustFail) {
    String text = source.replace("{dir}", dir.toString());
    Future<String> f = worker.submit(() -> run(text, roots, mustFail));
    String problem;
    try {
      problem = f.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      problem = "took longer than " + DEADLINE_MS + " ms";
    } catch (ExecutionException e) {
      problem = "threw " + e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "interrupted";
    }
    // checked after every case, so that each case reports (and resets) only its own effects
    String effects = sideEffects();
    if (effects != null) {
      problem = problem == null ? effects : effects + "; " + problem;
    }
    return problem == null ? null : problem + ": " + text;
  }

  private String run(String text, Set<String> roots, boolean mustFail) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    Object value;
    try {
      value = compiler.compileExpression(text, roots).evaluate(variables());
    } catch (ExpressionEvaluationException e) {
      lastOutcome = Outcome.FAILED;
      return null;
    } catch (ExpressionException | IllegalArgumentException e) {
      lastOutcome = Outcome.REFUSED; // at compile time (a reserved root name is an IllegalArgumentException)
      return null;
    }
    lastOutcome = Outcome.VALUE;
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    if (allocated > MAX_ALLOCATED_BYTES) {
      return "allocated " + allocated + " bytes";
    }
    String problem = disallowed(value, 0);
    return problem == null && mustFail ? "gave a value (" + value + ")" : problem;
  }

  Outcome lastOutcome() {
    return lastOutcome;
  }

  /** Null if the value is made only of Map, List, String, Number, Boolean and null. */
  static String disallowed(Object value, int depth) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return null;
    }
    if (depth > 64) {
      return "value nested deeper than 64";
    }
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String p = disallowed(e.getKey(), depth + 1);
        p = p != null ? p : disallowed(e.getValue(), depth + 1);
        if (p != null) {
          return p;
        }
      }
      return null;
    }
    if (value instanceof List<?> l) {
      for (Object o : l) {
        String p = disallowed(o, depth + 1);
        if (p != null) {
          return p;
        }
      }
      return null;
    }
    return "reached a " + value.getClass().getName() + " (" + value + ")";
  }

  private String sideEffects() {
    if (out.closed || err.closed) {
      String which = out.closed ? "out" : "err";
      out.closed = false; // reset, so that the next case reports only its own effects
      err.closed = false;
      return "closed System." + which;
    }
    if (System.out != out || System.err != err) {
      return "replaced System.out/err";
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> created = new ArrayList<>(s.toList());
      if (!created.isEmpty()) {
        for (Path p : created) {
          Files.deleteIfExists(p);
        }
        return "created " + created;
      }
    } catch (IOException e) {
      return "cannot list " + dir + ": " + e;
    }
    return null;
  }

  @Override
  public void close() {
    worker.shutdownNow();
    System.setOut(realOut);
    System.setErr(realErr);
  }

  /** Passes output through, but records (and swallows) a close. */
  private static final class GuardStream extends PrintStream {
    volatile boolean closed;

    GuardStream(OutputStream target) {
      super(target, true);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
