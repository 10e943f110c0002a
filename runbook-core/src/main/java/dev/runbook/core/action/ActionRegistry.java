package dev.runbook.core.action;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The actions an engine knows, by name and alias. Built from providers found with {@link ServiceLoader}
 * (discovered) and providers the host registers (configured). The rules on ids live here, in {@link Builder#build()},
 * and every front end (engine, loader, CLI, MCP server) builds its registry through it:
 * <ul>
 *   <li>a configured provider replaces a discovered one with the same {@link ActionProvider#id() id} (so a host can
 *       configure a provider that is also listed for ServiceLoader);</li>
 *   <li>two configured providers with the same id are an error naming both;</li>
 *   <li>a name or alias claimed twice is an error naming both providers;</li>
 *   <li>no action may be named {@value #CHAIN_ACTION}: that name chains runbooks.</li>
 * </ul>
 */
public final class ActionRegistry {
    /** The step action that runs another runbook ({@code params.runbook}); reserved, no provider may register it. */
    public static final String CHAIN_ACTION = "run_runbook";

    private final Map<String, Action> byName;
    private final Map<String, String> providerOf;
    private final List<Action> actions;
    private final List<ActionProvider> providers;

    private ActionRegistry(Map<String, Action> byName, Map<String, String> providerOf, List<Action> actions,
                           List<ActionProvider> providers) {
        this.byName = byName;
        this.providerOf = providerOf;
        this.actions = actions;
        this.providers = providers;
    }

    /** A builder with no providers yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** The providers registered through {@code META-INF/services} on this class loader. */
    public static List<ActionProvider> discover(ClassLoader loader) {
        var out = new ArrayList<ActionProvider>();
        ServiceLoader.load(ActionProvider.class, loader).forEach(out::add);
        out.sort(Comparator.comparing(ActionProvider::id));
        return out;
    }

    /** The action with this name or alias. */
    public Optional<Action> find(String nameOrAlias) {
        return Optional.ofNullable(byName.get(nameOrAlias));
    }

    /** Every action once, in registration order. */
    public List<Action> actions() {
        return actions;
    }

    /** Every name and alias. */
    public Collection<String> names() {
        return Collections.unmodifiableSet(byName.keySet());
    }

    /**
     * The providers whose actions this registry holds, in registration order: the discovered ones that no configured
     * provider replaced (sorted by id), then the configured ones.
     */
    public List<ActionProvider> providers() {
        return providers;
    }

    /** The id of the provider that registered this name or alias. */
    public Optional<String> providerOf(String nameOrAlias) {
        return Optional.ofNullable(providerOf.get(nameOrAlias));
    }

    /** Builds an {@link ActionRegistry}. */
    public static final class Builder {
        private final List<ActionProvider> discovered = new ArrayList<>();
        private final List<ActionProvider> configured = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds the providers {@link ServiceLoader} finds on this class loader, as discovered providers: a configured
         * provider with the same id replaces one of them.
         */
        public Builder discover(ClassLoader loader) {
            return discovered(ActionRegistry.discover(loader));
        }

        /**
         * Adds providers the caller found through {@link ServiceLoader} itself (to keep the instances, for instance
         * to close them later), as discovered providers: a configured provider with the same id replaces one of them.
         */
        public Builder discovered(List<ActionProvider> providers) {
            providers.forEach(p -> discovered.add(Objects.requireNonNull(p, "provider")));
            return this;
        }

        /** Adds a configured provider; it replaces a discovered provider with the same id. */
        public Builder provider(ActionProvider provider) {
            configured.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** Adds single actions under a provider id for messages. */
        public Builder actions(String providerId, List<Action> actions) {
            List<Action> copy = List.copyOf(actions);
            return provider(new ActionProvider() {
                @Override
                public List<Action> actions() {
                    return copy;
                }

                @Override
                public String id() {
                    return providerId;
                }
            });
        }

        /**
         * Builds the registry.
         *
         * @throws IllegalStateException listing every problem: two configured providers with one id (both named),
         *                               a name claimed twice (both providers named), an action named
         *                               {@value ActionRegistry#CHAIN_ACTION}
         */
        public ActionRegistry build() {
            var problems = new ArrayList<String>();
            var configuredById = new LinkedHashMap<String, ActionProvider>();
            for (ActionProvider p : configured) {
                ActionProvider before = configuredById.putIfAbsent(p.id(), p);
                if (before != null) {
                    String both = before.getClass() == p.getClass() ? "two action providers of " + describe(p)
                            : "action providers " + describe(before) + " and " + describe(p);
                    problems.add(both + " have the same id '" + p.id()
                            + "'; configure one of them only, or give one another id");
                }
            }
            var providers = new ArrayList<ActionProvider>();
            discovered.stream().filter(p -> !configuredById.containsKey(p.id())).forEach(providers::add);
            providers.addAll(configured);
            var byName = new LinkedHashMap<String, Action>();
            var providerOf = new LinkedHashMap<String, String>();
            var all = new ArrayList<Action>();
            for (ActionProvider p : providers) {
                for (Action a : p.actions()) {
                    all.add(a);
                    var names = new ArrayList<String>();
                    names.add(a.name());
                    names.addAll(a.aliases());
                    for (String n : names) {
                        if (n.equals(CHAIN_ACTION)) {
                            problems.add("action name '" + CHAIN_ACTION + "' is reserved for chaining runbooks ("
                                    + p.id() + " registers it); give the action another name");
                        } else if (byName.containsKey(n)) {
                            problems.add("action name '" + n + "' is registered by both " + providerOf.get(n) + " and "
                                    + p.id() + "; remove one provider or give one of them another name");
                        } else {
                            byName.put(n, a);
                            providerOf.put(n, p.id());
                        }
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException(String.join("\n", problems));
            }
            return new ActionRegistry(Collections.unmodifiableMap(byName), Collections.unmodifiableMap(providerOf),
                    List.copyOf(all), List.copyOf(providers));
        }

        /** The provider's id and, when it says more, its class. */
        private static String describe(ActionProvider p) {
            String type = p.getClass().getName();
            return p.id().equals(type) ? type : p.id() + " (" + type + ")";
        }
    }
}
