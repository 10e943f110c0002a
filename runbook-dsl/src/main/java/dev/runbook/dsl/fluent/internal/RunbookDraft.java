package dev.runbook.dsl.fluent.internal;

import dev.runbook.core.model.Notification;
import dev.runbook.core.model.Notifications;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.StepGraph;
import dev.runbook.core.model.Trigger;
import dev.runbook.dsl.fluent.NotificationStage;
import dev.runbook.dsl.fluent.NotificationTarget;
import dev.runbook.dsl.fluent.RollbackStage;
import dev.runbook.dsl.fluent.RunbookDefinitionException;
import dev.runbook.dsl.fluent.RunbookStage;
import dev.runbook.dsl.fluent.SafetySpec;
import dev.runbook.dsl.fluent.StepStage;
import dev.runbook.dsl.fluent.TriggerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A runbook being written with the DSL: the header stage, and the state every later stage adds to. Defaults are
 * those of {@link Runbook#builder(String)} so that the DSL, the record builders and the file loaders agree.
 */
public final class RunbookDraft implements RunbookStage {
    private final String id;
    private String name;
    private String version = Runbook.DEFAULT_VERSION;
    private String author = "";
    private String description = "";
    private final Map<String, String> labels = new LinkedHashMap<>();
    private boolean enabled = true;
    private Trigger trigger;
    private Safety safety;
    private final List<Parameter> parameters = new ArrayList<>();
    private final StepList steps;
    private final StepList rollback;
    private final List<Notification> onSuccess = new ArrayList<>();
    private final List<Notification> onFailure = new ArrayList<>();

    private RunbookDraft(String id) {
        this.id = id;
        this.name = id;
        this.steps = new StepList(this, "steps", new HashMap<>());
        this.rollback = new StepList(this, "rollback", new HashMap<>());
    }

    /**
     * Starts a runbook with this id.
     *
     * @throws RunbookDefinitionException when the id is blank
     */
    public static RunbookStage start(String id) {
        if (id == null || id.isBlank()) {
            throw new RunbookDefinitionException(String.valueOf(id), "id",
                    "runbook id must not be blank; give a unique id such as oomkilled-increase-memory-v1");
        }
        return new RunbookDraft(id);
    }

    RunbookDefinitionException error(String path, String detail) {
        return new RunbookDefinitionException(id, path, detail);
    }

    String expression(String path, String value, String what) {
        if (value == null || value.isBlank()) {
            throw error(path, what + " must not be blank");
        }
        return value;
    }

    private String text(String path, String value, boolean mayBeEmpty) {
        if (value == null || (!mayBeEmpty && value.isBlank())) {
            throw error(path, path + " must not be " + (value == null ? "null" : "blank"));
        }
        return value;
    }

    @Override
    public RunbookStage name(String v) {
        name = text("name", v, false);
        return this;
    }

    @Override
    public RunbookStage version(String v) {
        version = text("version", v, false);
        return this;
    }

    @Override
    public RunbookStage author(String v) {
        author = text("author", v, true);
        return this;
    }

    @Override
    public RunbookStage description(String v) {
        description = text("description", v, true);
        return this;
    }

    @Override
    public RunbookStage label(String key, String value) {
        if (key == null || key.isBlank()) {
            throw error("labels", "label key must not be blank");
        }
        if (value == null) {
            throw error("labels." + key, "label value must not be null");
        }
        if (labels.putIfAbsent(key, value) != null) {
            throw error("labels." + key, "label '" + key + "' is already set; give each label once");
        }
        return this;
    }

    @Override
    public RunbookStage labels(Map<String, String> v) {
        Objects.requireNonNull(v, "labels").forEach(this::label);
        return this;
    }

    @Override
    public RunbookStage enabled(boolean v) {
        enabled = v;
        return this;
    }

    @Override
    public RunbookStage trigger(Consumer<TriggerSpec> block) {
        if (block == null) {
            throw error("trigger", "the trigger block must not be null");
        }
        var spec = new TriggerSpecImpl(this);
        block.accept(spec);
        return trigger(spec.build());
    }

    @Override
    public RunbookStage trigger(Trigger v) {
        if (trigger != null) {
            throw error("trigger", "trigger is already set; give it once");
        }
        trigger = Objects.requireNonNull(v, "trigger");
        return this;
    }

    @Override
    public RunbookStage safety(Consumer<SafetySpec> block) {
        if (block == null) {
            throw error("safety", "the safety block must not be null");
        }
        var spec = new SafetySpecImpl(this);
        block.accept(spec);
        return safety(spec.build());
    }

    @Override
    public RunbookStage safety(Safety v) {
        if (safety != null) {
            throw error("safety", "safety is already set; give it once");
        }
        safety = Objects.requireNonNull(v, "safety");
        return this;
    }

    @Override
    public RunbookStage parameter(String pname, String pdescription) {
        return parameter(pname, pdescription, Optional.empty(), false, true);
    }

    @Override
    public RunbookStage parameter(String pname, String pdescription, Object defaultValue) {
        String path = "parameters[" + parameters.size() + "].default";
        return parameter(pname, pdescription, Optional.of(Values.toParam(this, path, defaultValue)), false, false);
    }

    @Override
    public RunbookStage optionalParameter(String pname, String pdescription) {
        return parameter(pname, pdescription, Optional.empty(), false, false);
    }

    @Override
    public RunbookStage secret(String pname, String pdescription) {
        return parameter(pname, pdescription, Optional.empty(), true, true);
    }

    private RunbookStage parameter(String pname, String pdescription, Optional<ParamValue> def, boolean secret,
            boolean required) {
        String path = "parameters[" + parameters.size() + "]";
        if (pname == null || pname.isBlank()) {
            throw error(path + ".name", "parameter name must not be blank");
        }
        return parameter(new Parameter(pname, text(path + ".description", pdescription, true), def, secret, required));
    }

    @Override
    public RunbookStage parameter(Parameter p) {
        Objects.requireNonNull(p, "parameter");
        String path = "parameters[" + parameters.size() + "]";
        if (p.name().isBlank()) {
            throw error(path + ".name", "parameter name must not be blank");
        }
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).name().equals(p.name())) {
                throw error(path + ".name", "duplicate parameter '" + p.name() + "' (also at parameters[" + i + "])");
            }
        }
        parameters.add(p);
        return this;
    }

    @Override
    public StepStage step(String stepName) {
        return new TopStages.Step(this, steps, stepName);
    }

    RollbackStage rollback(String stepName) {
        return new RollbackStages.Step(this, rollback, stepName);
    }

    NotificationTarget notifyOnSuccess() {
        return new Target(onSuccess, "notification.on_success");
    }

    NotificationTarget notifyOnFailure() {
        return new Target(onFailure, "notification.on_failure");
    }

    Runbook build() {
        var graph = new StepGraph(steps.toSteps());
        var undo = rollback.toSteps();
        try {
            return new Runbook(id, name, version, author, description, labels, enabled,
                    trigger == null ? Trigger.any() : trigger, safety == null ? Safety.none() : safety, graph,
                    new Notifications(onSuccess, onFailure), undo, parameters);
        } catch (IllegalArgumentException e) {
            throw error("", e.getMessage());
        }
    }

    /** Adds one notification to on_success or on_failure, then offers what may follow notifications. */
    private final class Target implements NotificationTarget {
        private final List<Notification> into;
        private final String base;
        private boolean used;

        Target(List<Notification> into, String base) {
            this.into = into;
            this.base = base;
        }

        @Override
        public NotificationStage slack(String channel, String message) {
            var params = new LinkedHashMap<String, Object>();
            params.put("channel", text(base + ".slack.channel", channel, false));
            params.put("message", text(base + ".slack.message", message, false));
            return notify("slack", params);
        }

        @Override
        public NotificationStage slack(String message) {
            return notify("slack", Map.of("message", text(base + ".slack.message", message, false)));
        }

        @Override
        public NotificationStage notify(String channel, Map<String, ?> params) {
            if (used) {
                throw error(base, "this notification already has a channel; call notifyOnSuccess() or "
                        + "notifyOnFailure() again for another one");
            }
            if (channel == null || channel.isBlank()) {
                throw error(base, "notification channel must not be blank (slack, webhook, or one the host registers)");
            }
            if (params == null) {
                throw error(base + "." + channel, "notification params must not be null");
            }
            var tree = new LinkedHashMap<String, ParamValue>();
            params.forEach((k, v) -> tree.put(k, Values.toParam(RunbookDraft.this, base + "." + channel + "." + k, v)));
            used = true;
            into.add(new Notification(channel, new ParamValue.MapValue(tree)));
            return new AfterNotification();
        }
    }

    private final class AfterNotification implements NotificationStage {
        @Override
        public NotificationTarget notifyOnSuccess() {
            return RunbookDraft.this.notifyOnSuccess();
        }

        @Override
        public NotificationTarget notifyOnFailure() {
            return RunbookDraft.this.notifyOnFailure();
        }

        @Override
        public RollbackStage rollback(String stepName) {
            return RunbookDraft.this.rollback(stepName);
        }

        @Override
        public Runbook build() {
            return RunbookDraft.this.build();
        }
    }
}
