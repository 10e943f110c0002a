package dev.runbook.core.action.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamException;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Checks that an {@link ActionProvider} keeps the action SPI's contract. Ships in runbook-core's test-jar;
 * a provider's test extends it:
 *
 * <pre>{@code
 * class MyActionsCompatibilityTest extends ActionProviderCompatibilityKit {
 *     protected ActionProvider provider() { return new MyActions(client); }
 *     protected Map<String, Map<String, Object>> validParams() {
 *         return Map.of("my_patch", Map.of("name", "web", "patch", Map.of("x", 1)));
 *     }
 *     protected Object externalState() { return client.list(); }   // what the actions could change
 * }
 * }</pre>
 *
 * <p>It checks names, aliases, descriptions and schemas; ServiceLoader registration (unless
 * {@link #registeredThroughServiceLoader()} is false); that {@link ActionRegistry} accepts the provider;
 * that {@link #validParams()} covers every action and fits its schema; that unknown, missing and
 * wrong-typed parameters are rejected naming the parameter; and that a dry run of every mutating action
 * that supports one returns normally and leaves {@link #externalState()} unchanged.
 */
public abstract class ActionProviderCompatibilityKit {
    private static final String UNKNOWN_PARAM = "no_such_param_for_compat_kit";

    /** The provider under test, configured to act on the test's resources. */
    protected abstract ActionProvider provider();

    /** For every action name, parameters (as rendered) that make a valid call. */
    protected abstract Map<String, Map<String, Object>> validParams();

    /**
     * A snapshot of whatever the provider's actions could change (compared with {@code equals} before and after
     * each dry run). Default: a constant, which makes the dry-run check only check that nothing throws.
     */
    protected Object externalState() throws Exception {
        return "unchanged";
    }

    /** A context builder for running this action; override to set an incident, variables or a deadline. */
    protected TestActionContext.Builder contextFor(String action) {
        return TestActionContext.builder(action(action));
    }

    /** Whether the provider must be registered in {@code META-INF/services}; override to return false if not. */
    protected boolean registeredThroughServiceLoader() {
        return true;
    }

    /** The provider's action with this name. */
    protected final Action action(String name) {
        return provider().actions().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("provider " + provider().id() + " has no action '" + name + "'"));
    }

    @Test
    void everyActionHasANameAliasesDescriptionAndSchema() {
        List<Action> actions = provider().actions();
        assertThat(actions).as("actions of %s", provider().id()).isNotEmpty().doesNotContainNull();
        var soft = new SoftAssertions();
        var seen = new HashSet<String>();
        for (Action a : actions) {
            soft.assertThat(a.name()).as("action name").isNotNull().isNotBlank();
            soft.assertThat(a.name()).as("action name '%s'", a.name()).doesNotContainAnyWhitespaces();
            soft.assertThat(seen.add(a.name())).as("action name '%s' used once", a.name()).isTrue();
            soft.assertThat(a.aliases()).as("aliases of %s", a.name()).isNotNull();
            for (String alias : a.aliases()) {
                soft.assertThat(alias).as("alias of %s", a.name()).isNotBlank().doesNotContainAnyWhitespaces();
                soft.assertThat(seen.add(alias)).as("alias '%s' of %s used once", alias, a.name()).isTrue();
            }
            soft.assertThat(a.description()).as("description of %s", a.name()).isNotNull().isNotBlank();
            soft.assertThat(a.schema()).as("schema of %s", a.name()).isNotNull();
            if (a.schema() != null) {
                var names = a.schema().names();
                soft.assertThat(names).as("parameters of %s", a.name()).doesNotHaveDuplicates();
                for (ParamSpec p : a.schema().params()) {
                    soft.assertThat(p.name()).as("a parameter name of %s", a.name()).isNotBlank();
                    soft.assertThat(p.description()).as("description of %s.%s", a.name(), p.name()).isNotBlank();
                }
            }
        }
        soft.assertAll();
    }

    @Test
    void providerHasAPublicNoArgConstructor() throws Exception {
        if (!registeredThroughServiceLoader()) {
            return;
        }
        Class<?> type = provider().getClass();
        assertThat(Modifier.isPublic(type.getModifiers())).as("%s is public", type.getName()).isTrue();
        assertThat(Modifier.isAbstract(type.getModifiers())).as("%s is concrete", type.getName()).isFalse();
        var ctor = type.getConstructor();
        assertThat(Modifier.isPublic(ctor.getModifiers())).as("no-arg constructor of %s is public", type.getName())
                .isTrue();
        assertThat(ctor.newInstance()).isInstanceOf(ActionProvider.class);
    }

    @Test
    void providerIsListedForServiceLoader() {
        if (!registeredThroughServiceLoader()) {
            return;
        }
        Class<?> type = provider().getClass();
        ClassLoader loader = Objects.requireNonNullElse(Thread.currentThread().getContextClassLoader(),
                type.getClassLoader());
        boolean found = ServiceLoader.load(ActionProvider.class, loader).stream().anyMatch(p -> p.type() == type);
        assertThat(found).as("%s is listed in META-INF/services/%s", type.getName(), ActionProvider.class.getName())
                .isTrue();
    }

    @Test
    void registryAcceptsTheProviderAlone() {
        ActionProvider provider = provider();
        var registry = ActionRegistry.builder().provider(provider).build();
        for (Action a : provider.actions()) {
            assertThat(registry.find(a.name())).as("registry finds %s", a.name()).isPresent();
            for (String alias : a.aliases()) {
                assertThat(registry.find(alias)).as("registry finds alias %s", alias).isPresent();
            }
        }
    }

    @Test
    void validParamsCoverEveryActionAndFitItsSchema() {
        var names = new TreeSet<String>();
        provider().actions().forEach(a -> names.add(a.name()));
        assertThat(new TreeSet<>(validParams().keySet())).as("validParams() keys").isEqualTo(names);
        for (Action a : provider().actions()) {
            assertThatCode(() -> a.schema().apply(validParams().get(a.name())))
                    .as("validParams() of %s fit its schema", a.name()).doesNotThrowAnyException();
        }
    }

    @Test
    void unknownParametersAreRejectedByName() {
        for (Action a : provider().actions()) {
            if (a.schema().additionalAllowed()) {
                continue;
            }
            var params = new LinkedHashMap<>(valid(a));
            params.put(UNKNOWN_PARAM, "x");
            assertThatThrownBy(() -> a.schema().apply(params)).as("%s with an unknown parameter", a.name())
                    .isInstanceOf(ParamException.class).hasMessageContaining(UNKNOWN_PARAM);
        }
    }

    @Test
    void missingRequiredParametersAreRejectedByName() {
        for (Action a : provider().actions()) {
            for (ParamSpec p : a.schema().params()) {
                if (!p.required()) {
                    continue;
                }
                var params = new LinkedHashMap<>(valid(a));
                params.remove(p.name());
                assertThatThrownBy(() -> a.schema().apply(params)).as("%s without %s", a.name(), p.name())
                        .isInstanceOf(ParamException.class).hasMessageContaining("'" + p.name() + "'");
            }
        }
    }

    @Test
    void wrongTypedParametersAreRejectedByName() {
        for (Action a : provider().actions()) {
            for (ParamSpec p : a.schema().params()) {
                Object wrong = wrongValueFor(p.type());
                if (wrong == null) {
                    continue;
                }
                var params = new LinkedHashMap<>(valid(a));
                params.put(p.name(), wrong);
                assertThatThrownBy(() -> a.schema().apply(params))
                        .as("%s with %s = %s", a.name(), p.name(), wrong)
                        .isInstanceOf(ParamException.class).hasMessageContaining("'" + p.name() + "'");
            }
        }
    }

    @Test
    void dryRunOfMutatingActionsChangesNothing() throws Exception {
        var failures = new ArrayList<String>();
        for (Action a : provider().actions()) {
            if (!a.mutating() || !a.supportsDryRun()) {
                continue;
            }
            Object before = externalState();
            TestActionContext ctx = contextFor(a.name()).params(valid(a)).dryRun(true).build();
            ActionResult result;
            try {
                result = a.execute(ctx);
            } catch (Exception e) {
                failures.add(a.name() + ": dry run threw " + e);
                continue;
            }
            if (result == null) {
                failures.add(a.name() + ": dry run returned null");
            }
            Object after = externalState();
            if (!Objects.equals(before, after)) {
                failures.add(a.name() + ": dry run changed the external state from " + before + " to " + after);
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    private Map<String, Object> valid(Action a) {
        var params = validParams().get(a.name());
        assertThat(params).as("validParams() for %s", a.name()).isNotNull();
        return params;
    }

    /** A value the type must refuse, or null when every value fits ({@link ParamType#ANY}). */
    private static Object wrongValueFor(ParamType type) {
        return switch (type) {
            case STRING -> Map.of("not", "text");
            case INTEGER, NUMBER -> "not-a-number";
            case BOOLEAN -> "maybe";
            case DURATION -> "soon";
            case MAP, LIST -> "plain text";
            case ANY -> null;
        };
    }
}
