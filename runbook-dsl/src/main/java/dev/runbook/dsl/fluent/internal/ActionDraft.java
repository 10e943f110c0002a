package dev.runbook.dsl.fluent.internal;

import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.core.model.Step;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** An action step being written; each setter checks its value at once. */
final class ActionDraft implements StepDraft {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final RunbookDraft rb;
    private final String name;
    private final String path;
    private final String action;
    private final Map<String, ParamValue> params = new LinkedHashMap<>();
    private String outputVar;
    private String when;
    private RetryPolicy retry;
    private Duration timeout;
    private String expect;
    private OnFailure onFailure;
    private boolean idempotent;

    ActionDraft(RunbookDraft rb, String name, String path, String action) {
        this.rb = rb;
        this.name = name;
        this.path = path;
        this.action = action;
    }

    @Override
    public String path() {
        return path;
    }

    void param(String key, Object value) {
        if (key == null || key.isBlank()) {
            throw rb.error(path + ".params", "step '" + name + "': parameter key must not be blank");
        }
        if (params.containsKey(key)) {
            throw rb.error(path + ".params." + key, "step '" + name + "': parameter '" + key
                    + "' is already set; give each parameter once");
        }
        params.put(key, Values.toParam(rb, path + ".params." + key, value));
    }

    void params(Map<String, ?> values) {
        if (values == null) {
            throw rb.error(path + ".params", "step '" + name + "': params must not be null");
        }
        values.forEach(this::param);
    }

    void outputVar(String v) {
        once(outputVar, "output_var");
        if (v == null || !IDENTIFIER.matcher(v).matches()) {
            throw rb.error(path + ".output_var", "step '" + name + "': output_var '" + v
                    + "' must be an identifier (letters, digits, _; not starting with a digit)");
        }
        outputVar = v;
    }

    void when(String v) {
        once(when, "when");
        when = rb.expression(path + ".when", v, "step '" + name + "': when");
    }

    void retry(RetryPolicy v) {
        once(retry, "retry");
        if (v == null) {
            throw rb.error(path + ".retry", "step '" + name + "': retry policy must not be null");
        }
        retry = v;
    }

    void retry(int attempts) {
        retry(attempts, RetryPolicy.DEFAULT_BACKOFF);
    }

    void retry(int attempts, Duration backoff) {
        once(retry, "retry");
        if (backoff == null) {
            throw rb.error(path + ".retry", "step '" + name + "': retry backoff must not be null");
        }
        try {
            // The same meaning as YAML's retry: {attempts, backoff}: one definition, in RetryPolicy.
            retry = RetryPolicy.of(attempts, backoff);
        } catch (IllegalArgumentException e) {
            throw rb.error(path + ".retry", "step '" + name + "': " + e.getMessage());
        }
    }

    void timeout(Duration v) {
        once(timeout, "timeout");
        if (v == null || v.isNegative() || v.isZero()) {
            throw rb.error(path + ".timeout", "step '" + name + "': timeout must be positive, got " + v);
        }
        timeout = v;
    }

    void expect(String v) {
        once(expect, "expect");
        expect = rb.expression(path + ".expect", v, "step '" + name + "': expect");
    }

    void idempotent() {
        if (idempotent) {
            throw rb.error(path + ".idempotent", "step '" + name + "': idempotent is already set; give it once");
        }
        idempotent = true;
    }

    void onFailure(OnFailure v) {
        once(onFailure, "on_failure");
        onFailure = Objects.requireNonNull(v, "onFailure");
    }

    private void once(Object current, String field) {
        if (current != null) {
            throw rb.error(path + "." + field, "step '" + name + "': " + field + " is already set; give it once");
        }
    }

    @Override
    public void checkComplete(RunbookDraft rb) {
        // an action step is complete as soon as its action is known
    }

    @Override
    public Step toStep(RunbookDraft rb) {
        return new ActionStep(name, action, new ParamValue.MapValue(params), Optional.ofNullable(outputVar),
                Optional.ofNullable(when), retry == null ? RetryPolicy.none() : retry, Optional.ofNullable(timeout),
                Optional.ofNullable(expect), onFailure == null ? OnFailure.DEFAULT : onFailure, idempotent);
    }
}
