package dev.runbook.dsl.internal;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.internal.Suggestions;
import dev.runbook.core.model.Ids;
import dev.runbook.core.model.Notifications;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import dev.runbook.dsl.internal.PositionMapper.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * One document read by {@link RunbookNodeReader}, from the top-level {@code runbook:} key to the model: the runbook's
 * own fields, its trigger, safety and parameters, through the steps, values and guard below.
 */
final class ModelReading extends StepReading {

    ModelReading(String source, String file, PositionMapper mapper, ActionRegistry registry, long maxSize,
            ExpansionBudget expansion) {
        super(source, file, mapper, registry, maxSize, expansion);
    }

    Optional<Runbook> readRoot(Node root) {
        Position start = pos(root, mapper);
        if (!(root instanceof MappingNode map)) {
            error(start, "a runbook file must be a map with the key 'runbook:' at the top, got " + describe(root));
            return Optional.empty();
        }
        Node body = null;
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k) || reported.contains(k)) {
                continue;
            }
            if (k.getValue().equals("runbook")) {
                body = t.getValueNode();
                positions.origin(pos(k, mapper));
            } else {
                error(pos(k, mapper), "unknown top-level key '" + k.getValue() + "'"
                        + Suggestions.didYouMean(k.getValue(), List.of("runbook"))
                        + "; a runbook file has one top-level key, runbook:");
            }
        }
        if (body == null) {
            error(start, "missing the top-level key 'runbook:'; put the runbook's fields under it");
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        var values = (Map<String, Object>) read(body, Defs.RUNBOOK, "");
        if (values == null || !(values.get("id") instanceof String)) {
            return Optional.empty();
        }
        return build(values);
    }

    Optional<Runbook> build(Map<String, Object> v) {
        String id = (String) v.get("id");
        if (id.isBlank()) {
            error(positions.locate("id"), "id: must not be empty; give the runbook a unique id such as oomkilled-increase-memory-v1");
            return Optional.empty();
        }
        // Checked here as well as by the compiler, so a load without validation reports them too.
        Ids.runbookIdProblem(id).ifPresent(m -> error(positions.locate("id"), "id: " + m));
        var b = Runbook.builder(id);
        str(v, "name").ifPresent(b::name);
        str(v, "version").ifPresent(b::version);
        str(v, "author").ifPresent(b::author);
        str(v, "description").ifPresent(b::description);
        if (v.get("labels") instanceof Map<?, ?> labels) {
            b.labels(strings(labels));
        }
        if (v.get("enabled") instanceof Boolean e) {
            b.enabled(e);
        }
        if (v.get("trigger") instanceof Map<?, ?> t) {
            trigger(t).ifPresent(b::trigger);
        }
        if (v.get("safety") instanceof Map<?, ?> s) {
            safety(s).ifPresent(b::safety);
        }
        if (v.get("parameters") instanceof List<?> ps) {
            for (int i = 0; i < ps.size(); i++) {
                parameter((Map<?, ?>) ps.get(i), "parameters[" + i + "]").ifPresent(b::parameter);
            }
        }
        if (v.get("steps") instanceof List<?> steps) {
            b.steps(steps(steps));
        }
        if (v.get("rollback") instanceof List<?> rb) {
            steps(rb).forEach(b::rollbackStep);
        }
        if (v.get("notification") instanceof Map<?, ?> n) {
            b.notifications(new Notifications(notifications(n.get("on_success"), "notification.on_success"),
                    notifications(n.get("on_failure"), "notification.on_failure")));
        }
        try {
            return Optional.of(b.build());
        } catch (IllegalArgumentException | NullPointerException e) {
            error(positions.locate(""), "runbook: " + e.getMessage());
            return Optional.empty();
        }
    }

    Map<String, String> strings(Map<?, ?> m) {
        var out = new LinkedHashMap<String, String>();
        m.forEach((k, x) -> out.put((String) k, (String) x));
        return out;
    }

    List<String> stringList(Object o) {
        if (o instanceof String s) {
            return List.of(s);
        }
        var out = new ArrayList<String>();
        if (o instanceof List<?> l) {
            l.forEach(x -> out.add((String) x));
        }
        return out;
    }

    Optional<Trigger> trigger(Map<?, ?> t) {
        var b = Trigger.builder();
        b.rootCauseReasons(stringList(t.get("root_cause_reason")));
        b.symptomReasons(stringList(t.get("symptom_reason")));
        if (t.get("min_confidence") instanceof Double d) {
            b.minConfidence(d);
        }
        b.resourceKinds(stringList(t.get("affected_resource_kinds")));
        b.namespaces(stringList(t.get("namespaces")));
        b.clusters(stringList(t.get("clusters")));
        if (t.get("labels") instanceof Map<?, ?> l) {
            b.labels(strings(l));
        }
        str(t, "when").ifPresent(b::when);
        return attempt(() -> b.build(), "trigger");
    }

    Optional<Safety> safety(Map<?, ?> s) {
        var b = Safety.builder();
        if (s.get("require_approval") instanceof Boolean x) {
            b.requireApproval(x);
        }
        if (s.get("dry_run_first") instanceof Boolean x) {
            b.dryRunFirst(x);
        }
        if (s.get("resume_on_recovery") instanceof Boolean x) {
            b.resumeOnRecovery(x);
        }
        intOf(s, "max_executions_per_hour").ifPresent(b::maxExecutionsPerHour);
        intOf(s, "blast_radius_limit").ifPresent(b::blastRadiusLimit);
        intOf(s, "max_executions_per_resource_per_hour").ifPresent(b::maxExecutionsPerResourcePerHour);
        intOf(s, "max_actions_per_hour").ifPresent(b::maxActionsPerHour);
        if (s.get("min_confidence") instanceof Double d) {
            b.minConfidence(d);
        }
        if (s.get("cooldown") instanceof Duration d) {
            b.cooldown(d);
        }
        if (s.get("min_action_spacing") instanceof Duration d) {
            b.minActionSpacing(d);
        }
        if (s.get("max_action_per_resource_per_hour") instanceof Map<?, ?> m) {
            var limits = new LinkedHashMap<String, Integer>();
            m.forEach((k, x) -> limits.put((String) k, ((Long) x).intValue()));
            b.maxActionPerResourcePerHour(limits);
        }
        b.allowedNamespaces(stringList(s.get("allowed_namespaces")));
        b.envWhitelist(stringList(s.get("env_whitelist")));
        if (s.get("replicas") instanceof Map<?, ?> r && r.get("min") instanceof Long min && r.get("max") instanceof Long max) {
            if (min > max) {
                error(positions.locate("safety.replicas.min"), "safety.replicas: min " + min
                        + " is larger than max " + max + "; swap them");
            } else {
                b.replicas(min.intValue(), max.intValue());
            }
        }
        if (s.get("pause_after") instanceof Map<?, ?> p && p.get("failures") instanceof Long failures
                && p.get("within") instanceof Duration within) {
            // the format's ranges already hold (failures >= 1, within > 0); the model checks them again
            attempt(() -> b.pauseAfter(failures.intValue(), within), "safety.pause_after");
        }
        return attempt(() -> b.build(), "safety");
    }

    Optional<Integer> intOf(Map<?, ?> m, String key) {
        return m.get(key) instanceof Long l ? Optional.of(l.intValue()) : Optional.empty();
    }

    <T> Optional<T> attempt(java.util.function.Supplier<T> s, String path) {
        try {
            return Optional.of(s.get());
        } catch (IllegalArgumentException e) {
            error(positions.locate(path), path + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    Optional<Parameter> parameter(Map<?, ?> p, String path) {
        if (!(p.get("name") instanceof String name)) {
            return Optional.empty();
        }
        Ids.variableNameProblem("parameter", name)
                .ifPresent(m -> error(positions.locate(path + ".name"), path + ".name: " + m));
        Optional<ParamValue> def = Optional.ofNullable((ParamValue) p.get("default"));
        boolean secret = p.get("secret") instanceof Boolean b && b;
        boolean required = p.get("required") instanceof Boolean b ? b : Parameter.requiredByDefault(def);
        return Optional.of(new Parameter(name, str(p, "description").orElse(""), def, secret, required));
    }
}
