package dev.runbook.docker.internal;

import static dev.runbook.core.action.ParamSpec.optional;
import static dev.runbook.core.action.ParamSpec.required;
import static dev.runbook.core.action.ParamSpec.withDefault;
import static dev.runbook.docker.internal.ContainerActions.asked;
import static dev.runbook.docker.internal.ContainerActions.container;
import static dev.runbook.docker.internal.ContainerActions.plain;
import static dev.runbook.docker.internal.ContainerActions.targets;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamType;
import dev.runbook.docker.HistoryEntry;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** The actions of seed 002 that change containers in place: {@code restart-container} and {@code update-env-vars}. */
final class ContainerChanges {
    private ContainerChanges() {
    }

    static final class Restart extends DockerAction {
        Restart(Shared s) {
            super(s, "restart-container", "Restarts containers given by name, id, or label selector", true,
                    ParamSchema.of(optional("container", ParamType.STRING, "container name or id"),
                            optional("selector", ParamType.STRING, "label selector such as app=web,tier=front"),
                            withDefault("timeout", ParamType.DURATION, "10s",
                                    "how long to wait for a graceful stop before killing")));
        }

        @Override
        ActionResult run(ActionContext ctx) throws Exception {
            List<Engine.Info> targets = targets(shared, ctx, name());
            shared.limits().claim(ctx, name(), targets.stream().map(ContainerLimits::container).toList(), asked(ctx));
            int timeout = (int) ctx.duration("timeout").toSeconds();
            var names = targets.stream().map(Engine.Info::name).toList();
            var result = new ActionResult(Optional.of(plain(Map.of("containers", names, "restarted", !ctx.dryRun()))),
                    List.of(), (ctx.dryRun() ? "would restart " : "restarted ") + String.join(", ", names));
            for (Engine.Info c : targets) {
                if (!ctx.dryRun()) {
                    shared.history().record(ctx.executionId(), ctx.clock().instant(), name(), HistoryEntry.Kind.CONTAINER,
                            c.name(), "", List.of(c.spec()));
                    shared.engine().restart(c, timeout);
                }
                result = result.touching(shared.touched(c, ctx.dryRun() ? "would restart" : "restarted"));
            }
            return result;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    static final class UpdateEnv extends DockerAction {
        UpdateEnv(Shared s) {
            // The history entry is written ahead of the recreate (see ContainerHistory), and removed again if the
            // recreate fails and the original is back.
            super(s, "update-env-vars", "Recreates a container with changed environment variables (whitelisted keys only)",
                    true, ParamSchema.of(required("container", ParamType.STRING, "container name or id"),
                            required("env", ParamType.MAP, "variables to set; a null value removes the variable"),
                            optional("startup_grace", ParamType.DURATION,
                                    "how long the new container must keep running before the old one is removed")));
        }

        @Override
        ActionResult run(ActionContext ctx) throws Exception {
            Map<String, Object> env = ctx.map("env");
            var whitelist = ctx.runbook().safety().envWhitelist();
            var refused = new TreeSet<String>();
            env.keySet().forEach(k -> {
                if (!whitelist.contains(k)) {
                    refused.add(k);
                }
            });
            if (!refused.isEmpty()) {
                throw ActionException.permanent("update-env-vars: " + refused + " not in the env whitelist "
                        + (whitelist.isEmpty() ? "(empty: set safety.env_whitelist in runbook " + ctx.runbook().id() + ")"
                        : whitelist + " of runbook " + ctx.runbook().id()));
            }
            Engine.Info c = container(shared, ctx, name());
            var newEnv = new LinkedHashMap<>(c.spec().env());
            var diff = new TreeMap<String, Object>();
            for (var e : env.entrySet()) {
                String old = c.spec().env().get(e.getKey());
                String now = e.getValue() == null ? null : String.valueOf(e.getValue());
                if (java.util.Objects.equals(old, now)) {
                    continue;
                }
                var change = new LinkedHashMap<String, Object>();
                change.put("from", old);
                change.put("to", now);
                diff.put(e.getKey(), Collections.unmodifiableMap(change));
                if (now == null) {
                    newEnv.remove(e.getKey());
                } else {
                    newEnv.put(e.getKey(), now);
                }
            }
            var out = new LinkedHashMap<String, Object>();
            out.put("container", c.name());
            out.put("changes", Collections.unmodifiableMap(diff));
            String keys = String.join(", ", diff.keySet().stream().map(k -> k + describe((Map<?, ?>) diff.get(k))).toList());
            if (diff.isEmpty()) {
                return new ActionResult(Optional.of(plain(out)), List.of(), "env of " + c.name() + " already as asked");
            }
            shared.limits().claim(ctx, name(), List.of(ContainerLimits.container(c)), asked(ctx));
            if (ctx.dryRun()) {
                return new ActionResult(Optional.of(plain(out)), List.of(shared.touched(c, "would recreate with " + keys)),
                        "would recreate " + c.name() + " with " + keys);
            }
            Duration grace = ctx.params().containsKey("startup_grace") ? ctx.duration("startup_grace")
                    : shared.startupGrace();
            // write-ahead: the original spec is on record before the original is touched, so that a crash in the
            // middle of the recreate leaves what DockerRecovery and rollback-deployment need
            HistoryEntry entry = shared.history().record(ctx.executionId(), ctx.clock().instant(), name(),
                    HistoryEntry.Kind.CONTAINER, c.name(), "", List.of(c.spec()));
            String id;
            try {
                id = shared.replacer().replace(c, c.spec().withEnv(newEnv), grace, ctx);
            } catch (ActionException e) {
                forgetIfUnchanged(shared, entry, c);
                throw e;
            }
            out.put("id", id);
            return new ActionResult(Optional.of(plain(out)), List.of(shared.touched(c, "recreated with " + keys)),
                    "recreated " + c.name() + " with " + keys);
        }

        /**
         * After a failed recreate: forgets the write-ahead entry when the original container is back under its name
         * (the change did not happen, so there is nothing to roll back); keeps it when restoring failed too.
         */
        private static void forgetIfUnchanged(Shared shared, HistoryEntry entry, Engine.Info original) {
            try {
                if (shared.engine().find(original.name()).filter(i -> i.id().equals(original.id())).isPresent()) {
                    shared.history().remove(List.of(entry));
                }
            } catch (RuntimeException e) {
                // the engine cannot tell: keep the entry, a rollback of an unchanged container does nothing
            }
        }

        private static String describe(Map<?, ?> change) {
            Object from = change.get("from");
            Object to = change.get("to");
            return " " + (from == null ? "(unset)" : from) + " -> " + (to == null ? "(unset)" : to);
        }
    }
}
