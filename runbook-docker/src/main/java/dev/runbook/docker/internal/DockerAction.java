package dev.runbook.docker.internal;

import dev.runbook.core.action.AbstractAction;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.docker.DockerEngineException;

/** Common shape of the Docker actions: engine failures become {@link ActionException}s naming the engine. */
abstract class DockerAction extends AbstractAction {
    protected final Shared shared;

    DockerAction(Shared shared, String name, String description, boolean mutating, ParamSchema schema) {
        super(name, java.util.Set.of(), description, schema, mutating);
        this.shared = shared;
    }

    @Override
    public final ActionResult execute(ActionContext ctx) throws Exception {
        try {
            return run(ctx);
        } catch (DockerEngineException e) {
            throw new ActionException(name() + ": " + e.getMessage(), e.transientFailure(), e);
        }
    }

    abstract ActionResult run(ActionContext ctx) throws Exception;
}
