package dev.runbook.core.action.builtin;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.builtin.internal.BuiltinActionSet;
import dev.runbook.core.action.builtin.internal.HttpCalls;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Objects;

/**
 * The actions every engine has: {@code calculate}, {@code wait}, {@code log}, {@code set}, {@code assert},
 * {@code fail}, {@code webhook} and {@code slack_notify}. Registered through
 * {@link java.util.ServiceLoader}; the no-argument constructor reads the webhook host allow-list from the
 * environment (see {@link BuiltinActionsConfig#fromEnvironment()}), and hosts that want another
 * configuration register {@code new BuiltinActions(config)} with the engine instead.
 *
 * <p>Webhooks are denied unless their host is allowed: an allow-list that is empty denies every host.
 */
public final class BuiltinActions implements ActionProvider {
    private final BuiltinActionsConfig config;
    private final List<Action> actions;
    private volatile HttpClient client;

    /** The built-in actions configured from the system property / environment variable allow-list. */
    public BuiltinActions() {
        this(BuiltinActionsConfig.fromEnvironment());
    }

    /** The built-in actions with this configuration. */
    public BuiltinActions(BuiltinActionsConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.actions = BuiltinActionSet.create(config, this::client);
    }

    /** The configuration in use. */
    public BuiltinActionsConfig config() {
        return config;
    }

    @Override
    public List<Action> actions() {
        return actions;
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = config.httpClient().orElseGet(HttpCalls::defaultClient);
                    client = c;
                }
            }
        }
        return c;
    }
}
