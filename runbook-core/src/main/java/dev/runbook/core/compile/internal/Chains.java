package dev.runbook.core.compile.internal;

import dev.runbook.core.compile.Problem;
import dev.runbook.core.internal.Suggestions;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.ParamValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chaining between the runbooks of a library: the runbook a chaining step names, and the cycles the chains form. Apart
 * from the compiling of a runbook because a cycle is a property of the whole library, found once all runbooks are in.
 */
public final class Chains {
    private Chains() {
    }

    /** A chaining step's literal target and where the step names it. */
    public record ChainRef(String target, String path) {
    }

    /**
     * Checks the literal target of chaining step {@code a} at {@code path} against the library's ids, adding a
     * reference to {@code chains} when there is such a runbook; returns the target when the step names one.
     */
    public static Optional<String> checkTarget(ActionStep a, String path, Set<String> libraryIds, List<ChainRef> chains,
                                               String runbookId, List<Problem> problems) {
        ParamValue target = a.params().entries().get("runbook");
        if (target instanceof ParamValue.Scalar s && s.value() instanceof String id && !id.contains("{{")) {
            if (!libraryIds.contains(id)) {
                problems.add(new Problem(runbookId, path + ".params.runbook", "run_runbook refers to unknown runbook '"
                        + id + "'" + Suggestions.didYouMean(id, libraryIds)));
            } else {
                chains.add(new ChainRef(id, path + ".params.runbook"));
            }
            return Optional.of(id);
        }
        return Optional.empty();
    }

    /** Reports each chaining cycle once, at the first step of the runbook it is found from. */
    public static void findCycles(Map<String, List<ChainRef>> chains, List<Problem> problems) {
        var reported = new HashSet<Set<String>>();
        for (var entry : chains.entrySet()) {
            String start = entry.getKey();
            var path = new ArrayList<String>();
            var paths = new ArrayList<String>();
            dfs(start, start, chains, path, paths, new HashSet<>(), problems, reported);
        }
    }

    private static void dfs(String start, String node, Map<String, List<ChainRef>> chains, List<String> path,
                            List<String> stepPaths, Set<String> onPath, List<Problem> problems, Set<Set<String>> reported) {
        path.add(node);
        onPath.add(node);
        for (ChainRef ref : chains.getOrDefault(node, List.of())) {
            stepPaths.add(ref.path());
            if (ref.target().equals(start)) {
                var cycle = new LinkedHashSet<>(path);
                if (reported.add(cycle)) {
                    problems.add(new Problem(start, stepPaths.get(0), "chaining cycle: " + String.join(" -> ", path)
                            + " -> " + start + "; a runbook must not (indirectly) run itself"));
                }
            } else if (!onPath.contains(ref.target()) && chains.containsKey(ref.target())) {
                dfs(start, ref.target(), chains, path, stepPaths, onPath, problems, reported);
            }
            stepPaths.remove(stepPaths.size() - 1);
        }
        onPath.remove(node);
        path.remove(path.size() - 1);
    }
}
