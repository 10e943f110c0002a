package dev.runbook.docker.internal;

import static dev.runbook.core.action.ParamSpec.optional;
import static dev.runbook.core.action.ParamSpec.required;
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
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code scale-service} action of seed 002: brings a service (the containers sharing its service label) to a
 * wanted number of replicas within the runbook's replica bounds, cloning the newest replica or removing the newest.
 */
final class ScaleService extends DockerAction {
    ScaleService(Shared s) {
        super(s, "scale-service", "Scales a service (containers sharing a service label) by cloning or removing replicas",
                true, ParamSchema.of(required("service", ParamType.STRING, "the service label's value"),
                        optional("replicas", ParamType.INTEGER, "the wanted number of replicas"),
                        optional("by", ParamType.INTEGER, "replicas to add (negative: remove) instead of 'replicas'"),
                        optional("label", ParamType.STRING, "the label naming the service (default the host's, "
                                + "com.docker.compose.service unless configured)"),
                        optional("project", ParamType.STRING, "only containers of this compose project")));
    }

    @Override
    ActionResult run(ActionContext ctx) throws Exception {
        String service = ctx.string("service");
        String label = ctx.optionalString("label").orElse(shared.serviceLabel());
        var filter = new LinkedHashMap<String, String>();
        filter.put(label, service);
        ctx.optionalString("project").ifPresent(p -> filter.put(shared.projectLabel(), p));
        List<Container> replicas = shared.engine().list(filter, true);
        int current = replicas.size();
        boolean hasReplicas = ctx.params().containsKey("replicas");
        boolean hasBy = ctx.params().containsKey("by");
        if (hasReplicas == hasBy) {
            throw ActionException.permanent("scale-service needs exactly one of 'replicas' (the wanted count) or 'by' "
                    + "(a change such as 1 or -1)");
        }
        long wanted = hasReplicas ? ctx.integer("replicas") : current + ctx.integer("by");
        var bounds = ctx.runbook().safety().replicas()
                .orElse(new dev.runbook.core.model.Safety.ReplicaBounds(dev.runbook.docker.DockerSafety.MIN_REPLICAS,
                        dev.runbook.docker.DockerSafety.MAX_REPLICAS));
        if (wanted < bounds.min() || wanted > bounds.max()) {
            throw ActionException.permanent("scale-service: " + wanted + " replicas of service '" + service
                    + "' is outside the replica bounds " + bounds.min() + ".." + bounds.max()
                    + " (safety.replicas of runbook " + ctx.runbook().id() + ", seed default 1..5)");
        }
        if (current == 0) {
            throw ActionException.permanent("scale-service: no container has label " + label + "=" + service + " on "
                    + shared.engine().host() + ", so there is no replica to clone");
        }
        if (wanted != current) {
            shared.limits().claim(ctx, name(), List.of(ContainerLimits.service(label, service)),
                    "service '" + service + "'");
        }
        var infos = new ArrayList<Engine.Info>();
        for (Container c : replicas) {
            infos.add(shared.engine().inspect(c.getId()));
        }
        // newest last: by creation, then by name so that web-3 counts as newer than web-2 created in the same second
        infos.sort((a, b) -> {
            int byCreated = a.created().compareTo(b.created());
            return byCreated != 0 ? byCreated : a.name().compareTo(b.name());
        });
        var names = new TreeSet<String>();
        infos.forEach(i -> names.add(i.name()));
        var added = new ArrayList<String>();
        var removed = new ArrayList<String>();
        var touched = new ArrayList<TouchedResource>();
        if (wanted > current) {
            Engine.Info template = infos.get(infos.size() - 1);
            for (long i = current; i < wanted; i++) {
                String n = nextName(template.name(), names);
                names.add(n);
                added.add(n);
                touched.add(shared.touched(n, template.labels(), (ctx.dryRun() ? "would create" : "created")
                        + " as a replica of " + template.name()));
            }
        } else {
            for (int i = infos.size() - 1; i >= wanted; i--) {
                Engine.Info c = infos.get(i);
                removed.add(c.name());
                touched.add(shared.touched(c, ctx.dryRun() ? "would remove" : "removed"));
            }
        }
        if (!ctx.dryRun() && wanted != current) {
            shared.history().record(ctx.executionId(), ctx.clock().instant(), name(), HistoryEntry.Kind.SERVICE,
                    service, label, infos.stream().map(Engine.Info::spec).toList());
            if (!added.isEmpty()) {
                Engine.Info template = infos.get(infos.size() - 1);
                var made = new ArrayList<String>();
                try {
                    for (String n : added) {
                        var labels = new LinkedHashMap<>(template.spec().labels());
                        labels.computeIfPresent("com.docker.compose.container-number", (k, v) -> number(n, v));
                        // a clone keeps every setting but the name and fixed host ports (see Settings.forClone)
                        ContainerSpec spec = template.spec().withName(n).withLabels(labels)
                                .withSettings(Settings.forClone(template.spec().settings()));
                        shared.engine().create(spec);
                        made.add(n);
                        shared.engine().start(n);
                    }
                } catch (RuntimeException e) {
                    made.forEach(n -> shared.engine().remove(n));
                    throw e;
                }
            }
            for (String n : removed) {
                shared.engine().stop(n, shared.stopTimeoutSeconds());
                shared.engine().remove(n);
            }
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("service", service);
        out.put("before", (long) current);
        out.put("after", wanted);
        out.put("added", List.copyOf(added));
        out.put("removed", List.copyOf(removed));
        String summary = wanted == current ? "service " + service + " already has " + current + " replica(s)"
                : (ctx.dryRun() ? "would scale" : "scaled") + " service " + service + " " + current + " -> " + wanted;
        return new ActionResult(Optional.of(plain(out)), touched, summary);
    }

    private static String number(String name, String fallback) {
        var m = Pattern.compile("[-_](\\d+)$").matcher(name);
        return m.find() ? m.group(1) : fallback;
    }

    /** web-1 -> web-N with N one more than the highest taken; other names get -2, -3, ... */
    static String nextName(String template, java.util.Set<String> taken) {
        var m = Pattern.compile("^(.*[-_])(\\d+)$").matcher(template);
        String base = m.matches() ? m.group(1) : template + "-";
        int n = m.matches() ? Integer.parseInt(m.group(2)) + 1 : 2;
        while (taken.contains(base + n)) {
            n++;
        }
        return base + n;
    }
}
