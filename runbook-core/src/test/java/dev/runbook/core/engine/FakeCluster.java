package dev.runbook.core.engine;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.action.TouchedResource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test actions standing in for kubectl and check_neo4j (named so: the real ones live in runbook-k8s and
 * runbook-neo4j): an in-memory map of deployment memory limits that the actions read and patch.
 */
final class FakeCluster {
    final Map<String, String> memoryLimits = new ConcurrentHashMap<>();
    final List<String> patches = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger newFailures = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    Action kubectlGet() {
        return new Simple("kubectl_get", false, ParamSchema.of(
                ParamSpec.required("resource", ParamType.STRING, "kind"),
                ParamSpec.required("name", ParamType.STRING, "name"),
                ParamSpec.optional("namespace", ParamType.STRING, "namespace"),
                ParamSpec.optional("field", ParamType.STRING, "field path"))) {
            @Override
            public ActionResult execute(ActionContext ctx) throws ActionException {
                calls.incrementAndGet();
                String name = ctx.string("name");
                String value = memoryLimits.get(name);
                if (value == null) {
                    throw ActionException.permanent("pod " + name + " not found");
                }
                return ActionResult.of(value);
            }
        };
    }

    Action kubectlPatch() {
        return new Simple("kubectl_patch", true, ParamSchema.of(
                ParamSpec.required("resource", ParamType.STRING, "kind"),
                ParamSpec.required("name", ParamType.STRING, "name"),
                ParamSpec.optional("namespace", ParamType.STRING, "namespace"),
                ParamSpec.required("patch", ParamType.MAP, "patch"))) {
            @Override
            @SuppressWarnings("unchecked")
            public ActionResult execute(ActionContext ctx) {
                calls.incrementAndGet();
                String name = ctx.string("name");
                var patch = ctx.map("patch");
                var spec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) patch.get("spec")).get("template")).get("spec");
                var container = (Map<String, Object>) ((List<Object>) spec.get("containers")).get(0);
                var limits = (Map<String, Object>) ((Map<String, Object>) container.get("resources")).get("limits");
                String memory = String.valueOf(limits.get("memory"));
                var touched = new TouchedResource("Deployment", ctx.optionalString("namespace").orElse("default"), name,
                        "memory limit -> " + memory);
                if (!ctx.dryRun()) {
                    patches.add(name + ":" + memory);
                    memoryLimits.put(name + "-pod", memory);
                }
                return ActionResult.of(memory).touching(touched)
                        .withSummary((ctx.dryRun() ? "would set" : "set") + " memory of " + name + " to " + memory);
            }
        };
    }

    Action checkNeo4j() {
        return new Simple("check_neo4j", false, ParamSchema.of(ParamSpec.required("query", ParamType.STRING, "cypher"))) {
            @Override
            public ActionResult execute(ActionContext ctx) {
                calls.incrementAndGet();
                return ActionResult.of(Map.of("new_failures", (long) newFailures.get()));
            }
        };
    }

    /** A mutating no-op that touches the incident's resource. */
    static Action touch(String name) {
        return new Simple(name, true, ParamSchema.open()) {
            @Override
            public ActionResult execute(ActionContext ctx) {
                var r = ctx.incident().resource();
                return ActionResult.of(ctx.params()).touching(new TouchedResource(r.kind(), r.namespace(), r.name(), name));
            }
        };
    }

    abstract static class Simple implements Action {
        private final String name;
        private final boolean mutating;
        private final ParamSchema schema;

        Simple(String name, boolean mutating, ParamSchema schema) {
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
            return "test stand-in for " + name;
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
