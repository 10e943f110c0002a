package dev.runbook.core.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.core.action.builtin.BuiltinActionsConfig;
import dev.runbook.core.engine.RunbookEngine;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActionRegistryTest {

    private static Action action(String name, String... aliases) {
        return new Action() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<String> aliases() {
                return Set.of(aliases);
            }

            @Override
            public String description() {
                return "test action " + name;
            }

            @Override
            public ParamSchema schema() {
                return ParamSchema.of();
            }

            @Override
            public boolean mutating() {
                return false;
            }

            @Override
            public ActionResult execute(ActionContext context) {
                return ActionResult.empty();
            }
        };
    }

    @Test
    void serviceLoaderFindsTheBuiltInActions() {
        ActionRegistry registry = ActionRegistry.builder().discover(getClass().getClassLoader()).build();
        assertThat(registry.names()).contains("calculate", "wait", "log", "set", "assert", "fail", "webhook", "slack_notify");
        assertThat(registry.providerOf("webhook")).hasValue(BuiltinActions.class.getName());
    }

    @Test
    void aliasesResolveToTheSameAction() {
        Action get = action("kubectl_get", "k8s.get");
        ActionRegistry registry = ActionRegistry.builder().actions("k8s", List.of(get)).build();
        assertThat(registry.find("k8s.get")).containsSame(get);
        assertThat(registry.find("kubectl_get")).containsSame(get);
        assertThat(registry.actions()).containsExactly(get);
    }

    @Test
    void aNameClaimedTwiceNamesBothProviders() {
        assertThatThrownBy(() -> ActionRegistry.builder()
                .actions("provider-a", List.of(action("restart", "svc.restart")))
                .actions("provider-b", List.of(action("svc.restart")))
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("action name 'svc.restart' is registered by both provider-a and provider-b; "
                        + "remove one provider or give one of them another name");
    }

    @Test
    void anExplicitProviderReplacesTheDiscoveredOneOfTheSameClass() {
        // BuiltinActions is on the class path through META-INF/services; a configured instance must not clash with it
        var configured = new BuiltinActions(BuiltinActionsConfig.custom().allowWebhookHost("hooks.example.com").build());
        try (RunbookEngine engine = RunbookEngine.builder().actionProvider(configured).build()) {
            assertThat(engine.actions().find("webhook")).isPresent();
            assertThat(engine.actions().providerOf("webhook")).hasValue(BuiltinActions.class.getName());
        }
    }

    @Test
    void runRunbookIsReservedForChaining() {
        assertThatThrownBy(() -> RunbookEngine.builder().discoverActions(false).actions(action("run_runbook")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("action name 'run_runbook' is reserved for chaining");
    }
}
