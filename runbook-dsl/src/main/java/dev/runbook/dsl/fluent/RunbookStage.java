package dev.runbook.dsl.fluent;

import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A runbook's header: everything but its steps. It offers no {@code build()}: a runbook needs at least one
 * {@link #step(String) step} first. Unset fields keep the model's defaults: name = id, version {@code 1}, empty
 * author and description, no labels, enabled, a trigger that matches every incident, no safety limits.
 */
public interface RunbookStage {

    /** Human-readable title. */
    RunbookStage name(String name);

    /** The author's version string, for instance {@code 1.0}. */
    RunbookStage version(String version);

    /** Owner, for instance {@code sre-team}. */
    RunbookStage author(String author);

    /** Free text. */
    RunbookStage description(String description);

    /** Adds a label for selection and reporting; keys must not repeat. */
    RunbookStage label(String key, String value);

    /** Adds labels, in the map's order. */
    RunbookStage labels(Map<String, String> labels);

    /** A disabled runbook never runs (it still matches, so explanations show it). */
    RunbookStage enabled(boolean enabled);

    /**
     * When the runbook applies, for instance
     * {@code t -> t.rootCause("OOMKilled").minConfidence(0.80).resourceKinds("Pod")}. Given once.
     *
     * @throws RunbookDefinitionException for out-of-range or blank values, or when the trigger is already set
     */
    RunbookStage trigger(Consumer<TriggerSpec> trigger);

    /** A trigger built elsewhere. */
    RunbookStage trigger(Trigger trigger);

    /**
     * The runbook's guardrails, for instance {@code s -> s.requireApproval(true).maxExecutionsPerHour(5)}. Given once.
     *
     * @throws RunbookDefinitionException for out-of-range values, or when the safety is already set
     */
    RunbookStage safety(Consumer<SafetySpec> safety);

    /** Guardrails built elsewhere. */
    RunbookStage safety(Safety safety);

    /** A required parameter the host must supply; templates read it as a variable of this name. */
    RunbookStage parameter(String name, String description);

    /** An optional parameter with a default value (string, number, boolean, list or map). */
    RunbookStage parameter(String name, String description, Object defaultValue);

    /** An optional parameter without default. */
    RunbookStage optionalParameter(String name, String description);

    /** A required secret: masked ({@code ***}) in recorded parameters and the audit trail. */
    RunbookStage secret(String name, String description);

    /** Any parameter, for instance a secret with a default; names must not repeat. */
    RunbookStage parameter(Parameter parameter);

    /**
     * Starts the first step, named {@code name}.
     *
     * @throws RunbookDefinitionException for a blank name
     */
    StepStage step(String name);
}
