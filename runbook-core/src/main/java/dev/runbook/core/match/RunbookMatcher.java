package dev.runbook.core.match;

import dev.runbook.core.expression.CompiledExpression;
import dev.runbook.core.expression.ExpressionCompiler;
import dev.runbook.core.expression.ExpressionException;
import dev.runbook.core.match.MatchReport.Explained;
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
            .comparingInt((Entry e) -> -e.specificity)
            .thenComparingDouble(e -> -e.minConfidence)
            .thenComparing(e -> e.runbook.id());

    /** A runbook with what ranking reads kept at hand, so sorting matches reads no further than the entry. */
    private record Entry(Runbook runbook, Optional<CompiledExpression> when, int specificity, double minConfidence) {
        Entry(Runbook runbook, Optional<CompiledExpression> when) {
            this(runbook, when, runbook.trigger().specificity(), runbook.trigger().minConfidence());
        }
    }

    private final List<Entry> all;
    private final Map<String, List<Entry>> byReason;
    private final List<Entry> anyReason;
    private final DeepIndex deep;

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
        this.deep = new DeepIndex(all);
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
        Explained e = explainUnderReason(incident);
        return new MatchReport(incident, e.matches(), e.rejected());
    }

    /**
     * What the engine asks: the ranked matches now ({@link #matchingRunbooks}'s cost), the explanations when the
     * report's {@link MatchReport#matches()} or {@link MatchReport#rejected()} is first read. They are then what
     * {@link #match} gives when a runbook matches, and what {@link #explainAll} gives when none does (so "why did
     * nothing match?" covers the whole library), computed only for whoever asks.
     */
    public MatchReport report(Incident incident) {
        List<Runbook> ranked = matchingRunbooks(incident);
        return new MatchReport(incident, ranked, ranked.isEmpty()
                ? () -> evaluate(incident, all)
                : () -> explainUnderReason(incident));
    }

    private Explained explainUnderReason(Incident incident) {
        List<Entry> bucket = byReason.getOrDefault(incident.rootCauseReason(), List.of());
        var candidates = new ArrayList<Entry>(bucket.size() + anyReason.size());
        candidates.addAll(bucket);
        candidates.addAll(anyReason);
        return evaluate(incident, candidates);
    }

    /**
     * The matching runbooks, ranked as by {@link #match}, without explanations: the fast path. Runbooks are
     * indexed by root-cause reason, then symptom, then resource kind, each bucket sorted by min_confidence,
     * so a runbook that cannot match is never looked at.
     */
    public List<Runbook> matchingRunbooks(Incident incident) {
        List<Entry> found = deep.candidates(incident);
        if (found.isEmpty()) {
            return List.of();
        }
        Map<String, Object> vars = null;
        var out = new ArrayList<Entry>(found.size());
        for (Entry e : found) {
            if (e.when.isPresent() && vars == null) {
                vars = Map.of("incident", incident.toMap());
            }
            if (residualMatches(e, incident, vars)) {
                out.add(e);
            }
        }
        if (out.size() > 1) {
            out.sort(RANK);
        }
        var result = new ArrayList<Runbook>(out.size());
        for (Entry e : out) {
            result.add(e.runbook);
        }
        return result;
    }

    /** The criteria the deep index does not cover: namespaces, clusters, labels and {@code when}. */
    private static boolean residualMatches(Entry e, Incident incident, Map<String, Object> vars) {
        Trigger t = e.runbook.trigger();
        if (!t.namespaces().isEmpty() && !t.namespaces().contains(incident.resource().namespace())) {
            return false;
        }
        if (!t.clusters().isEmpty() && !t.clusters().contains(incident.cluster().orElse(""))) {
            return false;
        }
        for (var label : t.labels().entrySet()) {
            if (!label.getValue().equals(incident.labels().get(label.getKey()))) {
                return false;
            }
        }
        if (e.when.isPresent()) {
            try {
                return e.when.get().test(vars);
            } catch (RuntimeException ex) {
                return false;
            }
        }
        return true;
    }

    /**
     * reason -> symptom -> kind -> entries sorted by min_confidence ascending; "" keys hold the runbooks that
     * do not constrain that criterion. A runbook with several values sits in several buckets, which an incident
     * (one value per criterion) never reaches twice.
     */
    private static final class DeepIndex {
        private static final String ANY = "\u0000any";
        private static final Entry[] NONE = new Entry[0];
        private final Map<String, Map<String, Map<String, Entry[]>>> index;

        DeepIndex(List<Entry> entries) {
            var build = new HashMap<String, Map<String, Map<String, List<Entry>>>>();
            for (Entry e : entries) {
                Trigger t = e.runbook.trigger();
                for (String r : keys(t.rootCauseReasons())) {
                    for (String s : keys(t.symptomReasons())) {
                        for (String k : keys(t.resourceKinds())) {
                            build.computeIfAbsent(r, x -> new HashMap<>()).computeIfAbsent(s, x -> new HashMap<>())
                                    .computeIfAbsent(k, x -> new ArrayList<>()).add(e);
                        }
                    }
                }
            }
            var frozen = new HashMap<String, Map<String, Map<String, Entry[]>>>();
            build.forEach((r, bySymptom) -> {
                var s2 = new HashMap<String, Map<String, Entry[]>>();
                bySymptom.forEach((s, byKind) -> {
                    var k2 = new HashMap<String, Entry[]>();
                    byKind.forEach((k, list) -> {
                        Entry[] arr = list.toArray(NONE);
                        java.util.Arrays.sort(arr, Comparator.comparingDouble((Entry x) -> x.runbook.trigger().minConfidence()));
                        k2.put(k, arr);
                    });
                    s2.put(s, k2);
                });
                frozen.put(r, s2);
            });
            // Not copied into immutable maps: nothing writes these after this constructor (the field is final, so
            // they are safely published), and a 100,000-runbook build would copy every level once more.
            this.index = frozen;
        }

        private static Collection<String> keys(Set<String> values) {
            return values.isEmpty() ? List.of(ANY) : values;
        }

        List<Entry> candidates(Incident incident) {
            List<Entry> out = null;
            double c = incident.rcaConfidence();
            String[] reasons = {incident.rootCauseReason(), ANY};
            String[] symptoms = {incident.symptomReason(), ANY};
            String[] kinds = {incident.resource().kind(), ANY};
            for (String r : reasons) {
                var bySymptom = index.get(r);
                if (bySymptom == null) {
                    continue;
                }
                for (String s : symptoms) {
                    var byKind = bySymptom.get(s);
                    if (byKind == null) {
                        continue;
                    }
                    for (String k : kinds) {
                        Entry[] arr = byKind.get(k);
                        if (arr == null) {
                            continue;
                        }
                        int n = upperBound(arr, c);
                        if (n > 0) {
                            if (out == null) {
                                out = new ArrayList<>(n);
                            }
                            for (int i = 0; i < n; i++) {
                                out.add(arr[i]);
                            }
                        }
                    }
                }
            }
            return out == null ? List.of() : out;
        }

        /** How many entries have min_confidence <= c (they are sorted ascending). */
        private static int upperBound(Entry[] arr, double c) {
            int lo = 0;
            int hi = arr.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (arr[mid].runbook.trigger().minConfidence() <= c) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** Like {@link #match} but explains every runbook, including those indexed under other reasons. */
    public MatchReport explainAll(Incident incident) {
        Explained e = evaluate(incident, all);
        return new MatchReport(incident, e.matches(), e.rejected());
    }

    private Explained evaluate(Incident incident, List<Entry> candidates) {
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
        return new Explained(matches, rejected);
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
                ? "rca_confidence " + two(c) + " >= min_confidence " + two(t.minConfidence())
                : "min_confidence " + two(t.minConfidence()) + " > rca_confidence " + two(c)));
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

    /** {@code 0.8} as {@code 0.80}: what String.format("%.2f") gives, without its cost on the hot path. */
    static String two(double v) {
        if (!(v >= 0 && v < 1e12)) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        long hundredths = Math.round(v * 100);
        long frac = hundredths % 100;
        return (hundredths / 100) + (frac < 10 ? ".0" : ".") + frac;
    }
}
