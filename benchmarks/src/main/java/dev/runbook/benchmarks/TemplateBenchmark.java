package dev.runbook.benchmarks;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import dev.runbook.core.expression.CompiledTemplate;
import dev.runbook.core.expression.ExpressionCompiler;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.loader.StringLoader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The seed's templates rendered by our compiled templates, by Jinjava and by Pebble (what a Java user would
 * otherwise pick for this syntax) and by hand-written Java (the floor).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TemplateBenchmark {
    static final String MESSAGE = "✅ Auto-remediated OOMKilled incident\n"
            + "Pod: {{ incident.resource.name }}\n"
            + "Action: Increased memory {{ current_memory }} → {{ new_memory }}\n"
            + "RCA Confidence: {{ incident.rca_confidence }}\n";
    static final String MEMORY = "{{ current_memory | parse_memory | multiply(2) }}";

    private Map<String, Object> vars;
    private CompiledTemplate oursMessage;
    private CompiledTemplate oursMemory;
    private Jinjava jinjava;
    private PebbleTemplate pebbleMessage;
    private PebbleTemplate pebbleMemory;

    @Setup
    public void setUp() {
        // frozen once, as the engine does; the other engines get the same read-only maps
        vars = dev.runbook.core.expression.Values.freezeVariables(Fixtures.variables());
        ExpressionCompiler compiler = ExpressionCompiler.standard();
        Set<String> roots = Set.of("incident", "current_memory", "new_memory");
        oursMessage = compiler.compileTemplate(MESSAGE, roots);
        oursMemory = compiler.compileTemplate(MEMORY, roots);

        jinjava = new Jinjava();
        jinjava.getGlobalContext().registerFilter(new JinjavaFilter("parse_memory") {
            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
                return Fixtures.parseMemory(String.valueOf(var));
            }
        });
        jinjava.getGlobalContext().registerFilter(new JinjavaFilter("multiply") {
            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
                return ((Number) var).longValue() * Long.parseLong(args[0].trim());
            }
        });

        PebbleEngine pebble = new PebbleEngine.Builder().loader(new StringLoader()).autoEscaping(false)
                .newLineTrimming(false).extension(new AbstractExtension() {
                    @Override
                    public Map<String, io.pebbletemplates.pebble.extension.Filter> getFilters() {
                        return Map.of("parse_memory", new PebbleFilter(List.of()) {
                            @Override
                            public Object apply(Object input, Map<String, Object> args, PebbleTemplate self,
                                                EvaluationContext context, int lineNumber) {
                                return Fixtures.parseMemory(String.valueOf(input));
                            }
                        }, "multiply", new PebbleFilter(List.of("factor")) {
                            @Override
                            public Object apply(Object input, Map<String, Object> args, PebbleTemplate self,
                                                EvaluationContext context, int lineNumber) {
                                return ((Number) input).longValue() * ((Number) args.get("factor")).longValue();
                            }
                        });
                    }
                }).build();
        pebbleMessage = pebble.getTemplate(MESSAGE);
        pebbleMemory = pebble.getTemplate(MEMORY);
    }

    @Benchmark
    public Object oursMessage() {
        return oursMessage.render(vars);
    }

    @Benchmark
    public Object oursMemory() {
        return oursMemory.render(vars);
    }

    @Benchmark
    public String jinjavaMessage() {
        return jinjava.render(MESSAGE, vars);
    }

    @Benchmark
    public String jinjavaMemory() {
        return jinjava.render(MEMORY, vars);
    }

    @Benchmark
    public String pebbleMessage() throws IOException {
        StringWriter w = new StringWriter(160);
        pebbleMessage.evaluate(w, vars);
        return w.toString();
    }

    @Benchmark
    public String pebbleMemory() throws IOException {
        StringWriter w = new StringWriter(16);
        pebbleMemory.evaluate(w, vars);
        return w.toString();
    }

    @Benchmark
    @SuppressWarnings("unchecked")
    public String handWrittenMessage() {
        Map<String, Object> incident = (Map<String, Object>) vars.get("incident");
        Map<String, Object> resource = (Map<String, Object>) incident.get("resource");
        return new StringBuilder(160).append("✅ Auto-remediated OOMKilled incident\nPod: ").append(resource.get("name"))
                .append("\nAction: Increased memory ").append(vars.get("current_memory")).append(" → ")
                .append(vars.get("new_memory")).append("\nRCA Confidence: ").append(incident.get("rca_confidence"))
                .append('\n').toString();
    }

    @Benchmark
    public Object handWrittenMemory() {
        return Fixtures.parseMemory((String) vars.get("current_memory")) * 2;
    }

    abstract static class JinjavaFilter implements Filter {
        private final String name;

        JinjavaFilter(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }
    }

    abstract static class PebbleFilter implements io.pebbletemplates.pebble.extension.Filter {
        private final List<String> args;

        PebbleFilter(List<String> args) {
            this.args = args;
        }

        @Override
        public List<String> getArgumentNames() {
            return args;
        }
    }
}
