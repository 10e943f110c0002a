package dev.runbook.dsl.internal;

import dev.runbook.dsl.Diagnostic;
import dev.runbook.dsl.internal.PositionMapper.Position;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The error collection of one document read by {@link RunbookNodeReader}: every problem found, where each field was
 * written, and the nodes already reported (so that one mistake gives one diagnostic). The reading itself is layered
 * on top: {@link NodeGuard}, {@link ValueReading}, {@link StepReading} and {@link ModelReading}, one object per
 * document.
 */
abstract class ReadProblems {
    final String source;
    /** The source's lines, split only when a block scalar holds a document (most files have none). */
    String[] lines;
    final String file;
    final PositionMapper mapper;
    final List<Diagnostic> diagnostics = new ArrayList<>();
    final PathPositions positions = new PathPositions();
    final Set<Node> reported = Collections.newSetFromMap(new IdentityHashMap<>());
    int budget = RunbookNodeReader.NODE_BUDGET;

    ReadProblems(String source, String file, PositionMapper mapper) {
        this.source = source;
        this.file = file;
        this.mapper = mapper;
    }

    Position pos(Node n, PositionMapper m) {
        return PathPositions.of(n, m);
    }

    void error(Position p, String message) {
        diagnostics.add(new Diagnostic(file, p.line(), p.column(), message));
    }

    String show(String path) {
        return path.isEmpty() ? "runbook" : path;
    }

    /** Stops reading a document that is hostile or broken beyond reading; its problem is already reported. */
    static final class Fatal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Fatal() {
            super(null, null, false, false);
        }
    }
}
