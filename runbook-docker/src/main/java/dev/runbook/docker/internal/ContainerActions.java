package dev.runbook.docker.internal;

import com.github.dockerjava.api.model.Container;
import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The actions of seed 002 on one engine, and what they share: which containers a call names and how its result's
 * output is copied.
 */
public final class ContainerActions {
    private ContainerActions() {
    }

    /** The six actions sharing one engine and history. */
    public static List<Action> all(Shared shared) {
        return List.of(new ContainerChanges.Restart(shared), new ScaleService(shared),
                new ContainerChanges.UpdateEnv(shared), new RollbackDeployment(shared),
                new ContainerReads.Metrics(shared), new ContainerReads.Logs(shared));
    }

    /** An action's output: an unmodifiable copy in the given order, so results compare and print alike. */
    static Map<String, Object> plain(Map<String, ?> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** What the call named its target by, for messages: {@code selector 'app=web '} or {@code container 'web'}. */
    static String asked(ActionContext ctx) {
        return ctx.optionalString("selector").filter(s -> !s.isBlank()).map(s -> "selector '" + s + "'")
                .orElseGet(() -> "container '" + ctx.optionalString("container").orElse("") + "'");
    }

    /** The containers named by {@code container} or {@code selector}, exactly one of which must be given. */
    static List<Engine.Info> targets(Shared shared, ActionContext ctx, String action) throws ActionException {
        Optional<String> container = ctx.optionalString("container").filter(s -> !s.isBlank());
        Optional<String> selector = ctx.optionalString("selector").filter(s -> !s.isBlank());
        if (container.isPresent() == selector.isPresent()) {
            throw ActionException.permanent(action + " needs exactly one of 'container' (a name or id) or 'selector' "
                    + "(labels such as app=web)" + (container.isPresent() ? ", got both" : ", got neither"));
        }
        if (container.isPresent()) {
            return List.of(shared.engine().find(container.get()).orElseThrow(() -> ActionException.permanent(
                    action + ": container '" + container.get() + "' not found on " + shared.engine().host())));
        }
        var labels = Shared.selector(selector.get());
        var out = new ArrayList<Engine.Info>();
        for (Container c : shared.engine().list(labels, false)) {
            out.add(shared.engine().inspect(c.getId()));
        }
        if (out.isEmpty()) {
            throw ActionException.permanent(action + ": no running container matches selector '" + selector.get()
                    + "' on " + shared.engine().host());
        }
        return out;
    }

    /** The one container named by the {@code container} parameter (a name or id). */
    static Engine.Info container(Shared shared, ActionContext ctx, String action) throws ActionException {
        String ref = ctx.string("container");
        return shared.engine().find(ref).orElseThrow(() -> ActionException.permanent(action + ": container '" + ref
                + "' not found on " + shared.engine().host()));
    }
}
