package dev.runbook.neo4j;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.TouchedResource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A small mutating test action standing in for a real remediation (kubectl lives in runbook-k8s): it records
 * each real call, touches the incident's pod, and runs a hook on real calls only (dry runs change nothing).
 */
final class TestAction implements Action {
    private final String name;
    private final Consumer<ActionContext> onRealRun;
    final List<String> realCalls = new CopyOnWriteArrayList<>();

    TestAction(String name, Consumer<ActionContext> onRealRun) {
        this.name = name;
        this.onRealRun = onRealRun;
    }

    TestAction(String name) {
        this(name, ctx -> {
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "test stand-in for a remediation: " + name;
    }

    @Override
    public ParamSchema schema() {
        return ParamSchema.open();
    }

    @Override
    public boolean mutating() {
        return true;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        var pod = ctx.incident().resource();
        var touched = new TouchedResource(pod.kind(), pod.namespace(), pod.name(), name);
        if (ctx.dryRun()) {
            return ActionResult.empty().touching(touched).withSummary("would " + name + " " + pod.name());
        }
        realCalls.add(ctx.incident().incidentId());
        onRealRun.accept(ctx);
        return ActionResult.of("done").touching(touched).withSummary(name + " " + pod.name());
    }
}
