package dev.runbook.examples;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.action.WaitCondition;
import dev.runbook.core.action.WaitConditionProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny simulated cluster for the demo: deployments with one container's memory limit, and pods that
 * become ready once their deployment was patched. It stands in for runbook-k8s (kubectl_get, kubectl_patch,
 * the {@code pod/NAME ready} wait) and runbook-neo4j (check_neo4j) until those modules ship; the runbooks
 * are written exactly as they will run against the real ones.
 */
public final class SimulatedCluster implements ActionProvider, WaitConditionProvider {
    private final Map<String, String> deploymentMemory = new ConcurrentHashMap<>();
    private final Map<String, String> podToDeployment = new ConcurrentHashMap<>();
    private final Map<String, Boolean> podReady = new ConcurrentHashMap<>();
    private final Map<String, Integer> failuresAfterPatch = new ConcurrentHashMap<>();
    private final Map<String, Boolean> patched = new ConcurrentHashMap<>();

    /** Adds a deployment with one pod and a memory limit. */
    public SimulatedCluster deployment(String deployment, String pod, String memory) {
        deploymentMemory.put(deployment, memory);
        podToDeployment.put(pod, deployment);
        podReady.put(pod, false);
        return this;
    }

    /** Memory limit of a deployment now. */
    public String memoryOf(String deployment) {
        return deploymentMemory.get(deployment);
    }

    /** After a real patch of this deployment, the verification query finds this many new failures. */
    public SimulatedCluster failuresAfterPatch(String deployment, int n) {
        failuresAfterPatch.put(deployment, n);
        return this;
    }

    @Override
    public String id() {
        return "demo simulated cluster";
    }

    @Override
    public List<Action> actions() {
        return List.of(get, patch, checkNeo4j);
    }

    @Override
    public Optional<WaitCondition> parse(String condition) {
        var m = java.util.regex.Pattern.compile("pod/(\\S+) ready").matcher(condition.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        String pod = m.group(1);
        return Optional.of(new WaitCondition() {
            @Override
            public String description() {
                return condition;
            }

            @Override
            public boolean isMet(ActionContext ctx) {
                return ctx.dryRun() || podReady.getOrDefault(pod, false);
            }
        });
    }

    private final Action get = new Base("kubectl_get", false, ParamSchema.of(
            ParamSpec.required("resource", ParamType.STRING, "kind"),
            ParamSpec.required("name", ParamType.STRING, "name"),
            ParamSpec.optional("namespace", ParamType.STRING, "namespace"),
            ParamSpec.optional("field", ParamType.STRING, "field path"))) {
        @Override
        public ActionResult execute(ActionContext ctx) throws ActionException {
            String pod = ctx.string("name");
            String deployment = podToDeployment.get(pod);
            if (deployment == null) {
                throw ActionException.permanent("pod " + pod + " not found");
            }
            return ActionResult.of(deploymentMemory.get(deployment));
        }
    };

    private final Action patch = new Base("kubectl_patch", true, ParamSchema.of(
            ParamSpec.required("resource", ParamType.STRING, "kind"),
            ParamSpec.required("name", ParamType.STRING, "name"),
            ParamSpec.optional("namespace", ParamType.STRING, "namespace"),
            ParamSpec.required("patch", ParamType.MAP, "patch"))) {
        @Override
        @SuppressWarnings("unchecked")
        public ActionResult execute(ActionContext ctx) throws ActionException {
            String name = ctx.string("name");
            if (!deploymentMemory.containsKey(name)) {
                throw ActionException.permanent("deployment " + name + " not found");
            }
            Object memory;
            try {
                var spec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ctx.map("patch").get("spec"))
                        .get("template")).get("spec");
                var container = (Map<String, Object>) ((List<Object>) spec.get("containers")).get(0);
                memory = ((Map<String, Object>) ((Map<String, Object>) container.get("resources")).get("limits")).get("memory");
            } catch (RuntimeException e) {
                throw ActionException.permanent("the simulated cluster only understands memory-limit patches");
            }
            String before = deploymentMemory.get(name);
            String after = String.valueOf(memory);
            if (!ctx.dryRun()) {
                deploymentMemory.put(name, after);
                patched.put(name, true);
                podToDeployment.forEach((pod, dep) -> {
                    if (dep.equals(name)) {
                        podReady.put(pod, true); // the simulated controller restarts the pod, and it becomes ready
                    }
                });
            }
            String ns = ctx.optionalString("namespace").orElse("default");
            return ActionResult.of(after)
                    .touching(new TouchedResource("Deployment", ns, name, "memory " + before + " -> " + after))
                    .withSummary((ctx.dryRun() ? "would set" : "set") + " memory of deployment " + name + " "
                            + before + " -> " + after);
        }
    };

    private final Action checkNeo4j = new Base("check_neo4j", false, ParamSchema.of(
            ParamSpec.required("query", ParamType.STRING, "Cypher query"))) {
        @Override
        public ActionResult execute(ActionContext ctx) {
            String deployment = ctx.incident().resource().controller().orElse("");
            long failures = patched.getOrDefault(deployment, false) ? failuresAfterPatch.getOrDefault(deployment, 0) : 0;
            return ActionResult.of(Map.of("new_failures", failures));
        }
    };

    private abstract static class Base implements Action {
        private final String name;
        private final boolean mutating;
        private final ParamSchema schema;

        Base(String name, boolean mutating, ParamSchema schema) {
            this.name = name;
            this.mutating = mutating;
            this.schema = schema;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "simulated " + name;
        }

        @Override
        public ParamSchema schema() {
            return schema;
        }

        @Override
        public boolean mutating() {
            return mutating;
        }
    }
}
