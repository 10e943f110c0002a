package dev.runbook.core.match;

import dev.runbook.core.expression.CompiledExpression;
import dev.runbook.core.expression.ExpressionCompiler;
import dev.runbook.core.expression.ExpressionException;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the runbooks that apply to an incident, ranked, and says for each runbook considered why it
 * matched or not. Runbooks are indexed by root-cause reason: a runbook whose reasons differ from the
 * incident's is never looked at, so the cost does not grow with them. Immutable and thread-safe.
 */
public final class RunbookMatcher {
    /** Ranking: most specific trigger, then highest min_confidence, then id for a stable order. */
    private static final Comparator<Entry> RANK = Comparator
            .comparingInt((Entry e) -> -e.runbook.trigger().specificity())
            .thenComparingDouble(e -> -e.runbook.trigger().minConfidence())
            .thenComparing(e -> e.runbook.id());

    private record Entry(Runbook runbook, Optional<CompiledExpression> when) {
    }

    private final List<Entry> all;
    private final Map<String, List<Entry>> byReason;
    private final List<Entry> anyReason;

    private RunbookMatcher(List<Entry> all) {
        this.all = List.copyOf(all);
        var index = new HashMap<String, List<Entry>>();
        var wildcard = new ArrayList<Entry>();
        for (Entry e : all) {
            Set<String> reasons = e.runbook.trigger().rootCauseReasons();
            if (reasons.isEmpty()) {
                wildcard.add(e);
            }
            for (String r : reasons) {
                index.computeIfAbsent(r, k -> new ArrayList<>()).add(e);
            }
        }
        var frozen = new HashMap<String, List<Entry>>();
        index.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        this.byReason = Map.copyOf(frozen);
        this.anyReason = List.copyOf(wildcard);
    }

    /** A matcher over these runbooks, compiling their {@code when} conditions with the standard compiler. */
    public static RunbookMatcher of(Collection<Runbook> runbooks) {
        return of(runbooks, ExpressionCompiler.standard());
    }

    /**
     * A matcher over these runbooks.
     *
     * @throws IllegalArgumentException when a trigger's {@code when} does not compile, naming the runbook
     */
    public static RunbookMatcher of(Collection<Runbook> runbooks, ExpressionCompiler compiler) {
        var entries = new ArrayList<Entry>(runbooks.size());
        var problems = new ArrayList<String>();
        for (Runbook rb : runbooks) {
            Optional<CompiledExpression> when = Optional.empty();
            if (rb.trigger().when().isPresent()) {
                try {
                    when = Optional.of(compiler.compileExpression(rb.trigger().when().get(), Set.of("incident")));
                } catch (ExpressionException e) {
                    problems.add("runbook " + rb.id() + ": trigger.when: " + e.getMessage());
                }
            }
            entries.add(new Entry(rb, when));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new RunbookMatcher(entries);
    }

    /** The runbooks this matcher holds. */
    public List<Runbook> runbooks() {
        return all.stream().map(Entry::runbook).toList();
    }

    /**
     * The runbooks that match, ranked, and the reasons of those considered that did not. Only runbooks
     * indexed under the incident's root-cause reason (and those with no reason criterion) are considered.
     */
    public MatchReport match(Incident incident) {
        List<Entry> bucket = byReason.getOrDefault(incident.rootCauseReason(), List.of());
        var candidates = new ArrayList<Entry>(bucket.size() + anyReason.size());
        candidates.addAll(bucket);
        candidates.addAll(anyReason);
        return evaluate(incident, candidates);
    }

    /** Like {@link #match} but explains every runbook, including those indexed under other reasons. */
    public MatchReport explainAll(Incident incident) {
        return evaluate(incident, all);
    }

    private MatchReport evaluate(Incident incident, List<Entry> candidates) {
        var matched = new ArrayList<Entry>();
        var results = new LinkedHashMap<Entry, RunbookMatch>();
        Map<String, Object> vars = null;
        for (Entry e : candidates) {
            if (e.when.isPresent() && vars == null) {
                vars = Map.of("incident", incident.toMap());
            }
            RunbookMatch m = check(e, incident, vars);
            results.put(e, m);
            if (m.matched()) {
                matched.add(e);
            }
        }
        matched.sort(RANK);
        var matches = matched.stream().map(results::get).toList();
        var rejected = results.values().stream().filter(m -> !m.matched()).toList();
        return new MatchReport(incident, matches, rejected);
    }

    private static RunbookMatch check(Entry e, Incident incident, Map<String, Object> vars) {
        Trigger t = e.runbook.trigger();
        var out = new ArrayList<CriterionResult>(8);
        if (!t.rootCauseReasons().isEmpty()) {
            boolean ok = t.rootCauseReasons().contains(incident.rootCauseReason());
            out.add(new CriterionResult("root_cause_reason", ok, "root_cause_reason '" + incident.rootCauseReason()
                    + (ok ? "' in " : "' not in ") + t.rootCauseReasons()));
        }
        if (!t.symptomReasons().isEmpty()) {
            boolean ok = t.symptomReasons().contains(incident.symptomReason());
            out.add(new CriterionResult("symptom_reason", ok, "symptom_reason '" + incident.symptomReason()
                    + (ok ? "' in " : "' not in ") + t.symptomReasons()));
        }
        double c = incident.rcaConfidence();
        boolean confOk = c >= t.minConfidence();
        out.add(new CriterionResult("min_confidence", confOk, confOk
                ? fmt("rca_confidence %.2f >= min_confidence %.2f", c, t.minConfidence())
                : fmt("min_confidence %.2f > rca_confidence %.2f", t.minConfidence(), c)));
        if (!t.resourceKinds().isEmpty()) {
            boolean ok = t.resourceKinds().contains(incident.resource().kind());
            out.add(new CriterionResult("affected_resource_kinds", ok, "resource kind '" + incident.resource().kind()
                    + (ok ? "' in " : "' not in ") + t.resourceKinds()));
        }
        if (!t.namespaces().isEmpty()) {
            boolean ok = t.namespaces().contains(incident.resource().namespace());
            out.add(new CriterionResult("namespaces", ok, "namespace '" + incident.resource().namespace()
                    + (ok ? "' in " : "' not in ") + t.namespaces()));
        }
        if (!t.clusters().isEmpty()) {
            String cluster = incident.cluster().orElse("");
            boolean ok = t.clusters().contains(cluster);
            out.add(new CriterionResult("clusters", ok, "cluster '" + cluster + (ok ? "' in " : "' not in ") + t.clusters()));
        }
        for (var label : t.labels().entrySet()) {
            String actual = incident.labels().get(label.getKey());
            boolean ok = label.getValue().equals(actual);
            out.add(new CriterionResult("labels." + label.getKey(), ok, "label " + label.getKey() + "="
                    + (actual == null ? "(absent)" : "'" + actual + "'") + (ok ? " equals " : " is not ") + "'"
                    + label.getValue() + "'"));
        }
        if (e.when.isPresent()) {
            String src = e.when.get().source();
            boolean ok;
            String detail;
            try {
                ok = e.when.get().test(vars);
                detail = "when '" + src + "' is " + ok;
            } catch (RuntimeException ex) {
                ok = false;
                detail = "when '" + src + "' could not be evaluated: " + ex.getMessage();
            }
            out.add(new CriterionResult("when", ok, detail));
        }
        boolean all = out.stream().allMatch(CriterionResult::passed);
        return new RunbookMatch(e.runbook, all, out);
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
