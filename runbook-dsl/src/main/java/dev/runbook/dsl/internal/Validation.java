package dev.runbook.dsl.internal;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.compile.Problem;
import dev.runbook.core.compile.RunbookCompiler;
import dev.runbook.core.expression.ExpressionCompiler;
import dev.runbook.core.model.Ids;
import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.Diagnostic;
import dev.runbook.dsl.internal.PositionMapper.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs core's {@link RunbookCompiler} over all loaded runbooks together (so chaining is checked across files) and
 * reports its problems at the file, line and column where the offending field was written.
 */
public final class Validation {
    private Validation() {
    }

    /** A runbook read from a file, with where its fields are. */
    public record Located(Runbook runbook, String file, PathPositions positions) {
    }

    /** Every semantic problem of these runbooks, located. */
    public static List<Diagnostic> validate(List<Located> all, ActionRegistry registry, ExpressionCompiler expressions,
                                            Set<String> hostParameters) {
        var compiler = new RunbookCompiler(registry, expressions, hostParameters);
        var out = new ArrayList<Diagnostic>();
        var firsts = new LinkedHashMap<String, Located>();
        var duplicates = new ArrayList<Located>();
        for (Located l : all) {
            Located first = firsts.putIfAbsent(l.runbook().id(), l);
            if (first != null) {
                duplicates.add(l);
                Position here = l.positions().locate("id");
                Position there = first.positions().locate("id");
                out.add(new Diagnostic(l.file(), here.line(), here.column(), "id: duplicate runbook id "
                        + Ids.quote(l.runbook().id()) + " (also at " + first.file() + ":" + there.line() + ":" + there.column()
                        + "); every runbook needs its own id (bump the -vN suffix for a new version)"));
            }
        }
        report(compiler.validate(firsts.values().stream().map(Located::runbook).toList()), firsts, out);
        // A duplicate is checked on its own against the others, so its problems are located in its own file.
        for (Located dup : duplicates) {
            var library = new ArrayList<Runbook>();
            library.add(dup.runbook());
            firsts.values().stream().filter(l -> !l.runbook().id().equals(dup.runbook().id()))
                    .forEach(l -> library.add(l.runbook()));
            var problems = compiler.validate(library).stream()
                    .filter(p -> p.runbookId().equals(dup.runbook().id())).toList();
            report(problems, Map.of(dup.runbook().id(), dup), out);
        }
        return out;
    }

    private static void report(List<Problem> problems, Map<String, Located> byId, List<Diagnostic> out) {
        for (Problem p : problems) {
            if (p.path().equals("id") && p.message().startsWith("duplicate runbook id")) {
                continue; // reported above with both files
            }
            Located l = byId.get(p.runbookId());
            if (l == null) {
                continue;
            }
            Position at = l.positions().locate(p.path());
            out.add(new Diagnostic(l.file(), at.line(), at.column(),
                    (p.path().isEmpty() ? "runbook" : p.path()) + ": " + p.message(),
                    p.isError() ? Diagnostic.Severity.ERROR : Diagnostic.Severity.WARNING));
        }
    }
}
