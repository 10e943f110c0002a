package dev.runbook.core.compile;

import dev.runbook.core.model.Notification;
import dev.runbook.core.model.Runbook;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A runbook with every template and expression compiled once, ready to run many times. Produced by
 * {@link RunbookCompiler}; immutable and thread-safe.
 *
 * @param runbook          the model
 * @param steps            the compiled step graph
 * @param rollback         the compiled rollback steps
 * @param onSuccess        compiled success notifications
 * @param onFailure        compiled failure notifications
 * @param outputVars       every output variable any step sets
 * @param secretNames      names of secret parameters (masked in records)
 * @param mutatingSteps    how many steps change something (an upper bound of the actions one execution takes)
 * @param actionNames      names of the actions its steps use
 * @param hostParameters   variables its templates and expressions read that neither its parameters nor its steps
 *                         define, so the host must supply them; each with the first field that reads it
 */
public record CompiledRunbook(Runbook runbook, List<CompiledStep> steps, List<CompiledStep> rollback,
                              List<CompiledNotification> onSuccess, List<CompiledNotification> onFailure,
                              Set<String> outputVars, Set<String> secretNames, int mutatingSteps,
                              Set<String> actionNames, Map<String, String> hostParameters) {
    public CompiledRunbook {
        steps = List.copyOf(steps);
        rollback = List.copyOf(rollback);
        onSuccess = List.copyOf(onSuccess);
        onFailure = List.copyOf(onFailure);
        outputVars = Set.copyOf(outputVars);
        secretNames = Set.copyOf(secretNames);
        actionNames = Set.copyOf(actionNames);
        hostParameters = hostParameters.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hostParameters));
    }

    /** The runbook's id. */
    public String id() {
        return runbook.id();
    }

    /**
     * The same compiled body for another runbook whose body is equal (its id, trigger or metadata differ): what a
     * library stamped from one template compiles once.
     */
    public CompiledRunbook withRunbook(Runbook other) {
        return new CompiledRunbook(other, steps, rollback, onSuccess, onFailure, outputVars, secretNames, mutatingSteps,
                actionNames, hostParameters);
    }

    /**
     * A compiled notification.
     *
     * @param notification the model
     * @param params       its compiled parameters
     */
    public record CompiledNotification(Notification notification, CompiledParams params) {
    }
}
