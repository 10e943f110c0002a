package dev.runbook.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Shows that the kit's checks fail for providers that break the contract (kits are anonymous: not run alone). */
class ActionProviderCompatibilityKitSelfTest {

    private static Action action(String name, String description, boolean mutating, Runnable effect) {
        return new Action() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public ParamSchema schema() {
                return ParamSchema.of(ParamSpec.required("target", ParamType.STRING, "what to change"));
            }

            @Override
            public boolean mutating() {
                return mutating;
            }

            @Override
            public ActionResult execute(ActionContext context) {
                effect.run(); // ignores dryRun on purpose
                return ActionResult.empty();
            }
        };
    }

    private static ActionProviderCompatibilityKit kit(List<Action> actions, Map<String, Map<String, Object>> valid,
                                                      AtomicInteger state) {
        return new ActionProviderCompatibilityKit() {
            @Override
            protected ActionProvider provider() {
                return () -> actions;
            }

            @Override
            protected Map<String, Map<String, Object>> validParams() {
                return valid;
            }

            @Override
            protected Object externalState() {
                return state.get();
            }

            @Override
            protected boolean registeredThroughServiceLoader() {
                return false;
            }
        };
    }

    @Test
    void detectsADryRunThatChangesState() {
        var state = new AtomicInteger();
        var kit = kit(List.of(action("bump", "bumps", true, state::incrementAndGet)),
                Map.of("bump", Map.of("target", "x")), state);
        assertThatThrownBy(kit::dryRunOfMutatingActionsChangesNothing).isInstanceOf(AssertionError.class)
                .hasMessageContaining("bump").hasMessageContaining("changed the external state");
    }

    @Test
    void acceptsADryRunOfAReadOnlyAction() {
        var state = new AtomicInteger();
        var kit = kit(List.of(action("read", "reads", false, state::incrementAndGet)),
                Map.of("read", Map.of("target", "x")), state);
        assertThatCode(kit::dryRunOfMutatingActionsChangesNothing).doesNotThrowAnyException();
        assertThatCode(kit::missingRequiredParametersAreRejectedByName).doesNotThrowAnyException();
    }

    @Test
    void detectsMissingValidParamsAndBlankDescriptions() {
        var state = new AtomicInteger();
        var kit = kit(List.of(action("a", " ", false, () -> { }), action("b", "b", false, () -> { })),
                Map.of("a", Map.of("target", "x")), state);
        assertThatThrownBy(kit::validParamsCoverEveryActionAndFitItsSchema).isInstanceOf(AssertionError.class)
                .hasMessageContaining("validParams()");
        assertThatThrownBy(kit::everyActionHasANameAliasesDescriptionAndSchema).isInstanceOf(AssertionError.class)
                .hasMessageContaining("description of a");
    }

    @Test
    void detectsDuplicateNames() {
        var state = new AtomicInteger();
        var kit = kit(List.of(action("same", "one", false, () -> { }), action("same", "two", false, () -> { })),
                Map.of("same", Map.of("target", "x")), state);
        assertThatThrownBy(kit::everyActionHasANameAliasesDescriptionAndSchema).hasMessageContaining("used once");
        assertThatThrownBy(kit::registryAcceptsTheProviderAlone).hasMessageContaining("registered by both");
    }
}
