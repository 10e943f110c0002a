package dev.runbook.testkit;

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
 * Checks that an {@link ActionProvider} keeps the action SPI's contract. A provider's test extends it and answers
 * three questions: which provider, which parameters make a valid call of each action, and what state the actions
 * could change:
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
 *
 * <p>Set up what the provider needs (a server, a client) in the subclass's own {@code @BeforeEach} or
 * {@code @BeforeAll} methods; override {@link #contextFor(String)} when an action needs an incident, variables or a
 * deadline of its own. Add the subclass's own {@code @Test} methods for behaviour the kit cannot know. Every check is
 * a public {@code @Test} method run by JUnit Jupiter; a check may be called directly too (the kit's own tests do).
 */
public abstract class ActionProviderCompatibilityKit {
    private static final String UNKNOWN_PARAM = "no_such_param_for_compat_kit";

    /** Creates a kit; subclasses supply the provider and its parameters. */
    protected ActionProviderCompatibilityKit() {
    }

    /**
     * The provider under test, configured to act on the test's resources.
     *
     * @return the provider (may be a new one on every call)
     */
    protected abstract ActionProvider provider();

    /**
     * For every action name, parameters (as rendered) that make a valid call.
     *
     * @return parameters by action name
     */
    protected abstract Map<String, Map<String, Object>> validParams();

    /**
     * A snapshot of whatever the provider's actions could change (compared with {@code equals} before and after
     * each dry run). Default: a constant, which makes the dry-run check only check that nothing throws.
     *
     * @return a snapshot comparable with {@code equals}
     * @throws Exception when the state cannot be read
     */
    protected Object externalState() throws Exception {
        return "unchanged";
    }

    /**
     * A context builder for running this action; override to set an incident, variables or a deadline.
     *
     * @param action the action's name
     * @return a builder for that action's context
     */
    protected TestActionContext.Builder contextFor(String action) {
        return TestActionContext.builder(action(action));
    }

    /**
     * Whether the provider must be registered in {@code META-INF/services}; override to return false if not.
     *
     * @return true by default
     */
    protected boolean registeredThroughServiceLoader() {
        return true;
    }

    /**
     * The provider's action with this name.
     *
     * @param name the action's name
     * @return the action
     * @throws AssertionError when the provider has no such action
     */
    protected final Action action(String name) {
        return provider().actions().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("provider " + provider().id() + " has no action '" + name + "'"));
    }

    /** Every action has a name and aliases without whitespace, each used once, a description and a schema whose parameters are described. */
    @Test
    public void everyActionHasANameAliasesDescriptionAndSchema() {
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

    /**
     * A provider found through ServiceLoader is a public concrete class with a public no-argument constructor.
     *
     * @throws Exception when the constructor fails
     */
    @Test
    public void providerHasAPublicNoArgConstructor() throws Exception {
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

    /** The provider is listed in {@code META-INF/services/dev.runbook.core.action.ActionProvider}. */
    @Test
    public void providerIsListedForServiceLoader() {
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

    /** {@link ActionRegistry} accepts the provider and finds every action by name and alias. */
    @Test
    public void registryAcceptsTheProviderAlone() {
        ActionProvider provider = provider();
        var registry = ActionRegistry.builder().provider(provider).build();
        for (Action a : provider.actions()) {
            assertThat(registry.find(a.name())).as("registry finds %s", a.name()).isPresent();
            for (String alias : a.aliases()) {
                assertThat(registry.find(alias)).as("registry finds alias %s", alias).isPresent();
            }
        }
    }

    /** {@link #validParams()} has an entry for every action, and each fits that action's schema. */
    @Test
    public void validParamsCoverEveryActionAndFitItsSchema() {
        var names = new TreeSet<String>();
        provider().actions().forEach(a -> names.add(a.name()));
        assertThat(new TreeSet<>(validParams().keySet())).as("validParams() keys").isEqualTo(names);
        for (Action a : provider().actions()) {
            assertThatCode(() -> a.schema().apply(validParams().get(a.name())))
                    .as("validParams() of %s fit its schema", a.name()).doesNotThrowAnyException();
        }
    }

    /** An unknown parameter is refused, naming it (unless the schema allows additional parameters). */
    @Test
    public void unknownParametersAreRejectedByName() {
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

    /** A missing required parameter is refused, naming it. */
    @Test
    public void missingRequiredParametersAreRejectedByName() {
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

    /** A parameter of the wrong type is refused, naming it. */
    @Test
    public void wrongTypedParametersAreRejectedByName() {
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

    /**
     * A dry run of every mutating action that supports one returns a result and leaves {@link #externalState()} unchanged.
     *
     * @throws Exception when {@link #externalState()} throws
     */
    @Test
    public void dryRunOfMutatingActionsChangesNothing() throws Exception {
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
