package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Runbook;
import org.junit.jupiter.api.Test;

/** The keys that let recovery resume a dead host's execution read the same in YAML as in the Java DSL. */
class RecoveryKeysTest {

    @Test
    void idempotentStepsAndResumeOnRecoveryLoadFromYamlAndEqualTheDsl() {
        var result = RunbookLoader.builder().validate(false).build().loadString("""
                runbook:
                  id: resume-v1
                  trigger:
                    root_cause_reason: OOMKilled
                  safety:
                    resume_on_recovery: true
                  steps:
                    - name: set memory
                      action: log
                      idempotent: true
                      params:
                        message: hi
                    - name: tell
                      action: log
                      params:
                        message: done
                """, "resume.yaml");
        assertThat(result.diagnostics()).isEmpty();
        Runbook rb = result.runbooks().get(0).runbook();
        assertThat(rb.safety().resumeOnRecovery()).isTrue();
        assertThat(rb.steps().steps()).extracting(s -> ((ActionStep) s).idempotent()).containsExactly(true, false);

        Runbook dsl = Runbooks.runbook("resume-v1").trigger(t -> t.rootCause("OOMKilled"))
                .safety(s -> s.resumeOnRecovery(true))
                .step("set memory").action("log").param("message", "hi").idempotent()
                .step("tell").action("log").param("message", "done")
                .build();
        assertThat(dsl).isEqualTo(rb);
    }
}
