package dev.runbook.dsl.fluent.internal;

import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.dsl.fluent.ActionOptions;
import java.time.Duration;
import java.util.Map;

/** The options of an action step, shared by the top-level, nested and rollback stages. */
abstract class ActionStageBase<S> implements ActionOptions<S> {
    final RunbookDraft rb;
    final ActionDraft draft;

    ActionStageBase(RunbookDraft rb, ActionDraft draft) {
        this.rb = rb;
        this.draft = draft;
    }

    abstract S self();

    @Override
    public S param(String key, Object value) {
        draft.param(key, value);
        return self();
    }

    @Override
    public S params(Map<String, ?> params) {
        draft.params(params);
        return self();
    }

    @Override
    public S outputVar(String name) {
        draft.outputVar(name);
        return self();
    }

    @Override
    public S when(String condition) {
        draft.when(condition);
        return self();
    }

    @Override
    public S retry(int attempts) {
        draft.retry(attempts);
        return self();
    }

    @Override
    public S retry(int attempts, Duration backoff) {
        draft.retry(attempts, backoff);
        return self();
    }

    @Override
    public S retry(RetryPolicy policy) {
        draft.retry(policy);
        return self();
    }

    @Override
    public S timeout(Duration timeout) {
        draft.timeout(timeout);
        return self();
    }

    @Override
    public S expect(String condition) {
        draft.expect(condition);
        return self();
    }

    @Override
    public S onFailure(OnFailure onFailure) {
        draft.onFailure(onFailure);
        return self();
    }

    @Override
    public S idempotent() {
        draft.idempotent();
        return self();
    }
}
