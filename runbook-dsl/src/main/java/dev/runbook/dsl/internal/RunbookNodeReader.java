package dev.runbook.dsl.internal;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.Diagnostic;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads the composed YAML node tree of one {@code runbook:} document into a {@link Runbook}, strictly, collecting
 * every structural problem, and records where each field was written ({@link PathPositions}). Reusable by any
 * format that carries YAML: the Markdown reader passes the text of its YAML block and a {@link PositionMapper}
 * shifted to where the block sits in the file.
 *
 * <p>Document parameters: a string parameter of an action step whose text parses to a YAML (or JSON) map or list is
 * stored as that tree when the action declares the parameter as MAP, LIST or ANY, or the key is {@code patch},
 * {@code manifest} or {@code body}. Templates stay string leaves, so values rendered at run time never add structure.
 *
 * <p>Expect lifting: {@code params.expect} becomes the step's {@code expect} unless the action declares a parameter
 * named {@code expect} (the seed writes check_neo4j's expectation inside its params).
 *
 * <p>The reading is split by concern over one object per document: {@link ReadProblems} (the problems and positions
 * collected), {@link NodeGuard} (hostile structure), {@link ValueReading} (values, numbers and durations),
 * {@link StepReading} (steps, params, notifications) and {@link ModelReading} (the runbook, its trigger and safety).
 */
public final class RunbookNodeReader {
    /** Keys whose string value is always a document when it parses to a map or list. */
    public static final Set<String> DOCUMENT_KEYS = Set.of("patch", "manifest", "body");
    /** Nodes visited in one document, aliases expanded: a defence against alias bombs. */
    static final int NODE_BUDGET = 100_000;
    static final int MAX_DEPTH = 64;

    private final ActionRegistry registry;
    private final long maxSize;
    private final ExpansionBudget expansion;

    /**
     * A reader that resolves actions (for document params and expect lifting) in this registry and counts the
     * documents inside block scalars against the file's {@code budget}.
     */
    public RunbookNodeReader(ActionRegistry registry, long maxSize, ExpansionBudget budget) {
        this.registry = registry;
        this.maxSize = maxSize;
        this.expansion = budget;
    }

    /**
     * What reading one document gave.
     *
     * @param runbook     the model, when the document had at least an id
     * @param diagnostics the structural problems
     * @param positions   where each field was written
     */
    public record Result(Optional<Runbook> runbook, List<Diagnostic> diagnostics, PathPositions positions) {
    }

    /**
     * Reads a document.
     *
     * @param root   the document's root node (a map with the key {@code runbook})
     * @param source the text that was composed (to locate lines inside block scalars)
     * @param file   the file name for diagnostics
     * @param mapper turns the nodes' marks into file positions
     */
    public Result read(Node root, String source, String file, PositionMapper mapper) {
        var run = new ModelReading(source, file, mapper, registry, maxSize, expansion);
        Optional<Runbook> rb = Optional.empty();
        try {
            run.guard(root, mapper, 0, new IdentityHashMap<>());
            rb = run.readRoot(root);
        } catch (ReadProblems.Fatal f) {
            // already reported: the document is hostile or broken beyond reading
        }
        return new Result(rb, List.copyOf(run.diagnostics), run.positions);
    }
}
