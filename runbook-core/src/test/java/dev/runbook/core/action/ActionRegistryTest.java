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

    /** A provider of these actions under this id, of a class of its own. */
    private static ActionProvider provider(String id, Action... actions) {
        return new ActionProvider() {
            @Override
            public List<Action> actions() {
                return List.of(actions);
            }

            @Override
            public String id() {
                return id;
            }
        };
    }

    /** Another class of provider, so two providers can share an id without sharing a class. */
    private record OtherProvider(String id, List<Action> actions) implements ActionProvider {
    }

    @Test
    void twoConfiguredProvidersWithOneIdAreAnErrorNamingBoth() {
        ActionProvider first = provider("tickets", action("create_ticket"));
        ActionProvider second = new OtherProvider("tickets", List.of(action("close_ticket")));
        assertThatThrownBy(() -> ActionRegistry.builder().provider(first).provider(second).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("action providers tickets (" + first.getClass().getName() + ") and tickets ("
                        + OtherProvider.class.getName() + ") have the same id 'tickets'; configure one of them only, "
                        + "or give one another id");
    }

    @Test
    void oneProviderClassConfiguredTwiceIsAnErrorToo() {
        var a = new OtherProvider("jobs", List.of(action("pause_job")));
        var b = new OtherProvider("jobs", List.of(action("resume_job")));
        assertThatThrownBy(() -> ActionRegistry.builder().provider(a).provider(b).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("two action providers of jobs (" + OtherProvider.class.getName()
                        + ") have the same id 'jobs'");
    }

    @Test
    void aConfiguredProviderReplacesTheDiscoveredOneWithItsId() {
        var configured = new BuiltinActions(BuiltinActionsConfig.custom().allowWebhookHost("hooks.example.com").build());
        ActionRegistry registry = ActionRegistry.builder().discover(getClass().getClassLoader()).provider(configured)
                .build();
        assertThat(registry.providers()).filteredOn(p -> p instanceof BuiltinActions).containsExactly(configured);
        Action webhook = registry.find("webhook").orElseThrow();
        assertThat(configured.actions()).contains(webhook);
    }

    @Test
    void theRuleIsTheIdNotTheClass() {
        // a host's own class standing in for the discovered built-ins under their id replaces them
        var standIn = new OtherProvider(BuiltinActions.class.getName(), List.of(action("log")));
        ActionRegistry registry = ActionRegistry.builder().discover(getClass().getClassLoader()).provider(standIn)
                .build();
        assertThat(registry.providers()).noneMatch(p -> p instanceof BuiltinActions).contains(standIn);
        assertThat(registry.find("log")).containsSame(standIn.actions().get(0));
        assertThat(registry.find("webhook")).isEmpty();
    }

    @Test
    void aConfiguredProviderWithAnotherIdDoesNotReplaceADiscoveredOne() {
        var other = provider("my-logging", action("log"));
        assertThatThrownBy(() -> ActionRegistry.builder().discover(getClass().getClassLoader()).provider(other).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("action name 'log' is registered by both " + BuiltinActions.class.getName()
                        + " and my-logging");
    }

    @Test
    void providersLeftAfterReplacementKeepTheirOrder() {
        ActionProvider discoveredA = provider("a", action("a1"));
        ActionProvider discoveredB = provider("b", action("b1"));
        ActionProvider configuredB = provider("b", action("b2"));
        ActionProvider configuredC = provider("c", action("c1"));
        ActionRegistry registry = ActionRegistry.builder().discovered(List.of(discoveredA, discoveredB))
                .provider(configuredB).provider(configuredC).build();
        assertThat(registry.providers()).containsExactly(discoveredA, configuredB, configuredC);
        assertThat(registry.names()).containsExactlyInAnyOrder("a1", "b2", "c1");
    }

    @Test
    void anActionNamedRunRunbookIsRefusedByTheRegistryWithTheReason() {
        assertThatThrownBy(() -> ActionRegistry.builder().provider(provider("chainer", action("run_runbook"))).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("action name 'run_runbook' is reserved for chaining runbooks (chainer registers it); "
                        + "give the action another name");
        assertThatThrownBy(() -> ActionRegistry.builder().provider(provider("sneaky", action("chain", "run_runbook")))
                .build())
                .hasMessageContaining("'run_runbook' is reserved").hasMessageContaining("sneaky registers it");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> ActionRegistry.builder()
                .provider(provider("x", action("run_runbook")))
                .provider(new OtherProvider("x", List.of(action("dup"))))
                .provider(provider("y", action("dup")))
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("have the same id 'x'")
                .hasMessageContaining("'run_runbook' is reserved")
                .hasMessageContaining("action name 'dup' is registered by both x and y");
    }

    @Test
    void runRunbookIsReservedForChaining() {
        assertThatThrownBy(() -> RunbookEngine.builder().discoverActions(false).actions(action("run_runbook")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("action name 'run_runbook' is reserved for chaining");
    }
}
