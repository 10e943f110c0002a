package dev.runbook.core.action.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ParamException;
import dev.runbook.testkit.TestActionContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimpleActionsTest {
    private final BuiltinActions provider = new BuiltinActions(BuiltinActionsConfig.ofDefaults());

    private Action action(String name) {
        return provider.actions().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void providesExactlyTheBuiltinActions() {
        assertThat(provider.actions()).extracting(Action::name).containsExactlyInAnyOrder("calculate", "wait", "log",
                "set", "assert", "fail", "webhook", "slack_notify");
        assertThat(provider.actions()).filteredOn(Action::mutating).extracting(Action::name)
                .containsExactlyInAnyOrder("webhook", "slack_notify");
    }

    @Test
    void calculateOutputsTheRenderedValue() throws Exception {
        var calculate = action("calculate");
        assertThat(calculate.execute(TestActionContext.builder(calculate).param("expression", 536870912L).build())
                .output()).contains(536870912L);
        assertThat(calculate.execute(TestActionContext.builder(calculate).param("expression", 1.5).build()).output())
                .contains(1.5);
    }

    @Test
    void setOutputsTheValue() throws Exception {
        var set = action("set");
        var result = set.execute(TestActionContext.builder(set).param("value", Map.of("a", 1L)).build());
        assertThat(result.output()).contains(Map.of("a", 1L));
        assertThat(result.touched()).isEmpty();
    }

    @Test
    void logOutputsTheMessageAndChecksTheLevel() throws Exception {
        var log = action("log");
        assertThat(log.execute(TestActionContext.builder(log).param("message", "scaling up").build()).output())
                .contains("scaling up");
        for (String level : new String[] {"trace", "debug", "INFO", "warn", "error"}) {
            assertThat(log.execute(TestActionContext.builder(log).param("message", "m").param("level", level).build())
                    .output()).contains("m");
        }
        assertThatThrownBy(() -> log.execute(TestActionContext.builder(log).param("message", "m")
                .param("level", "loud").build())).isInstanceOf(ActionException.class)
                .hasMessageContaining("parameter 'level'").hasMessageContaining("'loud'");
    }

    @Test
    void assertPassesWhenTrueAndFailsPermanentlyWithTheMessage() throws Exception {
        var check = action("assert");
        assertThat(check.execute(TestActionContext.builder(check).param("that", true).build()).output()).contains(true);
        assertThat(check.execute(TestActionContext.builder(check).param("that", "true").build()).output())
                .contains(true);

        assertThatThrownBy(() -> check.execute(TestActionContext.builder(check).param("that", false)
                .param("message", "memory must stay below 2Gi").build()))
                .isInstanceOf(ActionException.class).hasMessage("memory must stay below 2Gi")
                .matches(e -> !((ActionException) e).retryable());
        assertThatThrownBy(() -> check.execute(TestActionContext.builder(check).param("that", false).build()))
                .hasMessageContaining("parameter 'that' is false");
        assertThatThrownBy(() -> TestActionContext.builder(check).param("that", "yes").build())
                .isInstanceOf(ParamException.class).hasMessageContaining("'that'").hasMessageContaining("'yes'");
    }

    @Test
    void failAlwaysFailsPermanently() {
        var fail = action("fail");
        assertThatThrownBy(() -> fail.execute(TestActionContext.builder(fail).param("message", "forced").build()))
                .isInstanceOf(ActionException.class).hasMessage("forced")
                .matches(e -> !((ActionException) e).retryable());
        assertThat(fail.mutating()).isFalse();
    }
}
