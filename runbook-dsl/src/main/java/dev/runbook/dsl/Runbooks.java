package dev.runbook.dsl;

import dev.runbook.core.model.ParamValue;
import dev.runbook.dsl.fluent.RunbookDefinitionException;
import dev.runbook.dsl.fluent.RunbookStage;
import dev.runbook.dsl.fluent.internal.RunbookDraft;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * The Java DSL: runbooks written in a host's code that give the same model (and {@code equals} step graphs) as
 * the YAML and Markdown files. Each stage offers only what may come next: a step needs an action or a branch
 * before its options, a branch needs its {@code then} steps, and {@code build()} is offered only once the runbook
 * has a step. The order is header, steps, notifications, rollback. Every value is checked when it is given, and a
 * mistake throws a {@link RunbookDefinitionException} naming the runbook and the place ({@code steps[2].params.patch}).
 *
 * <pre>{@code
 * Runbook rb = Runbooks.runbook("oomkilled-increase-memory-v1")
 *     .name("Auto-remediate OOMKilled by increasing memory").version("1.0").author("sre-team")
 *     .trigger(t -> t.rootCause("OOMKilled").symptoms("CrashLoopBackOff", "BackOff", "Error")
 *             .minConfidence(0.80).resourceKinds("Pod"))
 *     .safety(s -> s.requireApproval(false).maxExecutionsPerHour(5).blastRadiusLimit(10).dryRunFirst(true))
 *     .step("Get current memory limit").action("kubectl_get")
 *         .param("resource", "pod").param("name", "{{ incident.resource.name }}")
 *         .param("field", "spec.containers[0].resources.limits.memory")
 *         .outputVar("current_memory")
 *     .step("Update Deployment memory limit").action("kubectl_patch")
 *         .param("resource", "deployment").param("name", "{{ incident.resource.controller }}")
 *         .param("patch", map("spec", map("template", map("spec", map("containers", list(
 *                 map("name", "{{ incident.resource.container_name }}",
 *                     "resources", map("limits", map("memory", "{{ new_memory }}")))))))))
 *     .step("Scale out if still failing").branch("current_memory == null")
 *         .then(t -> t.step("Scale").action("scale-service").param("replicas", 3))
 *         .otherwise(o -> o.step("Chain").runRunbook("oomkilled-page-oncall-v1"))
 *     .step("Verify").action("check_neo4j").param("query", "...").expect("new_failures == 0")
 *     .notifyOnSuccess().slack("#incidents", "Auto-remediated {{ incident.resource.name }}")
 *     .notifyOnFailure().notify("webhook", Map.of("message", "{{ error_message }}"))
 *     .rollback("Revert memory change").action("kubectl_patch").param("resource", "deployment")
 *     .build();
 * }</pre>
 *
 * <p>Unset header fields keep the model's defaults: name = id, version {@code 1}, empty author and description,
 * enabled, a trigger that matches everything, no safety limits.
 */
public final class Runbooks {
    private Runbooks() {
    }

    /**
     * Starts a runbook with this id.
     *
     * @throws RunbookDefinitionException when the id is blank
     */
    public static RunbookStage runbook(String id) {
        return RunbookDraft.start(id);
    }

    /**
     * A parameter map from key/value pairs in written order, for nested params such as a patch or a manifest:
     * {@code map("metadata", map("name", "regcred"), "type", "kubernetes.io/dockerconfigjson")}. Values are
     * strings, numbers, booleans, {@code null}, lists, maps or parameter trees.
     *
     * @throws IllegalArgumentException for an odd number of arguments, a non-string, blank or repeated key, or a
     *                                  value of another type
     */
    public static ParamValue.MapValue map(String key, Object value, Object... more) {
        if (more.length % 2 != 0) {
            throw new IllegalArgumentException("map(..) takes key/value pairs, but the value of key '"
                    + more[more.length - 1] + "' is missing");
        }
        var entries = new LinkedHashMap<String, ParamValue>();
        put(entries, key, value);
        for (int i = 0; i < more.length; i += 2) {
            if (!(more[i] instanceof String k)) {
                throw new IllegalArgumentException("map(..) keys must be strings, got " + more[i] + " at argument "
                        + (i + 3));
            }
            put(entries, k, more[i + 1]);
        }
        return new ParamValue.MapValue(entries);
    }

    /** The empty parameter map. */
    public static ParamValue.MapValue map() {
        return ParamValue.MapValue.empty();
    }

    private static void put(LinkedHashMap<String, ParamValue> entries, String key, Object value) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("map(..) keys must not be blank");
        }
        if (entries.containsKey(key)) {
            throw new IllegalArgumentException("map(..) key '" + key + "' is given twice");
        }
        try {
            entries.put(key, ParamValue.of(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("map(..) value of key '" + key + "': " + e.getMessage(), e);
        }
    }

    /**
     * A parameter list in written order, for instance the containers of a patch. Items follow the rules of
     * {@link #map}.
     *
     * @throws IllegalArgumentException for an item of another type
     */
    public static ParamValue.ListValue list(Object... items) {
        var out = new ArrayList<ParamValue>(items.length);
        for (int i = 0; i < items.length; i++) {
            try {
                out.add(ParamValue.of(items[i]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("list(..) item " + i + ": " + e.getMessage(), e);
            }
        }
        return new ParamValue.ListValue(out);
    }
}
