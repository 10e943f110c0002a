package dev.runbook.core.action.builtin.internal;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.builtin.BuiltinActionsConfig;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Creates the built-in actions. Internal: use {@link dev.runbook.core.action.builtin.BuiltinActions}. */
public final class BuiltinActionSet {
    private BuiltinActionSet() {
    }

    /** The built-in actions for this configuration; {@code client} is asked only when a request is sent. */
    public static List<Action> create(BuiltinActionsConfig config, Supplier<HttpClient> client) {
        var out = new ArrayList<Action>(SimpleActions.all());
        out.add(new WaitAction(config.waitConditionProviders()));
        out.add(new WebhookAction(config, client));
        out.add(new SlackNotifyAction(config, client));
        return List.copyOf(out);
    }
}
