package dev.runbook.dsl.internal;

import static dev.runbook.dsl.internal.YamlNodes.bool;
import static dev.runbook.dsl.internal.YamlNodes.duration;
import static dev.runbook.dsl.internal.YamlNodes.integer;
import static dev.runbook.dsl.internal.YamlNodes.map;
import static dev.runbook.dsl.internal.YamlNodes.number;
import static dev.runbook.dsl.internal.YamlNodes.putList;
import static dev.runbook.dsl.internal.YamlNodes.putOneOrList;
import static dev.runbook.dsl.internal.YamlNodes.putText;
import static dev.runbook.dsl.internal.YamlNodes.seq;
import static dev.runbook.dsl.internal.YamlNodes.str;
import static dev.runbook.dsl.internal.YamlNodes.strings;
import static dev.runbook.dsl.internal.YamlNodes.value;

import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Step;
import dev.runbook.core.model.Trigger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.StreamDataWriter;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.NonPrintableStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * Writes a {@link Runbook} as the YAML that {@link RunbookNodeReader} reads back into an {@code equals} model. It
 * builds a node tree (every string a {@link Tag#STR} node) and lets snakeyaml-engine's emitter quote it, so no text
 * of the runbook is ever spliced into YAML. Keys come in the order of {@link Defs}; values equal to the defaults the
 * reader applies (which live in the core model) are left out.
 */
public final class YamlWriter {

    private final DumpSettings settings = DumpSettings.builder()
            .setSchema(new JsonSchema())
            .setUseUnicodeEncoding(true)
            .setNonPrintableStyle(NonPrintableStyle.ESCAPE)
            .setSplitLines(false)
            .setWidth(Integer.MAX_VALUE / 2)
            .setIndent(2)
            .setIndicatorIndent(2)
            .setIndentWithIndicator(true)
            .setMaxSimpleKeyLength(1024)
            .build();

    /**
     * The runbook as a YAML file.
     *
     * @throws IllegalArgumentException when the model holds something a runbook file cannot say, naming where
     */
    public String write(Runbook rb) {
        Node root = map(Defs.FILE, Map.of("runbook", runbook(rb)));
        var out = new StringBuilder();
        new Dump(settings).dumpNode(root, new StreamDataWriter() {
            @Override
            public void write(String str) {
                out.append(str);
            }

            @Override
            public void write(String str, int off, int len) {
                out.append(str, off, off + len);
            }
        });
        return out.toString();
    }

    private Node runbook(Runbook rb) {
        var m = new LinkedHashMap<String, Node>();
        m.put("id", str(rb.id()));
        if (!rb.name().equals(rb.id())) {
            m.put("name", str(rb.name()));
        }
        putText(m, "version", rb.version(), Runbook.DEFAULT_VERSION);
        putText(m, "author", rb.author(), "");
        putText(m, "description", rb.description(), "");
        if (!rb.labels().isEmpty()) {
            m.put("labels", strings(rb.labels()));
        }
        if (!rb.enabled()) {
            m.put("enabled", bool(false));
        }
        if (!rb.trigger().equals(Trigger.any())) {
            m.put("trigger", trigger(rb.trigger()));
        }
        if (!rb.safety().equals(Safety.none())) {
            m.put("safety", safety(rb.safety()));
        }
        if (!rb.parameters().isEmpty()) {
            var items = new ArrayList<Node>();
            rb.parameters().forEach(p -> items.add(parameter(p)));
            m.put("parameters", seq(items, FlowStyle.BLOCK));
        }
        m.put("steps", steps(rb.steps().steps(), "steps"));
        var n = rb.notifications();
        if (!n.onSuccess().isEmpty() || !n.onFailure().isEmpty()) {
            var nm = new LinkedHashMap<String, Node>();
            if (!n.onSuccess().isEmpty()) {
                nm.put("on_success", channels(n.onSuccess(), "notification.on_success"));
            }
            if (!n.onFailure().isEmpty()) {
                nm.put("on_failure", channels(n.onFailure(), "notification.on_failure"));
            }
            m.put("notification", map(Defs.NOTIFICATION, nm));
        }
        if (!rb.rollback().isEmpty()) {
            m.put("rollback", steps(rb.rollback(), "rollback"));
        }
        return map(Defs.RUNBOOK, m);
    }

    private Node trigger(Trigger t) {
        Trigger d = Trigger.any();
        var m = new LinkedHashMap<String, Node>();
        putOneOrList(m, "root_cause_reason", t.rootCauseReasons());
        putOneOrList(m, "symptom_reason", t.symptomReasons());
        if (Double.compare(t.minConfidence(), d.minConfidence()) != 0) {
            m.put("min_confidence", number(t.minConfidence()));
        }
        putList(m, "affected_resource_kinds", t.resourceKinds());
        putList(m, "namespaces", t.namespaces());
        putList(m, "clusters", t.clusters());
        if (!t.labels().isEmpty()) {
            m.put("labels", strings(t.labels()));
        }
        t.when().ifPresent(w -> m.put("when", str(w)));
        return map(Defs.TRIGGER, m);
    }

    private Node safety(Safety s) {
        Safety d = Safety.none();
        var m = new LinkedHashMap<String, Node>();
        if (s.requireApproval() != d.requireApproval()) {
            m.put("require_approval", bool(s.requireApproval()));
        }
        s.maxExecutionsPerHour().ifPresent(v -> m.put("max_executions_per_hour", integer(v)));
        s.blastRadiusLimit().ifPresent(v -> m.put("blast_radius_limit", integer(v)));
        if (s.dryRunFirst() != d.dryRunFirst()) {
            m.put("dry_run_first", bool(s.dryRunFirst()));
        }
        if (Double.compare(s.minConfidence(), d.minConfidence()) != 0) {
            m.put("min_confidence", number(s.minConfidence()));
        }
        s.cooldown().ifPresent(v -> m.put("cooldown", duration(v)));
        s.minActionSpacing().ifPresent(v -> m.put("min_action_spacing", duration(v)));
        s.maxExecutionsPerResourcePerHour().ifPresent(v -> m.put("max_executions_per_resource_per_hour", integer(v)));
        s.maxActionsPerHour().ifPresent(v -> m.put("max_actions_per_hour", integer(v)));
        if (!s.maxActionPerResourcePerHour().isEmpty()) {
            var tuples = new ArrayList<NodeTuple>();
            s.maxActionPerResourcePerHour().forEach((k, v) -> tuples.add(new NodeTuple(str(k), integer(v))));
            m.put("max_action_per_resource_per_hour", new MappingNode(Tag.MAP, tuples, FlowStyle.BLOCK));
        }
        putList(m, "allowed_namespaces", s.allowedNamespaces());
        s.replicas().ifPresent(r -> m.put("replicas", map(Defs.REPLICAS,
                Map.of("min", integer(r.min()), "max", integer(r.max())), FlowStyle.FLOW)));
        putList(m, "env_whitelist", s.envWhitelist());
        if (s.resumeOnRecovery() != d.resumeOnRecovery()) {
            m.put("resume_on_recovery", bool(s.resumeOnRecovery()));
        }
        s.pauseAfter().ifPresent(p -> m.put("pause_after", map(Defs.PAUSE_AFTER,
                Map.of("failures", integer(p.failures()), "within", duration(p.within())), FlowStyle.FLOW)));
        return map(Defs.SAFETY, m);
    }

    private Node parameter(Parameter p) {
        var m = new LinkedHashMap<String, Node>();
        m.put("name", str(p.name()));
        putText(m, "description", p.description(), "");
        p.defaultValue().ifPresent(v -> m.put("default", value(v)));
        if (p.secret()) {
            m.put("secret", bool(true));
        }
        if (p.required() != Parameter.requiredByDefault(p.defaultValue())) {
            m.put("required", bool(p.required()));
        }
        return map(Defs.PARAMETER, m);
    }

    private Node channels(List<Notification> list, String path) {
        var tuples = new ArrayList<NodeTuple>();
        var seen = new HashSet<String>();
        for (Notification n : list) {
            if (!seen.add(n.channel())) {
                throw new IllegalArgumentException(path + ": two '" + n.channel() + "' notifications; a runbook file "
                        + "maps each channel to one notification, so merge them or use another channel");
            }
            tuples.add(new NodeTuple(str(n.channel()), value(n.params())));
        }
        return new MappingNode(Tag.MAP, tuples, FlowStyle.BLOCK);
    }

    private Node steps(List<Step> steps, String path) {
        var items = new ArrayList<Node>();
        for (int i = 0; i < steps.size(); i++) {
            String p = path + "[" + i + "]";
            items.add(steps.get(i) instanceof ActionStep a ? action(a, p) : branch((BranchStep) steps.get(i), p));
        }
        return seq(items, FlowStyle.BLOCK);
    }

    private Node action(ActionStep s, String path) {
        var m = new LinkedHashMap<String, Node>();
        m.put("name", str(s.name()));
        m.put("action", str(s.action()));
        if (!s.params().entries().isEmpty()) {
            s.params().entries().forEach((k, v) -> documentKeyCheck(k, v, path + ".params." + k));
            m.put("params", value(s.params()));
        }
        s.outputVar().ifPresent(v -> m.put("output_var", str(v)));
        s.when().ifPresent(v -> m.put("when", str(v)));
        retry(s.retry()).ifPresent(v -> m.put("retry", v));
        s.timeout().ifPresent(v -> m.put("timeout", duration(v)));
        s.expect().ifPresent(v -> m.put("expect", str(v)));
        if (s.onFailure() != OnFailure.DEFAULT) {
            m.put("on_failure", str(s.onFailure().yamlName()));
        }
        if (s.idempotent()) {
            m.put("idempotent", bool(true));
        }
        return map(Defs.ACTION_STEP, m);
    }

    /** The shortest form the reader turns back into this policy: nothing, {@code retry: N}, or the object form. */
    private Optional<Node> retry(RetryPolicy r) {
        if (r.equals(RetryPolicy.none())) {
            return Optional.empty();
        }
        if (r.equals(RetryPolicy.attempts(r.maxAttempts()))) {
            return Optional.of(integer(r.maxAttempts()));
        }
        var m = new LinkedHashMap<String, Node>();
        m.put("attempts", integer(r.maxAttempts()));
        if (!r.initialBackoff().equals(RetryPolicy.DEFAULT_BACKOFF)) {
            m.put("backoff", duration(r.initialBackoff()));
        }
        RetryPolicy implied = RetryPolicy.of(r.maxAttempts(), r.initialBackoff());
        if (Double.compare(r.multiplier(), implied.multiplier()) != 0) {
            m.put("multiplier", number(r.multiplier()));
        }
        if (!r.maxBackoff().equals(implied.maxBackoff())) {
            m.put("max_backoff", duration(r.maxBackoff()));
        }
        return Optional.of(map(Defs.RETRY, m, FlowStyle.FLOW));
    }

    private Node branch(BranchStep b, String path) {
        var m = new LinkedHashMap<String, Node>();
        m.put("name", str(b.name()));
        m.put("if", str(b.condition()));
        if (!b.then().isEmpty()) {
            m.put("then", steps(b.then(), path + ".then"));
        }
        if (!b.otherwise().isEmpty()) {
            m.put("else", steps(b.otherwise(), path + ".else"));
        }
        b.when().ifPresent(v -> m.put("when", str(v)));
        if (b.onFailure() != OnFailure.DEFAULT) {
            m.put("on_failure", str(b.onFailure().yamlName()));
        }
        return map(Defs.BRANCH_STEP, m);
    }

    /**
     * The reader turns the text of a {@code patch}, {@code manifest} or {@code body} param into a tree when it parses
     * as one, and refuses it when it is broken YAML: such text cannot be written as text.
     */
    private static void documentKeyCheck(String key, ParamValue v, String path) {
        if (!RunbookNodeReader.DOCUMENT_KEYS.contains(key) || !(v instanceof ParamValue.Scalar s)
                || !(s.value() instanceof String text) || text.isBlank()) {
            return;
        }
        var problems = new ArrayList<dev.runbook.dsl.Diagnostic>();
        Optional<Node> doc = YamlText.compose(text, path, Long.MAX_VALUE / 4, new ExpansionBudget(Long.MAX_VALUE / 4),
                PositionMapper.identity(), path, problems);
        if (!problems.isEmpty() || doc.filter(n -> n instanceof MappingNode || n instanceof SequenceNode).isPresent()) {
            throw new IllegalArgumentException(path + ": this text would be read back as a YAML document (or refused "
                    + "as broken YAML), not as text; give the param as a map or list instead");
        }
    }
}
