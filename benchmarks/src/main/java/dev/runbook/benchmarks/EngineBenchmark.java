package dev.runbook.benchmarks;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Engine overhead: a ten-step runbook of no-op actions with templated params and output vars, end to end
 * through {@code handle()} with in-memory guards, against the same ten calls made directly in Java. {@code engine}
 * runs each attempt on an attempt thread (any action that does I/O); {@code engineInMemory} runs the same no-op
 * declared {@link Action#inMemory()}, as the built-in {@code log}, {@code set} and {@code calculate} are, on the
 * caller's thread.
 * Run with {@code -prof gc} for allocation per execution.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class EngineBenchmark {
    static final int STEPS = 10;

    /** Returns its {@code value} parameter. */
    static final Action NOOP = new Action() {
        @Override
        public String name() {
            return "noop";
        }

        @Override
        public String description() {
            return "returns its value";
        }

        @Override
        public ParamSchema schema() {
            return ParamSchema.of(ParamSpec.required("value", ParamType.STRING, "the value"));
        }

        @Override
        public boolean mutating() {
            return false;
        }

        @Override
        public ActionResult execute(ActionContext context) {
            return ActionResult.of(context.params().get("value"));
        }
    };

    /** The same no-op, declared in-memory: the engine runs it on the execution's thread. */
    static final Action NOOP_IN_MEMORY = new Action() {
        @Override
        public String name() {
            return NOOP.name();
        }

        @Override
        public String description() {
            return NOOP.description();
        }

        @Override
        public ParamSchema schema() {
            return NOOP.schema();
        }

        @Override
        public boolean mutating() {
            return false;
        }

        @Override
        public boolean inMemory() {
            return true;
        }

        @Override
        public ActionResult execute(ActionContext context) throws Exception {
            return NOOP.execute(context);
        }
    };

    private RunbookEngine engine;
    private RunbookEngine engineInMemory;
    private Incident incident;

    @Setup
    public void setUp() {
        var rb = Runbook.builder("ten-steps").trigger(Trigger.builder().rootCauseReason("OOMKilled").build());
        for (int i = 0; i < STEPS; i++) {
            String prev = i == 0 ? "{{ incident.resource.name }}" : "{{ v" + (i - 1) + " }}";
            rb.step(ActionStep.builder("step-" + i, "noop").param("value", prev + "-" + i).outputVar("v" + i).build());
        }
        Runbook runbook = rb.build();
        engine = RunbookEngine.builder().discoverActions(false).actions(NOOP).runbook(runbook).build();
        engineInMemory = RunbookEngine.builder().discoverActions(false).actions(NOOP_IN_MEMORY).runbook(runbook).build();
        incident = Fixtures.incident();
    }

    @TearDown
    public void tearDown() {
        engine.close();
        engineInMemory.close();
    }

    @Benchmark
    public Execution engine() {
        return engine.handle(incident);
    }

    @Benchmark
    public Execution engineInMemory() {
        return engineInMemory.handle(incident);
    }

    @Benchmark
    @SuppressWarnings("unchecked")
    public Object direct() throws Exception {
        Map<String, Object> resource = (Map<String, Object>) incident.toMap().get("resource");
        Object v = resource.get("name");
        for (int i = 0; i < STEPS; i++) {
            String value = v + "-" + i;
            v = ((dev.runbook.core.action.ActionResult) NOOP.execute(new MinimalContext(Map.of("value", value))))
                    .output().orElse(null);
        }
        return v;
    }

    static final Runbook DIRECT_RUNBOOK = Runbook.builder("direct").build();
    static final Incident DIRECT_INCIDENT = Fixtures.incident();

    /** Just enough context for a direct call. */
    record MinimalContext(Map<String, Object> params) implements ActionContext {
        @Override
        public String executionId() {
            return "direct";
        }

        @Override
        public dev.runbook.core.model.Runbook runbook() {
            return DIRECT_RUNBOOK;
        }

        @Override
        public String stepName() {
            return "direct";
        }

        @Override
        public Incident incident() {
            return DIRECT_INCIDENT;
        }

        @Override
        public Map<String, Object> variables() {
            return Map.of();
        }

        @Override
        public boolean dryRun() {
            return false;
        }

        @Override
        public java.time.Clock clock() {
            return java.time.Clock.systemUTC();
        }

        @Override
        public org.slf4j.Logger logger() {
            return org.slf4j.LoggerFactory.getLogger("direct");
        }

        @Override
        public java.util.Optional<java.time.Instant> deadline() {
            return java.util.Optional.empty();
        }

        @Override
        public boolean cancelled() {
            return false;
        }

        @Override
        public void sleep(java.time.Duration duration) {
            // the no-op action never waits
        }
    }
}
