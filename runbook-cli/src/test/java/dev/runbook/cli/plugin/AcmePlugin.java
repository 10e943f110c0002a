package dev.runbook.cli.plugin;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.action.TouchedResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A custom provider packed into a plugin jar at test time ({@link dev.runbook.cli.PluginJar}); it is registered only
 * by that jar's META-INF/services entry, so the CLI finds it only through {@code --plugins}. It counts its calls so
 * tests can prove what plan called.
 */
public final class AcmePlugin implements ActionProvider {
    /** Every call of acme_scale. */
    public static final AtomicInteger CALLS = new AtomicInteger();
    /** Calls that were not dry runs: a plan must never make one. */
    public static final AtomicInteger REAL_CALLS = new AtomicInteger();

    @Override
    public List<Action> actions() {
        return List.of(new Scale());
    }

    @Override
    public String id() {
        return "acme";
    }

    static final class Scale implements Action {
        @Override
        public String name() {
            return "acme_scale";
        }

        @Override
        public String description() {
            return "Scales an Acme service";
        }

        @Override
        public ParamSchema schema() {
            return ParamSchema.of(ParamSpec.required("service", ParamType.STRING, "the service"),
                    ParamSpec.required("replicas", ParamType.INTEGER, "how many"));
        }

        @Override
        public boolean mutating() {
            return true;
        }

        @Override
        public ActionResult execute(ActionContext ctx) {
            CALLS.incrementAndGet();
            if (!ctx.dryRun()) {
                REAL_CALLS.incrementAndGet();
            }
            var out = new LinkedHashMap<String, Object>();
            out.put("replicas", ctx.integer("replicas"));
            // Shows which target the CLI handed over through system properties.
            out.put("endpoint", System.getProperty("runbook.neo4j.uri", "none"));
            String ns = ctx.incident().resource().namespace();
            return new ActionResult(java.util.Optional.of(out), List.of(new TouchedResource("Deployment", ns,
                    ctx.string("service"), "would scale to " + ctx.integer("replicas") + " replicas")),
                    "scaled " + ctx.string("service"));
        }
    }
}
