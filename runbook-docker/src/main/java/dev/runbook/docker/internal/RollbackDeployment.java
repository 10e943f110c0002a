package dev.runbook.docker.internal;

import static dev.runbook.core.action.ParamSpec.optional;
import static dev.runbook.docker.internal.ContainerActions.asked;
import static dev.runbook.docker.internal.ContainerActions.plain;

import com.github.dockerjava.api.model.Container;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.docker.ContainerSpec;
import dev.runbook.docker.HistoryEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@code rollback-deployment} action of seed 002: restores the container or service spec the history recorded
 * before the last change (as a rollback step, the one from before this execution), recreating, starting or removing
 * containers so that they match it.
 */
final class RollbackDeployment extends DockerAction {
    RollbackDeployment(Shared s) {
        super(s, "rollback-deployment", "Restores the container (or service) spec recorded before the last change; "
                + "as a rollback step, the spec from before this execution", true,
                ParamSchema.of(optional("container", ParamType.STRING, "container name"),
                        optional("service", ParamType.STRING, "service label value (undoes scale-service)")));
    }

    @Override
    ActionResult run(ActionContext ctx) throws Exception {
        Optional<String> container = ctx.optionalString("container").filter(s -> !s.isBlank());
        Optional<String> service = ctx.optionalString("service").filter(s -> !s.isBlank());
        if (container.isPresent() == service.isPresent()) {
            throw ActionException.permanent("rollback-deployment needs exactly one of 'container' or 'service'");
        }
        HistoryEntry.Kind kind = container.isPresent() ? HistoryEntry.Kind.CONTAINER : HistoryEntry.Kind.SERVICE;
        String target = container.orElseGet(service::get);
        // a container given by id: its history is kept by name
        if (kind == HistoryEntry.Kind.CONTAINER) {
            target = shared.engine().find(target).map(Engine.Info::name).orElse(target);
        }
        List<HistoryEntry> entries = shared.history().entries(kind, target);
        var mine = entries.stream().filter(e -> e.executionId().equals(ctx.executionId())).toList();
        List<HistoryEntry> consumed = !mine.isEmpty() ? mine
                : entries.isEmpty() ? List.of() : List.of(entries.get(entries.size() - 1));
        var out = new LinkedHashMap<String, Object>();
        out.put("target", target);
        if (consumed.isEmpty()) {
            out.put("restored", false);
            return new ActionResult(Optional.of(plain(out)), List.of(), "nothing recorded to roll back for "
                    + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + target);
        }
        HistoryEntry entry = consumed.get(0);
        shared.limits().claim(ctx, name(), List.of(kind == HistoryEntry.Kind.CONTAINER ? "Container/" + target
                : ContainerLimits.service(entry.serviceLabel(), target)), kind == HistoryEntry.Kind.CONTAINER
                ? asked(ctx) : "service '" + target + "'");
        out.put("from_action", entry.action());
        out.put("recorded_at", entry.at().toString());
        var touched = new ArrayList<TouchedResource>();
        if (kind == HistoryEntry.Kind.CONTAINER) {
            restoreContainer(entry.previous().get(0), ctx, touched);
        } else {
            restoreService(entry, ctx, touched);
        }
        if (!ctx.dryRun()) {
            shared.history().remove(consumed);
        }
        out.put("restored", !ctx.dryRun());
        out.put("changes", touched.stream().map(t -> t.name() + ": " + t.change()).toList());
        String summary = (ctx.dryRun() ? "would roll back " : "rolled back ") + target + " to its spec before "
                + entry.action() + (touched.isEmpty() ? " (already matching)" : "");
        return new ActionResult(Optional.of(plain(out)), touched, summary);
    }

    private void restoreContainer(ContainerSpec spec, ActionContext ctx, List<TouchedResource> touched)
            throws Exception {
        Optional<Engine.Info> now = shared.engine().find(spec.name());
        if (now.isEmpty()) {
            touched.add(shared.touched(spec.name(), spec.labels(), ctx.dryRun() ? "would recreate" : "recreated"));
            if (!ctx.dryRun()) {
                shared.engine().create(spec);
                if (spec.running()) {
                    shared.engine().start(spec.name());
                }
            }
            return;
        }
        Engine.Info c = now.get();
        if (c.spec().sameConfigAs(spec)) {
            if (spec.running() && !c.running()) {
                touched.add(shared.touched(c, ctx.dryRun() ? "would start" : "started"));
                if (!ctx.dryRun()) {
                    shared.engine().start(c.id());
                }
            }
            return;
        }
        touched.add(shared.touched(c, (ctx.dryRun() ? "would recreate" : "recreated") + " from recorded spec"
                + envDiff(c.spec(), spec)));
        if (!ctx.dryRun()) {
            shared.replacer().replace(c, spec, shared.startupGrace(), ctx);
        }
    }

    private void restoreService(HistoryEntry entry, ActionContext ctx, List<TouchedResource> touched)
            throws Exception {
        var filter = Map.of(entry.serviceLabel(), entry.target());
        var recorded = new LinkedHashMap<String, ContainerSpec>();
        entry.previous().forEach(s -> recorded.put(s.name(), s));
        for (Container c : shared.engine().list(filter, true)) {
            String n = Engine.nameOf(c);
            if (!recorded.containsKey(n)) {
                touched.add(shared.touched(n, c.getLabels() == null ? Map.of() : c.getLabels(),
                        ctx.dryRun() ? "would remove" : "removed"));
                if (!ctx.dryRun()) {
                    shared.engine().stop(c.getId(), shared.stopTimeoutSeconds());
                    shared.engine().remove(c.getId());
                }
            }
        }
        for (ContainerSpec s : recorded.values()) {
            restoreContainer(s, ctx, touched);
        }
    }

    private static String envDiff(ContainerSpec now, ContainerSpec then) {
        var keys = new TreeSet<String>();
        keys.addAll(now.env().keySet());
        keys.addAll(then.env().keySet());
        var parts = new ArrayList<String>();
        for (String k : keys) {
            String a = now.env().get(k);
            String b = then.env().get(k);
            if (!java.util.Objects.equals(a, b)) {
                parts.add(k + " " + (a == null ? "(unset)" : a) + " -> " + (b == null ? "(unset)" : b));
            }
        }
        if (!now.image().equals(then.image())) {
            parts.add("image " + now.image() + " -> " + then.image());
        }
        return parts.isEmpty() ? "" : ": " + String.join(", ", parts);
    }
}
