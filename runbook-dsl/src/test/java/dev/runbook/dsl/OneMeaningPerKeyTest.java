package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import dev.runbook.dsl.fluent.ActionStage;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same words mean the same in a YAML file, a Markdown file and the Java DSL, and the defaults of omitted keys
 * are those of the core model. (The property test in {@code roundtrip} proves it for every key on random runbooks;
 * this one names the meanings.)
 */
class OneMeaningPerKeyTest {
    private static final RunbookLoader LOADER = RunbookLoader.builder().validate(false).build();

    static Runbook yaml(String stepKeys) {
        String text = "runbook:\n  id: r\n  steps:\n    - name: a\n      action: x\n" + stepKeys.indent(6);
        LoadResult r = LOADER.loadString(text, "r.yaml");
        assertThat(r.diagnostics()).isEmpty();
        return r.runbooks().get(0).runbook();
    }

    static Runbook markdown(String stepKeys) {
        String text = "---\nid: r\n---\n## Steps\n### a\n```yaml\naction: x\n" + stepKeys + "\n```\n";
        LoadResult r = LOADER.loadString(text, "r.md");
        assertThat(r.diagnostics()).isEmpty();
        return r.runbooks().get(0).runbook();
    }

    static Runbook dsl(UnaryOperator<ActionStage> step) {
        return step.apply(Runbooks.runbook("r").step("a").action("x")).build();
    }

    static Stream<Arguments> retryWords() {
        return Stream.of(
                Arguments.of("retry: 3", (UnaryOperator<ActionStage>) s -> s.retry(3),
                        new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30))),
                Arguments.of("retry: {attempts: 3, backoff: 1s}",
                        (UnaryOperator<ActionStage>) s -> s.retry(3, Duration.ofSeconds(1)),
                        new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30))),
                Arguments.of("retry: {attempts: 2, backoff: 45s}",
                        (UnaryOperator<ActionStage>) s -> s.retry(2, Duration.ofSeconds(45)),
                        new RetryPolicy(2, Duration.ofSeconds(45), 2.0, Duration.ofSeconds(45))),
                Arguments.of("retry: {attempts: 3, backoff: 2s, multiplier: 1}",
                        (UnaryOperator<ActionStage>) s -> s.retry(RetryPolicy.of(3, Duration.ofSeconds(2)).withMultiplier(1)),
                        new RetryPolicy(3, Duration.ofSeconds(2), 1.0, Duration.ofSeconds(30))),
                Arguments.of("retry: {attempts: 5, backoff: 2s, multiplier: 3, max_backoff: 1m}",
                        (UnaryOperator<ActionStage>) s -> s.retry(RetryPolicy.of(5, Duration.ofSeconds(2))
                                .withMultiplier(3).withMaxBackoff(Duration.ofMinutes(1))),
                        new RetryPolicy(5, Duration.ofSeconds(2), 3.0, Duration.ofMinutes(1))),
                Arguments.of("retry: {attempts: 4, max_backoff: 8s}",
                        (UnaryOperator<ActionStage>) s -> s.retry(RetryPolicy.attempts(4).withMaxBackoff(Duration.ofSeconds(8))),
                        new RetryPolicy(4, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(8))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retryWords")
    void retryMeansTheSameInYamlMarkdownAndTheDsl(String yaml, UnaryOperator<ActionStage> dsl, RetryPolicy meaning) {
        assertThat(retryOf(yaml(yaml))).isEqualTo(meaning);
        assertThat(retryOf(markdown(yaml))).isEqualTo(meaning);
        assertThat(retryOf(dsl(dsl))).isEqualTo(meaning);
        assertThat(yaml(yaml)).isEqualTo(dsl(dsl));
    }

    @Test
    void omittedKeysMeanTheModelsDefaultsEverywhere() {
        Runbook fromYaml = yaml("");
        assertThat(fromYaml).isEqualTo(dsl(s -> s)).isEqualTo(markdown(""))
                .isEqualTo(Runbook.builder("r").step(ActionStep.builder("a", "x").build()).build());
        assertThat(fromYaml.name()).isEqualTo("r");
        assertThat(fromYaml.version()).isEqualTo(Runbook.DEFAULT_VERSION);
        assertThat(fromYaml.enabled()).isTrue();
        assertThat(fromYaml.trigger()).isEqualTo(Trigger.any());
        assertThat(fromYaml.safety()).isEqualTo(Safety.none());
        ActionStep step = (ActionStep) fromYaml.steps().steps().get(0);
        assertThat(step.retry()).isEqualTo(RetryPolicy.none());
        assertThat(step.timeout()).isEqualTo(Optional.empty());
        assertThat(step.onFailure()).isEqualTo(OnFailure.DEFAULT).isEqualTo(OnFailure.ROLLBACK);
        assertThat(step.idempotent()).isFalse();
    }

    @Test
    void aParameterWithoutDefaultIsRequiredUnlessItSaysOtherwise() {
        String text = "runbook:\n  id: r\n  parameters:\n    - {name: a}\n    - {name: b, default: 2}\n"
                + "    - {name: c, required: false}\n  steps:\n    - {name: s, action: x}\n";
        Runbook fromYaml = LOADER.loadString(text, "r.yaml").runbooksOrThrow().get(0);
        Runbook fromDsl = Runbooks.runbook("r").parameter("a", "").parameter("b", "", 2).optionalParameter("c", "")
                .step("s").action("x").build();
        assertThat(fromYaml).isEqualTo(fromDsl);
        assertThat(fromYaml.parameters()).extracting(p -> p.required()).containsExactly(true, false, false);
    }

    private static RetryPolicy retryOf(Runbook rb) {
        return ((ActionStep) rb.steps().steps().get(0)).retry();
    }
}
