package dev.runbook.dsl.internal;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.dsl.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Runbook files in YAML: one document with the top-level key {@code runbook:}. */
public final class YamlFormat implements RunbookFormat {
    @Override
    public Set<String> extensions() {
        return Set.of("yaml", "yml");
    }

    @Override
    public List<RunbookNodeReader.Result> read(String text, String file, ActionRegistry registry, Limits limits) {
        var problems = new ArrayList<Diagnostic>();
        var budget = new ExpansionBudget(limits.maxExpandedSize());
        Optional<Node> root = YamlText.compose(text, file, limits.maxFileSize(), budget, PositionMapper.identity(),
                "file", problems);
        if (root.isEmpty()) {
            return List.of(new RunbookNodeReader.Result(Optional.empty(), problems, new PathPositions()));
        }
        return List.of(new RunbookNodeReader(registry, limits.maxFileSize(), budget)
                .read(root.get(), text, file, PositionMapper.identity()));
    }
}
