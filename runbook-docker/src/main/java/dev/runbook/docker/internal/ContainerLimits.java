package dev.runbook.docker.internal;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.guard.CounterClaim;
import dev.runbook.core.guard.GuardStore;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.guard.ReservationRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The runbook's {@code max_action_per_resource_per_hour} counted per container the action resolved, whatever text
 * named it: {@code app=web2 }, {@code  app=web2}, {@code app=web2,app=web2}, the name and the id all resolve to one
 * container and so share one count. The engine's own guard counts the incident's resource, which for a call naming
 * its target by selector is only the selector's text; this count closes that gap.
 *
 * <p>Containers are keyed by the name the engine reports, not the id: {@code update-env-vars} and
 * {@code rollback-deployment} recreate a container under its name with a new id, and an id key would start a
 * fresh count at each recreation. A service is keyed by its label and value (the optional project only narrows it).
 */
final class ContainerLimits {
    private static final Duration HOUR = Duration.ofHours(1);

    private final GuardStore store;
    private final String engine;

    ContainerLimits(GuardStore store, String engine) {
        this.store = store;
        this.engine = engine;
    }

    /** The key of a container the engine resolved. */
    static String container(Engine.Info c) {
        return "Container/" + c.name();
    }

    /** The key of a service: the label and its value. */
    static String service(String label, String value) {
        return "Service/" + label + "=" + value;
    }

    /**
     * Counts one use of {@code action} on each resource, all or none, when the runbook limits the action per resource.
     * A dry run only checks (it counts nothing), so the engine's dry run refuses a call the real run would refuse.
     *
     * @throws ActionException naming the limit, the resource and what the action was asked, when a count is full
     */
    void claim(ActionContext ctx, String action, Collection<String> resources, String asked) throws ActionException {
        Integer limit = ctx.runbook().safety().maxActionPerResourcePerHour().get(action);
        if (limit == null || resources.isEmpty()) {
            return;
        }
        var claims = new ArrayList<CounterClaim>();
        for (String r : new LinkedHashSet<>(resources)) {
            claims.add(new CounterClaim("docker-action-resource:" + action + ":" + engine + ":" + r, HOUR, limit, 1,
                    "max_action_per_resource_per_hour " + action + " " + limit + " on " + r));
        }
        Reservation r = store.tryReserve(new ReservationRequest(ctx.executionId(), ctx.clock().instant(), List.of(),
                claims, List.of()));
        if (!r.granted()) {
            throw ActionException.permanent(action + ": " + r.denialReason().orElse("per-resource limit reached")
                    + " (counted per container the call resolves, here " + asked + "; runbook "
                    + ctx.runbook().id() + " sets the limit in safety.max_action_per_resource_per_hour)");
        }
        if (ctx.dryRun()) {
            r.cancel();
        } else {
            r.release();
        }
    }
}
