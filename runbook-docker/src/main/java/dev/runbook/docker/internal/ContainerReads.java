package dev.runbook.docker.internal;

import static dev.runbook.core.action.ParamSpec.optional;
import static dev.runbook.core.action.ParamSpec.required;
import static dev.runbook.core.action.ParamSpec.withDefault;
import static dev.runbook.docker.internal.ContainerActions.container;
import static dev.runbook.docker.internal.ContainerActions.plain;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/** The read actions of seed 002: {@code container-metrics} and {@code container-logs}. */
final class ContainerReads {
    private ContainerReads() {
    }

    static final class Metrics extends DockerAction {
        Metrics(Shared s) {
            super(s, "container-metrics", "Reads a container's memory usage and limit and its CPU percent (two samples)",
                    false, ParamSchema.of(required("container", ParamType.STRING, "container name or id"),
                            withDefault("interval", ParamType.DURATION, "1s", "time between the two CPU samples")));
        }

        @Override
        ActionResult run(ActionContext ctx) throws Exception {
            Engine.Info c = container(shared, ctx, name());
            var out = new LinkedHashMap<String, Object>();
            out.put("container", c.name());
            out.put("id", c.id());
            out.put("state", c.status());
            out.put("memory_limited", c.memoryLimit() > 0);
            if (!c.running()) {
                out.put("memory_usage", 0L);
                out.put("memory_limit", c.memoryLimit());
                out.put("memory_percent", 0.0);
                out.put("cpu_percent", 0.0);
                out.put("exit_code", (long) c.exitCode());
                return ActionResult.of(plain(out)).withSummary("");
            }
            Engine.Stats first = shared.engine().stats(c.id());
            ctx.sleep(ctx.duration("interval"));
            Engine.Stats second = shared.engine().stats(c.id());
            out.put("memory_usage", second.memoryUsage());
            out.put("memory_limit", second.memoryLimit());
            out.put("memory_percent", second.memoryPercent());
            out.put("cpu_percent", second.cpuPercentSince(first).orElse(0.0));
            out.put("online_cpus", second.onlineCpus());
            return ActionResult.of(plain(out));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    static final class Logs extends DockerAction {
        /** How long matching a call's lines against its pattern may take. */
        static final Duration MATCH_BUDGET = Duration.ofSeconds(2);

        Logs(Shared s) {
            super(s, "container-logs", "Reads a container's recent log lines (stdout and stderr)", false,
                    ParamSchema.of(required("container", ParamType.STRING, "container name or id"),
                            withDefault("tail", ParamType.INTEGER, 100, "how many of the last lines"),
                            optional("since", ParamType.DURATION, "only lines written within this long (engine clock "
                                    + "compared with the runbook engine's)"),
                            optional("pattern", ParamType.STRING,
                                    "a regular expression (at most 512 characters, 2 s of matching, lines up to "
                                            + "65536 characters): output counts matching lines and their percent")));
        }

        @Override
        ActionResult run(ActionContext ctx) throws Exception {
            Engine.Info c = container(shared, ctx, name());
            long tail = ctx.integer("tail");
            if (tail < 1 || tail > 10_000) {
                throw ActionException.permanent("container-logs: tail must be 1..10000, got " + tail);
            }
            Optional<java.time.Instant> since = ctx.params().containsKey("since")
                    ? Optional.of(ctx.clock().instant().minus(ctx.duration("since"))) : Optional.empty();
            // the pattern comes from the caller (an MCP client, a runbook author): bounded, so that a pattern that
            // backtracks exponentially fails within the budget instead of holding a core
            Optional<BoundedRegex> pattern;
            try {
                pattern = ctx.optionalString("pattern").map(BoundedRegex::compile);
            } catch (BoundedRegex.RegexLimitException e) {
                throw ActionException.permanent("container-logs: " + e.getMessage());
            }
            List<String> lines = shared.engine().logs(c.id(), (int) tail, since);
            var out = new LinkedHashMap<String, Object>();
            out.put("container", c.name());
            out.put("lines", List.copyOf(lines));
            out.put("count", (long) lines.size());
            if (pattern.isPresent()) {
                BoundedRegex.Search search = pattern.get().search(MATCH_BUDGET);
                long matches;
                try {
                    matches = lines.stream().filter(search::find).count();
                } catch (BoundedRegex.RegexLimitException e) {
                    throw ActionException.permanent("container-logs: " + e.getMessage() + " (over " + lines.size()
                            + " lines of container " + c.name() + ")");
                }
                out.put("matches", matches);
                out.put("match_percent", lines.isEmpty() ? 0.0 : Engine.round(100.0 * matches / lines.size()));
            }
            return ActionResult.of(plain(out));
        }
    }
}
