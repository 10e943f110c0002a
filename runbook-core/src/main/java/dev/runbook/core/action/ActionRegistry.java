package dev.runbook.core.action;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The actions an engine knows, by name and alias. Built from providers found with
 * {@link ServiceLoader} and providers the host registers; a name or alias claimed twice is an error
 * naming both providers.
 */
public final class ActionRegistry {
    private final Map<String, Action> byName;
    private final Map<String, String> providerOf;
    private final List<Action> actions;

    private ActionRegistry(Map<String, Action> byName, Map<String, String> providerOf, List<Action> actions) {
        this.byName = byName;
        this.providerOf = providerOf;
        this.actions = actions;
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

    /** The id of the provider that registered this name or alias. */
    public Optional<String> providerOf(String nameOrAlias) {
        return Optional.ofNullable(providerOf.get(nameOrAlias));
    }

    /** Builds an {@link ActionRegistry}. */
    public static final class Builder {
        private final List<ActionProvider> providers = new ArrayList<>();

        private Builder() {
        }

        /** Adds the providers {@link ServiceLoader} finds on this class loader. */
        public Builder discover(ClassLoader loader) {
            providers.addAll(ActionRegistry.discover(loader));
            return this;
        }

        /** Adds a provider. */
        public Builder provider(ActionProvider provider) {
            providers.add(provider);
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
         * @throws IllegalStateException listing every name claimed twice and both providers
         */
        public ActionRegistry build() {
            var byName = new LinkedHashMap<String, Action>();
            var providerOf = new LinkedHashMap<String, String>();
            var all = new ArrayList<Action>();
            var problems = new ArrayList<String>();
            for (ActionProvider p : providers) {
                for (Action a : p.actions()) {
                    all.add(a);
                    var names = new ArrayList<String>();
                    names.add(a.name());
                    names.addAll(a.aliases());
                    for (String n : names) {
                        if (byName.containsKey(n)) {
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
                    List.copyOf(all));
        }
    }
}
