package dev.runbook.core.compile.internal;

import dev.runbook.core.model.Notifications;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Step;
import dev.runbook.core.model.StepGraph;
import java.util.List;
import java.util.Objects;

/**
 * What a runbook's body is compiled from: runbooks with equal keys compile to equal bodies. The hash walks the
 * whole body, so it is computed once rather than on each map lookup. Libraries stamped from templates repeat bodies,
 * and this key is how a build finds the repeats.
 */
public record BodyKey(List<Parameter> parameters, StepGraph steps, List<Step> rollback, Notifications notifications,
                      int hash) {
    /** The key of this runbook's body. */
    public static BodyKey of(Runbook rb) {
        int h = Objects.hash(rb.parameters(), rb.steps(), rb.rollback(), rb.notifications());
        return new BodyKey(rb.parameters(), rb.steps(), rb.rollback(), rb.notifications(), h);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BodyKey k && hash == k.hash && parameters.equals(k.parameters) && steps.equals(k.steps)
                && rollback.equals(k.rollback) && notifications.equals(k.notifications);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
