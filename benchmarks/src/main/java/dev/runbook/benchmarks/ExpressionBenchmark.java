package dev.runbook.benchmarks;

import dev.runbook.core.expression.CompiledExpression;
import dev.runbook.core.expression.ExpressionCompiler;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.mvel2.MVEL;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The seed's conditions through our sandboxed expressions against MVEL compiled without the sandbox, MVEL
 * interpreted, and plain Java.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ExpressionBenchmark {
    static final String VERIFY = "new_failures == 0";
    static final String TRIGGER = "incident.rca_confidence >= 0.8 && incident.root_cause_reason == 'OOMKilled'";

    private Map<String, Object> vars;
    private Map<String, Object> frozen;
    private CompiledExpression oursVerify;
    private CompiledExpression oursTrigger;
    private Serializable mvelVerify;
    private Serializable mvelTrigger;

    @Setup
    public void setUp() {
        vars = Fixtures.variables();
        frozen = dev.runbook.core.expression.Values.freezeVariables(vars);
        ExpressionCompiler compiler = ExpressionCompiler.standard();
        Set<String> roots = Set.of("incident", "new_failures");
        oursVerify = compiler.compileExpression(VERIFY, roots);
        oursTrigger = compiler.compileExpression(TRIGGER, roots);
        mvelVerify = MVEL.compileExpression(VERIFY);
        mvelTrigger = MVEL.compileExpression(TRIGGER);
    }

    /** As the engine evaluates: over variables frozen once per change. */
    @Benchmark
    public Object oursVerify() {
        return oursVerify.evaluate(frozen);
    }

    @Benchmark
    public Object oursTrigger() {
        return oursTrigger.evaluate(frozen);
    }

    /** Over a plain mutable map: each evaluation copies what it reads. */
    @Benchmark
    public Object oursVerifyCopying() {
        return oursVerify.evaluate(vars);
    }

    @Benchmark
    public Object oursTriggerCopying() {
        return oursTrigger.evaluate(vars);
    }

    @Benchmark
    public Object mvelCompiledVerify() {
        return MVEL.executeExpression(mvelVerify, vars);
    }

    @Benchmark
    public Object mvelCompiledTrigger() {
        return MVEL.executeExpression(mvelTrigger, vars);
    }

    @Benchmark
    public Object mvelInterpretedVerify() {
        return MVEL.eval(VERIFY, vars);
    }

    @Benchmark
    public Object mvelInterpretedTrigger() {
        return MVEL.eval(TRIGGER, vars);
    }

    @Benchmark
    public boolean javaVerify() {
        return ((Number) vars.get("new_failures")).longValue() == 0;
    }

    @Benchmark
    @SuppressWarnings("unchecked")
    public boolean javaTrigger() {
        Map<String, Object> incident = (Map<String, Object>) vars.get("incident");
        return ((Number) incident.get("rca_confidence")).doubleValue() >= 0.8
                && "OOMKilled".equals(incident.get("root_cause_reason"));
    }
}
