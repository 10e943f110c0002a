package dev.runbook.core.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.expression.ExpressionCompiler;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.Notifications;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.Runbook;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunbookCompilerTest {
    private final RunbookCompiler compiler = new RunbookCompiler(
            ActionRegistry.builder().provider(new BuiltinActions()).build(), ExpressionCompiler.standard());

    private List<String> problems(Runbook... runbooks) {
        return compiler.validate(List.of(runbooks)).stream().map(p -> p.path() + ": " + p.message()).toList();
    }

    @Test
    void aChainedRunbookCompilesToAChainStepAndAnActionToACallWithItsAction() {
        Runbook target = Runbook.builder("page-oncall-v1")
                .step(ActionStep.builder("page", "log").param("message", "paging").build()).build();
        Runbook chaining = Runbook.builder("chaining-v1")
                .step(ActionStep.builder("note", "log").param("message", "before").build())
                .step(ActionStep.builder("page them", "run_runbook").param("runbook", "page-oncall-v1")
                        .param("params", Map.of("team", "payments")).build())
                .step(ActionStep.builder("by template", "run_runbook").param("runbook", "{{ incident.labels.next }}")
                        .build())
                .build();
        var compiled = compiler.compileAll(List.of(target, chaining)).get("chaining-v1");
        assertThat(compiled.steps().get(0)).isInstanceOfSatisfying(CompiledStep.Call.class,
                call -> assertThat(call.action().name()).isEqualTo("log"));
        assertThat(compiled.steps().get(1)).isInstanceOfSatisfying(CompiledStep.Chain.class, chain -> {
            assertThat(chain.target()).hasValue("page-oncall-v1");
            assertThat(chain.step().name()).isEqualTo("page them");
            assertThat(chain.params().render(Map.of()))
                    .isEqualTo(Map.of("runbook", "page-oncall-v1", "params", Map.of("team", "payments")));
        });
        assertThat(compiled.steps().get(2)).isInstanceOfSatisfying(CompiledStep.Chain.class,
                chain -> assertThat(chain.target()).isEmpty());
    }

    @Test
    void aValidRunbookHasNoProblems() {
        Runbook rb = Runbook.builder("ok")
                .parameter(Parameter.withDefault("factor", "x", 2))
                .step(ActionStep.builder("calc", "calculate").param("expression", "{{ incident.rca_confidence * factor }}")
                        .outputVar("score").build())
                .step(ActionStep.builder("log", "log").param("message", "score {{ score }}").build())
                .build();
        assertThat(problems(rb)).isEmpty();
    }

    @Test
    void everyProblemOfARunbookIsReportedAtOnceWithItsPath() {
        Runbook rb = Runbook.builder("bad")
                .step(ActionStep.builder("a", "calculte").param("expression", "1").build())
                .step(ActionStep.builder("b", "log").param("mesage", "hi").build())
                .step(ActionStep.builder("c", "log").param("message", "{{ curent_memory }}").build())
                .step(ActionStep.builder("d", "log").param("message", "{{ ''.getClass() }}").build())
                .step(ActionStep.builder("e", "log").param("message", "{{ unclosed").build())
                .step(ActionStep.builder("e", "wait").param("duration", "soon").build())
                .step(ActionStep.builder("f", "log").param("message", "x").when("incident.rca_confidence >").build())
                .build();
        assertThat(problems(rb)).containsExactlyInAnyOrder(
                "steps[5].name: duplicate step name 'e' (also at steps[4])",
                "steps[0].action: unknown action 'calculte' (did you mean 'calculate'?)",
                "steps[1].params.mesage: unknown parameter 'mesage' (did you mean 'message'?) (accepted: message, level)",
                "steps[1].params: missing required parameter 'message' (the text to log)",
                problemAt(rb, "steps[2].params.message"),
                problemAt(rb, "steps[3].params.message"),
                problemAt(rb, "steps[4].params.message"),
                "steps[5].params.duration: parameter 'duration' must be a duration (300, 30s, 5m, 1h), got 'soon'",
                problemAt(rb, "steps[6].when"));
        assertThat(problemAt(rb, "steps[2].params.message")).contains("unknown variable 'curent_memory'");
        assertThat(problemAt(rb, "steps[3].params.message")).contains("getClass");
    }

    private String problemAt(Runbook rb, String path) {
        return compiler.validate(List.of(rb)).stream().filter(p -> p.path().equals(path))
                .map(p -> p.path() + ": " + p.message()).findFirst().orElse("(none at " + path + ")");
    }

    @Test
    void variablesAreScopedToTheStepsBeforeAndFailureOnlyNames() {
        Runbook rb = Runbook.builder("scope")
                .step(ActionStep.builder("early", "log").param("message", "{{ later }}").build())
                .step(ActionStep.builder("late", "set").param("value", 1).outputVar("later").build())
                .notifications(new Notifications(
                        List.of(new Notification("slack", ParamValue.mapOf(Map.of("message", "{{ error_message }}")))),
                        List.of(new Notification("slack", ParamValue.mapOf(Map.of("message", "{{ error_message }} {{ later }}"))))))
                .rollbackStep(ActionStep.builder("undo", "log").param("message", "{{ failed_step }} {{ later }}").build())
                .build();
        assertThat(problems(rb)).hasSize(2).anySatisfy(p -> assertThat(p).startsWith("steps[0].params.message: unknown variable 'later'"))
                .anySatisfy(p -> assertThat(p).startsWith("notification.on_success.slack.message: unknown variable 'error_message'"));
    }

    @Test
    void branchOutputsAreVisibleAfterTheBranch() {
        Runbook rb = Runbook.builder("br")
                .step(BranchStep.of("pick", "incident.rca_confidence > 0.9",
                        List.of(ActionStep.builder("hi", "set").param("value", "high").outputVar("level").build()),
                        List.of(ActionStep.builder("lo", "set").param("value", "low").outputVar("level").build())))
                .step(ActionStep.builder("use", "log").param("message", "{{ level }}").build())
                .build();
        assertThat(problems(rb)).isEmpty();
    }

    @Test
    void expectMayNameResultColumnsButNotClasses() {
        Runbook ok = Runbook.builder("verify")
                .step(ActionStep.builder("check", "set").param("value", Map.of("new_failures", 0))
                        .expect("new_failures == 0 && result.new_failures == 0").build())
                .build();
        assertThat(problems(ok)).isEmpty();
        Runbook bad = Runbook.builder("verify2")
                .step(ActionStep.builder("check", "set").param("value", 1).expect("Runtime.getRuntime() == null").build())
                .build();
        assertThat(problems(bad)).singleElement().satisfies(p -> assertThat(p).startsWith("steps[0].expect: "));
    }

    @Test
    void reservedAndInvalidNamesAreRefused() {
        Runbook rb = Runbook.builder("names")
                .parameter(Parameter.withDefault("incident", "clash", 1))
                .step(ActionStep.builder("a", "set").param("value", 1).outputVar("base64").build())
                .step(ActionStep.builder("b", "set").param("value", 1).outputVar("my-var").build())
                .build();
        assertThat(problems(rb)).containsExactlyInAnyOrder(
                "parameters[0].name: parameter name 'incident' is reserved; choose another name",
                "steps[0].output_var: output_var name 'base64' is the name of a template function; choose another name",
                "steps[1].output_var: output_var name 'my-var' must be an identifier (letters, digits, _)");
    }

    @Test
    void idsAndNamesOutsideTheirAlphabetsAreProblemsAtTheirPaths() {
        Runbook rb = Runbook.builder("evil\u001b]0;owned\u0007")
                .parameter(Parameter.withDefault("p\nq", "newline", 1))
                .step(ActionStep.builder("Restart\u001b[2J", "log").param("message", "hi").build())
                .step(BranchStep.of("choose", "true",
                        List.of(ActionStep.builder("x\u0000y", "log").param("message", "hi").outputVar("o\u0007").build()),
                        List.of()))
                .build();
        assertThat(problems(rb)).containsExactlyInAnyOrder(
                "id: runbook id 'evil\\u001B]0;owned\\u0007' may hold only ASCII letters, digits, '-', '_' and '.', and "
                        + "must start with a letter or digit (U+001B at character 5); for instance "
                        + "oomkilled-increase-memory-v1",
                "parameters[0].name: parameter name 'p\\nq' must be an identifier (letters, digits, _)",
                "steps[0].name: step name 'Restart\\u001B[2J' may hold only letters, digits, spaces and ASCII "
                        + "punctuation, and must start with a letter or digit (U+001B at character 8)",
                "steps[1].then[0].name: step name 'x\\u0000y' may hold only letters, digits, spaces and ASCII "
                        + "punctuation, and must start with a letter or digit (U+0000 at character 2)",
                "steps[1].then[0].output_var: output_var name 'o\\u0007' must be an identifier (letters, digits, _)");
    }

    @Test
    void namesAnExpressionWouldReadAsAClassOrPackageAreRefusedWhereTheyAreDeclared() {
        // issue 13: a parameter named System used to escape as an IllegalArgumentException ("unexpected error")
        // from the expression compiler and abort the validation of every other runbook
        Runbook rb = Runbook.builder("names2")
                .parameter(Parameter.withDefault("System", "a class name", 1))
                .step(ActionStep.builder("a", "set").param("value", 1).outputVar("java").build())
                .step(ActionStep.builder("b", "log").param("message", "{{ System }} {{ java }}").build())
                .step(ActionStep.builder("c", "set").param("value", Map.of("n", 1)).expect("dev.runbook == null").build())
                .build();
        Runbook other = Runbook.builder("fine")
                .step(ActionStep.builder("log", "log").param("message", "{{ incident.resource.name }}").build())
                .build();
        List<Problem> all = compiler.validate(List.of(rb, other));
        assertThat(all).allSatisfy(p -> assertThat(p.runbookId()).isEqualTo("names2"));
        assertThat(problems(rb)).contains(
                "parameters[0].name: parameter name 'System' cannot be used in expressions: 'System' is the name of a"
                        + " Java class; choose another name",
                "steps[0].output_var: output_var name 'java' cannot be used in expressions: 'java' is the first part"
                        + " of Java package names; choose another name",
                "steps[2].expect: 'dev' cannot be a result column in expressions: 'dev' is the first part of Java"
                        + " package names");
        assertThat(problemAt(rb, "steps[1].params.message")).contains("unknown variable 'System'");
        for (String name : List.of("Runtime", "Thread", "Class", "Math", "Integer", "Object", "ProcessBuilder", "io",
                "javax", "org", "com", "new", "empty")) {
            Runbook r = Runbook.builder("n-" + name).parameter(Parameter.withDefault(name, "x", 1)).build();
            assertThat(problems(r)).as(name).singleElement()
                    .satisfies(p -> assertThat(p).startsWith("parameters[0].name: parameter name '" + name + "'"));
        }
    }

    @Test
    void duplicateIdsUnknownChainTargetsAndCyclesAcrossRunbooks() {
        Runbook a = Runbook.builder("a").step(ActionStep.builder("to-b", "run_runbook").param("runbook", "b").build()).build();
        Runbook b = Runbook.builder("b").step(ActionStep.builder("to-c", "run_runbook").param("runbook", "c").build()).build();
        Runbook c = Runbook.builder("c").step(ActionStep.builder("to-a", "run_runbook").param("runbook", "a").build()).build();
        Runbook d = Runbook.builder("d").step(ActionStep.builder("to-x", "run_runbook").param("runbook", "bb").build()).build();
        Runbook dup = Runbook.builder("d").build();
        var problems = compiler.validate(List.of(a, b, c, d, dup));
        assertThat(problems).extracting(Problem::toString).containsExactlyInAnyOrder(
                "d:id: duplicate runbook id 'd': every runbook needs its own id (bump the -vN suffix for a new version)",
                "d:steps[0].params.runbook: run_runbook refers to unknown runbook 'bb' (did you mean 'b'?)",
                "a:steps[0].params.runbook: chaining cycle: a -> b -> c -> a; a runbook must not (indirectly) run itself");
    }

    @Test
    void compileAllThrowsWithEveryProblem() {
        Runbook rb = Runbook.builder("x").step(ActionStep.builder("a", "nope").build())
                .step(ActionStep.builder("b", "nope2").build()).build();
        assertThatThrownBy(() -> compiler.compileAll(List.of(rb)))
                .isInstanceOfSatisfying(RunbookValidationException.class, e -> assertThat(e.problems()).hasSize(2))
                .hasMessageContaining("x:steps[0].action: unknown action 'nope'");
    }

    @Test
    void runbooksWithEqualBodiesShareOneCompilationAndEachReportsItsProblems() {
        var body = List.<dev.runbook.core.model.Step>of(
                ActionStep.builder("note", "log").param("message", "restart {{ incident.resource.name }}").build(),
                ActionStep.builder("oops", "log").param("message", "{{ curent_memory }}").build());
        Runbook a = Runbook.builder("a").trigger(dev.runbook.core.model.Trigger.builder().rootCauseReason("OOMKilled").build())
                .steps(body).build();
        Runbook b = Runbook.builder("b").trigger(dev.runbook.core.model.Trigger.builder().rootCauseReason("CrashLoop")
                .when("incident.rca_confidence >").build()).steps(body).build();
        Runbook c = Runbook.builder("c").steps(List.of(body.get(0))).build();
        Runbook bValid = b.toBuilder().trigger(dev.runbook.core.model.Trigger.builder().rootCauseReason("CrashLoop")
                .when("incident.rca_confidence > 0.5").build()).build();

        var compiled = compiler.compileAll(List.of(a, bValid, c));

        assertThat(compiled.get("b").steps()).isSameAs(compiled.get("a").steps());
        assertThat(compiled.get("b").runbook()).isSameAs(bValid);
        assertThat(compiled.get("c").steps()).isNotSameAs(compiled.get("a").steps());
        assertThat(compiled.get("b").hostParameters()).isEqualTo(compiled.get("a").hostParameters())
                .containsKey("curent_memory");
        var problems = compiler.validate(List.of(a, b, c));
        assertThat(problems).extracting(p -> p.runbookId() + ":" + p.path())
                .containsExactly("a:steps[1].params.message", "b:steps[1].params.message", "b:trigger.when");
        assertThat(problems.get(1).message()).isEqualTo(problems.get(0).message());
    }

    @Test
    void runbooksWhoseBodiesDifferShareTheirEqualNameSets() {
        var trigger = dev.runbook.core.model.Trigger.builder().rootCauseReason("OOMKilled").build();
        Runbook a = Runbook.builder("a").trigger(trigger).steps(List.of(
                ActionStep.builder("note", "log").param("message", "a {{ incident.resource.name }}").build())).build();
        Runbook b = Runbook.builder("b").trigger(trigger).steps(List.of(
                ActionStep.builder("note", "log").param("message", "b {{ incident.resource.name }}").build())).build();

        var compiled = compiler.compileAll(List.of(a, b));

        assertThat(compiled.get("b").steps()).isNotSameAs(compiled.get("a").steps());
        assertThat(compiled.get("b").actionNames()).isSameAs(compiled.get("a").actionNames()).containsExactly("log");
        assertThatThrownBy(() -> compiled.get("a").actionNames().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
