package dev.runbook.core.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A step that calls one action.
 *
 * @param name      unique name within the runbook
 * @param action    the action's name or alias, for instance {@code kubectl_patch}
 * @param params    parameter tree; string leaves may be {@code {{ }}} templates
 * @param outputVar variable that receives the action's output for later steps
 * @param when      condition under which the step runs
 * @param retry     attempts and backoff
 * @param timeout   limit for one attempt
 * @param expect    condition over the step's result that must hold, or the step fails
 * @param onFailure what a failure does to the execution
 * @param idempotent whether running the step again after it may have partly run gives the same result (set the
 *                   memory to 512Mi, not double it); recovery may resume such steps when the runbook allows it
 */
public record ActionStep(
        String name,
        String action,
        ParamValue.MapValue params,
        Optional<String> outputVar,
        Optional<String> when,
        RetryPolicy retry,
        Optional<Duration> timeout,
        Optional<String> expect,
        OnFailure onFailure,
        boolean idempotent) implements Step {

    public ActionStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(outputVar, "outputVar");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(onFailure, "onFailure");
    }

    /** A builder for a step named {@code name} calling {@code action}. */
    public static Builder builder(String name, String action) {
        return new Builder(name, action);
    }

    /** Builds {@link ActionStep}s; defaults: no params, no retry, no timeout, on failure roll back. */
    public static final class Builder {
        private final String name;
        private final String action;
        private ParamValue.MapValue params = ParamValue.MapValue.empty();
        private String outputVar;
        private String when;
        private RetryPolicy retry = RetryPolicy.none();
        private Duration timeout;
        private String expect;
        private OnFailure onFailure = OnFailure.DEFAULT;
        private boolean idempotent;

        private Builder(String name, String action) {
            this.name = Objects.requireNonNull(name, "name");
            this.action = Objects.requireNonNull(action, "action");
        }

        public Builder params(ParamValue.MapValue params) {
            this.params = Objects.requireNonNull(params, "params");
            return this;
        }

        public Builder params(java.util.Map<String, ?> params) {
            return params(ParamValue.mapOf(params));
        }

        public Builder param(String key, Object value) {
            var copy = new java.util.LinkedHashMap<>(params.entries());
            copy.put(key, ParamValue.of(value));
            this.params = new ParamValue.MapValue(copy);
            return this;
        }

        public Builder outputVar(String outputVar) {
            this.outputVar = outputVar;
            return this;
        }

        public Builder when(String when) {
            this.when = when;
            return this;
        }

        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        public Builder timeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public Builder expect(String expect) {
            this.expect = expect;
            return this;
        }

        public Builder onFailure(OnFailure onFailure) {
            this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
            return this;
        }

        /** Declares the step safe to run again after it may have partly run (default false). */
        public Builder idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        public ActionStep build() {
            return new ActionStep(name, action, params, Optional.ofNullable(outputVar), Optional.ofNullable(when),
                    retry, Optional.ofNullable(timeout), Optional.ofNullable(expect), onFailure, idempotent);
        }
    }
}
