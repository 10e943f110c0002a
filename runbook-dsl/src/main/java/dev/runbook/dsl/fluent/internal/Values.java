package dev.runbook.dsl.fluent.internal;

import dev.runbook.core.model.ParamValue;

/** Converts plain Java values into parameter trees with a located message for a value of the wrong type. */
final class Values {
    private Values() {
    }

    static ParamValue toParam(RunbookDraft rb, String path, Object value) {
        try {
            return ParamValue.of(value);
        } catch (IllegalArgumentException e) {
            throw rb.error(path, e.getMessage());
        }
    }
}
