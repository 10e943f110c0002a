package dev.runbook.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A runbook: when it applies ({@link Trigger}), what guards it ({@link Safety}), what it does
 * ({@link StepGraph}), whom it tells ({@link Notifications}) and how it undoes a failed attempt
 * ({@code rollback}). Immutable; equal runbooks from different front ends are {@code equals}.
 *
 * @param id            unique id, for instance {@code oomkilled-increase-memory-v1}
 * @param name          human-readable title
 * @param version       the author's version string ({@code 1.0})
 * @param author        owner, for instance {@code sre-team}
 * @param description   free text
 * @param labels        labels for selection and reporting
 * @param enabled       a disabled runbook never runs (it still matches, so explanations show it)
 * @param trigger       when it applies
 * @param safety        its guardrails
 * @param steps         the step graph
 * @param notifications on success / on failure
 * @param rollback      steps run, with the variables captured so far, when a step fails with {@link OnFailure#ROLLBACK}
 * @param parameters    values the host supplies (secrets included)
 */
public record Runbook(
        String id,
        String name,
        String version,
        String author,
        String description,
        Map<String, String> labels,
        boolean enabled,
        Trigger trigger,
        Safety safety,
        StepGraph steps,
        Notifications notifications,
        List<Step> rollback,
        List<Parameter> parameters) {

    /** The version of a runbook that gives none. */
    public static final String DEFAULT_VERSION = "1";

    public Runbook {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("runbook id must not be blank");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(description, "description");
        labels = Sets.orderedMap(labels, "labels");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(safety, "safety");
        Objects.requireNonNull(steps, "steps");
        Objects.requireNonNull(notifications, "notifications");
        rollback = List.copyOf(rollback);
        parameters = List.copyOf(parameters);
    }

    /** A builder for a runbook with this id; name defaults to the id, version to {@code 1}. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder pre-filled with this runbook's values. */
    public Builder toBuilder() {
        var b = new Builder(id).name(name).version(version).author(author).description(description).labels(labels)
                .enabled(enabled).trigger(trigger).safety(safety).notifications(notifications);
        b.steps.addAll(steps.steps());
        b.rollback.addAll(rollback);
        b.parameters.addAll(parameters);
        return b;
    }

    /** Builds {@link Runbook}s. */
    public static final class Builder {
        private final String id;
        private String name;
        private String version = DEFAULT_VERSION;
        private String author = "";
        private String description = "";
        private Map<String, String> labels = Map.of();
        private boolean enabled = true;
        private Trigger trigger = Trigger.any();
        private Safety safety = Safety.none();
        private final List<Step> steps = new ArrayList<>();
        private Notifications notifications = Notifications.none();
        private final List<Step> rollback = new ArrayList<>();
        private final List<Parameter> parameters = new ArrayList<>();

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
            this.name = id;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder version(String v) {
            version = v;
            return this;
        }

        public Builder author(String v) {
            author = v;
            return this;
        }

        public Builder description(String v) {
            description = v;
            return this;
        }

        public Builder labels(Map<String, String> v) {
            labels = v;
            return this;
        }

        public Builder enabled(boolean v) {
            enabled = v;
            return this;
        }

        public Builder trigger(Trigger v) {
            trigger = v;
            return this;
        }

        public Builder safety(Safety v) {
            safety = v;
            return this;
        }

        public Builder step(Step v) {
            steps.add(Objects.requireNonNull(v));
            return this;
        }

        public Builder steps(List<? extends Step> v) {
            steps.addAll(v);
            return this;
        }

        public Builder notifications(Notifications v) {
            notifications = v;
            return this;
        }

        public Builder rollbackStep(Step v) {
            rollback.add(Objects.requireNonNull(v));
            return this;
        }

        public Builder parameter(Parameter v) {
            parameters.add(Objects.requireNonNull(v));
            return this;
        }

        public Runbook build() {
            return new Runbook(id, name, version, author, description, labels, enabled, trigger, safety,
                    new StepGraph(steps), notifications, rollback, parameters);
        }
    }
}
