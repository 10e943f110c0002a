package dev.runbook.benchmarks;

import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.RunbookLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;

/**
 * Loading a library of 1,000 runbook files the way the README tells a host to: {@code RunbookLoader.load(dir)}
 * (read, check strictly, validate with core's compiler) and then {@code RunbookEngine.builder().runbooks(..).build()},
 * against snakeyaml-engine's bare {@code Compose} of the same files into node trees (the floor: reading and parsing
 * with nothing checked). {@code loadValidated}, {@code read} and {@code engineBuild} split the cost: the loader
 * without the engine, the loader without validation, and the engine build alone on already loaded runbooks.
 *
 * <p>The files are generated from the starter runbooks in {@code examples/runbooks/*.yaml} (read from the working
 * directory, which {@code benchmarks/run} sets to the repository root, or from {@code -Drunbook.examples=DIR}), one
 * home for them rather than a copy. Each copy gets its own id and varied reasons, thresholds, limits, durations,
 * channels and message text, so the library holds both repeated and distinct templates, as a real one does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class LoadingBenchmark {
    static final int FILES = 1000;

    private Path dir;
    private List<Path> files;
    private RunbookLoader loader;
    private RunbookLoader reader;
    private List<Runbook> loaded;
    private final LoadSettings composeSettings = LoadSettings.builder().build();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path examples = Path.of(System.getProperty("runbook.examples", "examples/runbooks"));
        List<String> starters = starters(examples);
        dir = Files.createTempDirectory("runbook-loading-");
        files = new ArrayList<>(FILES);
        for (int i = 0; i < FILES; i++) {
            Path f = dir.resolve(String.format(Locale.ROOT, "team-%02d/runbook-%04d.yaml", i % 25, i));
            Files.createDirectories(f.getParent());
            Files.writeString(f, vary(starters.get(i % starters.size()), i));
            files.add(f);
        }
        loader = RunbookLoader.builder().build();
        reader = RunbookLoader.builder().actions(loader.actions()).validate(false).build();
        // Every generated file must load cleanly, or the benchmark would time error reporting instead.
        loaded = loader.load(dir).runbooksOrThrow();
        if (loaded.size() != FILES) {
            throw new IllegalStateException("expected " + FILES + " runbooks, loaded " + loaded.size());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The starter runbooks' text, in file name order. */
    static List<String> starters(Path examples) throws IOException {
        if (!Files.isDirectory(examples)) {
            throw new IllegalStateException(examples.toAbsolutePath() + " not found: run from the repository root "
                    + "(benchmarks/run does) or pass -Drunbook.examples=DIR");
        }
        try (Stream<Path> list = Files.list(examples)) {
            List<String> out = list.filter(p -> p.toString().endsWith(".yaml")).sorted().map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
            if (out.isEmpty()) {
                throw new IllegalStateException("no starter runbooks (*.yaml) in " + examples.toAbsolutePath());
            }
            return out;
        }
    }

    private static final Pattern ID = Pattern.compile("(?m)^(  id: )([a-z0-9-]+)-v1$");
    private static final Pattern ROOT_CAUSE = Pattern.compile("(?m)^(    root_cause_reason: )(.*)$");
    private static final Pattern CONFIDENCE = Pattern.compile("(?m)^(    min_confidence: )[0-9.]+$");
    private static final Pattern PER_HOUR = Pattern.compile("(?m)^(    max_executions_per_hour: )\\d+");
    private static final Pattern BLAST = Pattern.compile("(?m)^(    blast_radius_limit: )\\d+");
    private static final Pattern COOLDOWN = Pattern.compile("(?m)^(    cooldown: )\\w+");
    private static final Pattern TIMEOUT = Pattern.compile("(?m)^(\\s+timeout: )\\d+$");
    private static final Pattern DEFAULT = Pattern.compile("(?m)^(\\s+default: )\\d+$");
    private static final Pattern CHANNEL = Pattern.compile("(?m)^(\\s+channel: )\"#[a-z-]+\"$");
    private static final Pattern MESSAGE = Pattern.compile("(?m)^(\\s+message: \")");
    private static final Pattern TRIGGER = Pattern.compile("(?m)^(  trigger:\\n)");

    /** Copy {@code i} of a starter: its own id, and reasons, thresholds and text that vary from copy to copy. */
    static String vary(String starter, int i) {
        String s = replace(ID, starter, m -> m.group(1) + m.group(2) + "-" + i + "-v" + (1 + i % 3));
        // A quarter keep the starter's reasons (many runbooks for one reason); the rest spread over 200 reasons.
        if (i % 4 != 0) {
            s = replace(ROOT_CAUSE, s, m -> m.group(1) + "\"" + Libraries.reason(i % Libraries.REASONS) + "\"");
        }
        s = replace(CONFIDENCE, s, m -> m.group(1) + String.format(Locale.ROOT, "%.2f", 0.5 + (i % 10) * 0.05));
        s = replace(PER_HOUR, s, m -> m.group(1) + (1 + i % 12));
        s = replace(BLAST, s, m -> m.group(1) + (1 + i % 20));
        s = replace(COOLDOWN, s, m -> m.group(1) + (5 + i % 55) + "m");
        s = replace(TIMEOUT, s, m -> m.group(1) + (60 + (i % 10) * 30));
        s = replace(DEFAULT, s, m -> m.group(1) + (10 + i % 30));
        s = replace(CHANNEL, s, m -> m.group(1) + "\"#team-" + (i % 40) + "\"");
        if (i % 2 == 0) {
            // Half the messages name their team: distinct template text, as in a real library.
            s = replace(MESSAGE, s, m -> m.group(1) + "[team " + (i % 40) + "] ");
        }
        if (i % 3 == 0) {
            s = replace(TRIGGER, s, m -> m.group(1) + "    namespaces: [\"prod-" + (i % 50) + "\", \"staging\"]\n");
        }
        return s;
    }

    private static String replace(Pattern p, String s, Function<MatchResult, String> with) {
        return p.matcher(s).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(with.apply(m)));
    }

    /** The floor: read each file and compose its YAML into a node tree, nothing checked. */
    @Benchmark
    public void compose(Blackhole bh) throws IOException {
        for (Path f : files) {
            bh.consume(new Compose(composeSettings).composeString(Files.readString(f)));
        }
    }

    /** What a host does: load the directory strictly (validated), then build an engine with the runbooks. */
    @Benchmark
    public RunbookEngine load() {
        RunbookEngine engine = RunbookEngine.builder().runbooks(loader.load(dir).runbooksOrThrow()).build();
        engine.close();
        return engine;
    }

    /** The loader alone: read, check and validate every file (what {@code runbook validate} does). */
    @Benchmark
    public List<Runbook> loadValidated() {
        return loader.load(dir).runbooksOrThrow();
    }

    /** The loader without core's validation: reading YAML into the model, with every structural check. */
    @Benchmark
    public List<Runbook> read() {
        return reader.load(dir).runbooksOrThrow();
    }

    /** Core's part: building the engine (compiling every runbook) from runbooks already loaded. */
    @Benchmark
    public RunbookEngine engineBuild() {
        RunbookEngine engine = RunbookEngine.builder().runbooks(loaded).build();
        engine.close();
        return engine;
    }
}
