package dev.runbook.benchmarks;

import dev.runbook.core.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Prints JMH's JSON results as one table, then the ratios the targets are stated in. */
public final class Report {
    private record Row(String suite, String name, String param, double score, double error, String unit,
                       Optional<Double> allocBytes) {
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();

    private Report(List<Object> results) {
        for (Object o : results) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) o;
            String full = (String) r.get("benchmark");
            String suite = full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1, full.lastIndexOf('.'));
            String name = full.substring(full.lastIndexOf('.') + 1);
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) r.getOrDefault("params", Map.of());
            String param = params.isEmpty() ? "" : String.join(",", params.values().stream().map(String::valueOf).toList());
            @SuppressWarnings("unchecked")
            Map<String, Object> primary = (Map<String, Object>) r.get("primaryMetric");
            @SuppressWarnings("unchecked")
            Map<String, Object> secondary = (Map<String, Object>) r.getOrDefault("secondaryMetrics", Map.of());
            Optional<Double> alloc = Optional.ofNullable(secondary.get("gc.alloc.rate.norm"))
                    .map(m -> ((Number) ((Map<?, ?>) m).get("score")).doubleValue());
            double error = primary.get("scoreError") instanceof Number n ? n.doubleValue() : Double.NaN;
            rows.put(suite + "." + name + "#" + param, new Row(suite, name, param, ((Number) primary.get("score")).doubleValue(),
                    error, (String) primary.get("scoreUnit"), alloc));
        }
    }

    public static void main(String[] args) throws IOException {
        @SuppressWarnings("unchecked")
        List<Object> results = (List<Object>) Json.parse(Files.readString(Path.of(args[0])));
        Report report = new Report(results);
        report.table();
        report.ratios();
    }

    private void table() {
        System.out.printf(Locale.ROOT, "%-22s %-24s %8s %14s %12s %8s %14s%n", "suite", "benchmark", "param", "score", "error",
                "unit", "alloc B/op");
        for (Row r : rows.values()) {
            System.out.printf(Locale.ROOT, "%-22s %-24s %8s %14.1f %12.1f %8s %14s%n", r.suite(), r.name(), r.param(),
                    r.score(), r.error(), r.unit(), r.allocBytes().map(a -> String.format(Locale.ROOT, "%.0f", a)).orElse(""));
        }
    }

    private Optional<Double> score(String suite, String name, String param) {
        return Optional.ofNullable(rows.get(suite + "." + name + "#" + param)).map(Row::score);
    }

    private void ratio(List<String> out, String label, Optional<Double> a, Optional<Double> b, String target) {
        if (a.isPresent() && b.isPresent()) {
            out.add(String.format(Locale.ROOT, "%-62s %10.2f   %s", label, a.get() / b.get(), target));
        }
    }

    private void ratios() {
        var out = new ArrayList<String>();
        for (String n : List.of("10", "1000", "10000", "100000")) {
            String target = n.equals("10000") ? "target >= 100" : n.equals("100000") ? "target >= 300" : "";
            ratio(out, "matching " + n + ": linear scan / indexed", score("MatchingBenchmark", "linearScan", n),
                    score("MatchingBenchmark", "indexed", n), target);
            ratio(out, "matching " + n + ": linear scan / indexed with explanations",
                    score("MatchingBenchmark", "linearScan", n), score("MatchingBenchmark", "indexedExplained", n), "");
            ratio(out, "matching " + n + ": indexed / HashMap floor", score("MatchingBenchmark", "indexed", n),
                    score("MatchingBenchmark", "hashMapFloor", n), "");
        }
        for (String t : List.of("Message", "Memory")) {
            ratio(out, "templates " + t + ": Pebble / ours", score("TemplateBenchmark", "pebble" + t, ""),
                    score("TemplateBenchmark", "ours" + t, ""), "target > 1");
            ratio(out, "templates " + t + ": ours / hand-written", score("TemplateBenchmark", "ours" + t, ""),
                    score("TemplateBenchmark", "handWritten" + t, ""), "target <= 5");
            ratio(out, "templates " + t + ": Jinjava / ours", score("TemplateBenchmark", "jinjava" + t, ""),
                    score("TemplateBenchmark", "ours" + t, ""), "");
        }
        for (String e : List.of("Verify", "Trigger")) {
            ratio(out, "expressions " + e + ": ours / MVEL compiled (no sandbox)", score("ExpressionBenchmark", "ours" + e, ""),
                    score("ExpressionBenchmark", "mvelCompiled" + e, ""), "target <= 1.10");
            ratio(out, "expressions " + e + ": MVEL interpreted / ours", score("ExpressionBenchmark", "mvelInterpreted" + e, ""),
                    score("ExpressionBenchmark", "ours" + e, ""), "");
            ratio(out, "expressions " + e + ": ours / plain Java", score("ExpressionBenchmark", "ours" + e, ""),
                    score("ExpressionBenchmark", "java" + e, ""), "");
        }
        Optional<Double> engine = score("EngineBenchmark", "engine", "");
        Optional<Double> direct = score("EngineBenchmark", "direct", "");
        if (engine.isPresent() && direct.isPresent()) {
            out.add(String.format(Locale.ROOT, "%-62s %10.0f   target < 5000 ns", "engine: overhead per step, ns",
                    (engine.get() - direct.get()) / EngineBenchmark.STEPS));
            score("EngineBenchmark", "engineInMemory", "").ifPresent(inMemory -> out.add(String.format(Locale.ROOT,
                    "%-62s %10.0f   target < 5000 ns", "engine: overhead per in-memory step, ns",
                    (inMemory - direct.get()) / EngineBenchmark.STEPS)));
            Optional.ofNullable(rows.get("EngineBenchmark.engine#")).flatMap(Row::allocBytes).ifPresent(a -> out.add(
                    String.format(Locale.ROOT, "%-62s %10.0f", "engine: bytes allocated per execution", a)));
        }
        scale(out);
        // decisions and round trips are both times (us/op); the audit figures are executions per second
        for (String storage : List.of("disk", "tmpfs")) {
            String on = " (" + storage + ")";
            ratio(out, "neo4j guard decision / Bolt round trip" + on, score("Neo4jGuardBenchmark", "guardDecision", storage),
                    score("Neo4jGuardBenchmark", "roundTrip", storage), "target <= 3");
            ratio(out, "neo4j guard decision / durable write" + on, score("Neo4jGuardBenchmark", "guardDecision", storage),
                    score("Neo4jGuardBenchmark", "durableWrite", storage), "");
            ratio(out, "neo4j guard decision, known keys / Bolt round trip" + on,
                    score("Neo4jGuardBenchmark", "guardDecisionKnownKeys", storage),
                    score("Neo4jGuardBenchmark", "roundTrip", storage), "");
            ratio(out, "neo4j guard decision and release / Bolt round trip" + on,
                    score("Neo4jGuardBenchmark", "guardDecisionThenRelease", storage),
                    score("Neo4jGuardBenchmark", "roundTrip", storage), "");
            ratio(out, "neo4j guard refusal / Bolt round trip" + on, score("Neo4jGuardBenchmark", "guardRefused", storage),
                    score("Neo4jGuardBenchmark", "roundTrip", storage), "");
        }
        ratio(out, "neo4j audit, executions/s: batched / one transaction each",
                score("Neo4jAuditBenchmark", "batched", ""), score("Neo4jAuditBenchmark", "oneTransactionEach", ""), "");
        loading(out);
        System.out.println();
        System.out.println("Ratios (same run, same data)");
        out.forEach(System.out::println);
    }

    private void value(List<String> out, String label, Optional<Double> v, String target) {
        v.ifPresent(x -> out.add(String.format(Locale.ROOT, "%-62s %10.2f   %s", label, x, target)));
    }

    /** Issue 16's targets: the engine path at library scale, building, the storm's refusal. */
    private void scale(List<String> out) {
        for (String n : List.of("1000", "10000", "100000")) {
            Optional<Double> miss = score("EngineScaleBenchmark", "handleMiss", n);
            Optional<Double> floor = score("EngineScaleBenchmark", "matchingRunbooksMiss", n);
            ratio(out, "handle() " + n + ", no match: handle / matchingRunbooks", miss, floor, "");
            ratio(out, "handle() " + n + ", no match: handle / (2 x matchingRunbooks + 5 us)", miss,
                    floor.map(f -> 2 * f + 5000), n.equals("1000") ? "" : "target <= 1");
            ratio(out, "handle() " + n + ", matched: linear scan + handle / handle",
                    score("EngineScaleBenchmark", "linearScanThenHandle", n),
                    score("EngineScaleBenchmark", "handleHit", n), n.equals("100000") ? "target >= 100" : "");
            ratio(out, "handle() " + n + ", matched: handle / matchingRunbooks of the same hits",
                    score("EngineScaleBenchmark", "handleHit", n), score("EngineScaleBenchmark", "matchingRunbooksHit", n), "");
        }
        for (String distinct : List.of("false", "true")) {
            // JMH lists parameters in its own order: accept either
            Optional<Double> build = score("EngineBuildBenchmark", "buildEngine", "100000," + distinct)
                    .or(() -> score("EngineBuildBenchmark", "buildEngine", distinct + ",100000"));
            String bodies = distinct.equals("true") ? "every body distinct" : "shared bodies";
            value(out, "engine build, 100000 DSL runbooks (" + bodies + "): ms", build, "target < 5000");
            value(out, "engine build, 100000 DSL runbooks (" + bodies + "): us per runbook",
                    build.map(ms -> ms * 1000 / 100_000), "target < 10");
        }
        value(out, "guard refusal through handle(): ns", score("GuardRefusalBenchmark", "guardRefusal", ""),
                "target < 10000");
        value(out, "storm, 100000 incidents from 2 threads: ms (latencies: benchmarks/target/storm.txt)",
                score("StormBenchmark", "storm", "100000"), "");
    }

    /** Loading 1,000 files against composing them; the parts show where the time goes (core's engine build, our reader). */
    private void loading(List<String> out) {
        Optional<Double> compose = score("LoadingBenchmark", "compose", "");
        ratio(out, "loading 1000 files: load+validate+compile / compose", score("LoadingBenchmark", "load", ""), compose,
                "target <= 5");
        ratio(out, "loading 1000 files: load+validate (no engine) / compose", score("LoadingBenchmark", "loadValidated", ""),
                compose, "");
        ratio(out, "loading 1000 files: read, no validation / compose", score("LoadingBenchmark", "read", ""), compose, "");
        ratio(out, "loading 1000 files: engine build alone / compose", score("LoadingBenchmark", "engineBuild", ""), compose,
                "");
    }
}
