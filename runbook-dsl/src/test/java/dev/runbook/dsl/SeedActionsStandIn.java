package dev.runbook.dsl;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import java.util.List;

/**
 * Stand-in with the parameter schemas runbook-k8s/runbook-neo4j/runbook-docker will have, so the seed's runbooks can be loaded and
 * validated here. Never executed: loading only reads names and schemas. Registered for tests through
 * {@code META-INF/services}; core's BuiltinActions supplies calculate, wait, webhook and slack_notify.
 */
public final class SeedActionsStandIn implements ActionProvider {
    private static Action action(String name, boolean mutating, ParamSpec... params) {
        return new Action() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "stand-in for " + name;
            }

            @Override
            public ParamSchema schema() {
                return ParamSchema.of(params);
            }

            @Override
            public boolean mutating() {
                return mutating;
            }

            @Override
            public ActionResult execute(ActionContext context) {
                throw new UnsupportedOperationException("stand-in for loader tests; never executed");
            }
        };
    }

    private static ParamSpec req(String n, ParamType t) {
        return ParamSpec.required(n, t, n);
    }

    private static ParamSpec opt(String n, ParamType t) {
        return ParamSpec.optional(n, t, n);
    }

    @Override
    public List<Action> actions() {
        var s = ParamType.STRING;
        return List.of(
                action("kubectl_get", false, req("resource", s), req("name", s), opt("namespace", s), opt("field", s)),
                action("kubectl_patch", true, req("resource", s), opt("name", s), opt("namespace", s),
                        req("patch", ParamType.MAP), opt("type", s)),
                action("kubectl_apply", true, req("manifest", ParamType.MAP), opt("namespace", s)),
                action("kubectl_rollout_restart", true, req("resource", s), opt("namespace", s)),
                action("kubectl_rollout_undo", true, req("resource", s), opt("namespace", s),
                        opt("to_revision", ParamType.INTEGER)),
                action("kubectl_cordon", true, req("node", s)),
                action("kubectl_drain", true, req("node", s), opt("ignore_daemonsets", ParamType.BOOLEAN),
                        opt("delete_emptydir_data", ParamType.BOOLEAN), opt("timeout", ParamType.DURATION)),
                action("check_neo4j", false, req("query", s), opt("params", ParamType.MAP)),
                // seed 002's Docker executor and monitor tools (runbook-docker will provide the real ones)
                action("restart-container", true, req("container", s)),
                action("scale-service", true, req("service", s), req("replicas", ParamType.INTEGER)),
                action("update-env-vars", true, req("container", s), req("env", ParamType.MAP)),
                action("rollback-deployment", true, req("container", s)),
                action("container-metrics", false, req("container", s)),
                action("container-logs", false, req("container", s), opt("tail", ParamType.INTEGER), opt("since", s)));
    }

    @Override
    public String id() {
        return "seed-actions-stand-in";
    }
}
