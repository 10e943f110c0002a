package com.example.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ParamException;
import dev.runbook.testkit.TestActionContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The action's own behaviour, run by hand through runbook-testkit's {@link TestActionContext}. */
class PauseJobTest {
    private final JobScheduler scheduler = new JobScheduler();
    private final JobActions actions = new JobActions(scheduler);

    {
        scheduler.add("nightly-report");
    }

    private TestActionContext.Builder pause(String job) {
        return TestActionContext.builder(actions.actions().get(0)).param("job", job);
    }

    @Test
    void pausesTheJob() throws Exception {
        var result = actions.actions().get(0).execute(pause("nightly-report").build());
        assertThat(scheduler.paused("nightly-report")).hasValue(true);
        assertThat(result.output()).hasValue(Map.of("job", "nightly-report", "paused", true, "changed", true));
    }

    @Test
    void aDryRunSaysWhatWouldChangeAndChangesNothing() throws Exception {
        var result = actions.actions().get(0).execute(pause("nightly-report").dryRun(true).build());
        assertThat(scheduler.paused("nightly-report")).hasValue(false);
        assertThat(result.output()).hasValue(Map.of("job", "nightly-report", "paused", true, "changed", true));
    }

    @Test
    void anUnknownJobFailsNamingItWithoutRetries() {
        assertThatThrownBy(() -> actions.actions().get(0).execute(pause("no-such-job").build()))
                .isInstanceOf(ActionException.class).hasMessageContaining("'no-such-job'")
                .satisfies(e -> assertThat(((ActionException) e).retryable()).isFalse());
        assertThat(scheduler.snapshot()).isEqualTo(Map.of("nightly-report", false));
    }

    @Test
    void theContextRefusesAMisspelledParameter() {
        assertThatThrownBy(() -> pause("nightly-report").param("jbo", "x").build())
                .isInstanceOf(ParamException.class).hasMessageContaining("jbo");
    }
}
