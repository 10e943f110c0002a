package dev.runbook.core.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The builder refuses a bad value at its setter, naming the setter and the value. */
class EngineBuilderTest {

    private static void refusesNull(Consumer<RunbookEngine.Builder> setter, String name) {
        assertThatThrownBy(() -> setter.accept(RunbookEngine.builder()))
                .isInstanceOf(NullPointerException.class).hasMessage(name + " must not be null");
    }

    @Test
    void everySetterRefusesNullNamingItself() {
        refusesNull(b -> b.notifier(null), "notifier");
        refusesNull(b -> b.minActionSpacing(null), "minActionSpacing");
        refusesNull(b -> b.executedBy(null), "executedBy");
        refusesNull(b -> b.runbook(null), "runbook");
        refusesNull(b -> b.runbooks(null), "runbooks");
        refusesNull(b -> b.classLoader(null), "classLoader");
        refusesNull(b -> b.actionProvider(null), "actionProvider");
        refusesNull(b -> b.actions((dev.runbook.core.action.Action[]) null), "actions");
        refusesNull(b -> b.actions(FakeCluster.touch("touch"), null), "actions[1]");
        refusesNull(b -> b.expressionCompiler(null), "expressionCompiler");
        refusesNull(b -> b.approvalGateway(null), "approvalGateway");
        refusesNull(b -> b.approvalPolicy(null), "approvalPolicy");
        refusesNull(b -> b.approvalTimeout(null), "approvalTimeout");
        refusesNull(b -> b.listener(null), "listener");
        refusesNull(b -> b.guardStore(null), "guardStore");
        refusesNull(b -> b.clock(null), "clock");
        refusesNull(b -> b.sleeper(null), "sleeper");
        refusesNull(b -> b.executor(null), "executor");
        refusesNull(b -> b.parameter(null, 1), "parameter name");
        refusesNull(b -> b.parameter("registry", null), "parameter registry");
        refusesNull(b -> b.parameterResolver(null), "parameterResolver");
        refusesNull(b -> b.lockTtl(null), "lockTtl");
        refusesNull(b -> b.leaseRenewalInterval(null), "leaseRenewalInterval");
        refusesNull(b -> b.closeGrace(null), "closeGrace");
        refusesNull(b -> b.ranking(null), "ranking");
        refusesNull(b -> b.outcomeHistory(null), "outcomeHistory");
        refusesNull(b -> b.executionIds(null), "executionIds");
        refusesNull(b -> b.journal(null), "journal");
        refusesNull(b -> b.owner(null), "owner");
        refusesNull(b -> b.executionBackend(null), "executionBackend");
        refusesNull(b -> b.killSwitch(null), "killSwitch");
    }

    @Test
    void executedByRefusesABlankNameAsHandleDoes() {
        assertThatThrownBy(() -> RunbookEngine.builder().executedBy(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("executedBy must name who the execution runs for, got ' '");
        assertThatThrownBy(() -> RunbookEngine.builder().executedBy(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got ''");
    }

    @Test
    void badValuesAreNamedWithTheValue() {
        assertThatThrownBy(() -> RunbookEngine.builder().minActionSpacing(Duration.ofSeconds(-1)))
                .hasMessage("minActionSpacing must not be negative, got PT-1S");
        assertThatThrownBy(() -> RunbookEngine.builder().maxChainDepth(0))
                .hasMessage("maxChainDepth must be at least 1, got 0");
        assertThatThrownBy(() -> RunbookEngine.builder().owner(" "))
                .hasMessage("owner must not be blank, got ' '");
        assertThatThrownBy(() -> RunbookEngine.builder().parameter(" ", 1))
                .hasMessage("parameter name must not be blank, got ' '");
        assertThatThrownBy(() -> RunbookEngine.builder().notifier(new dev.runbook.core.notify.Notifier() {
            @Override
            public String channel() {
                return " ";
            }

            @Override
            public void send(dev.runbook.core.notify.NotificationMessage message) {
                throw new UnsupportedOperationException("never sent");
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must name its channel, got ' '");
    }

    @Test
    void aRenewalNoShorterThanTheLockTtlIsRefusedBeforeAnythingIsBuilt() {
        // refused before the library is compiled: a bad runbook does not hide it, and no engine thread pool exists yet
        assertThatThrownBy(() -> RunbookEngine.builder().discoverActions(false).lockTtl(Duration.ofSeconds(30))
                .leaseRenewalInterval(Duration.ofSeconds(30))
                .runbook(dev.runbook.core.model.Runbook.builder("broken")
                        .trigger(dev.runbook.core.model.Trigger.builder().rootCauseReason("OOMKilled").build())
                        .step(dev.runbook.core.model.ActionStep.builder("fix", "no_such_action").build()).build())
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("leaseRenewalInterval PT30S must be shorter than lockTtl PT30S, or a live execution would"
                        + " lose its locks");
    }
}
