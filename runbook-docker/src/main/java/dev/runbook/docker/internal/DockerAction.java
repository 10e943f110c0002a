package dev.runbook.docker.internal;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.docker.DockerEngineException;

/** Common shape of the Docker actions: engine failures become {@link ActionException}s naming the engine. */
abstract class DockerAction implements Action {
    private final String name;
    private final String description;
    private final ParamSchema schema;
    private final boolean mutating;
    protected final Shared shared;

    DockerAction(Shared shared, String name, String description, boolean mutating, ParamSchema schema) {
        this.shared = shared;
        this.name = name;
        this.description = description;
        this.mutating = mutating;
        this.schema = schema;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final ParamSchema schema() {
        return schema;
    }

    @Override
    public final boolean mutating() {
        return mutating;
    }

    @Override
    public final ActionResult execute(ActionContext ctx) throws Exception {
        try {
            return run(ctx);
        } catch (DockerEngineException e) {
            throw new ActionException(name + ": " + e.getMessage(), e.transientFailure(), e);
        }
    }

    abstract ActionResult run(ActionContext ctx) throws Exception;
}
