package dev.runbook.neo4j;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;

/** A test action whose body is a lambda: the journal and crash tests script reads, patches and hangs with it. */
final class ScriptedAction implements Action {
    /** What the action does when called. */
    interface Body {
        ActionResult run(ActionContext ctx) throws Exception;
    }

    private final String name;
    private final boolean mutating;
    private final Body body;

    ScriptedAction(String name, boolean mutating, Body body) {
        this.name = name;
        this.mutating = mutating;
        this.body = body;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "scripted test action " + name;
    }

    @Override
    public ParamSchema schema() {
        return ParamSchema.open();
    }

    @Override
    public boolean mutating() {
        return mutating;
    }

    @Override
    public ActionResult execute(ActionContext ctx) throws Exception {
        return body.run(ctx);
    }
}
