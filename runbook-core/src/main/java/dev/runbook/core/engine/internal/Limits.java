package dev.runbook.core.engine.internal;

import static dev.runbook.core.internal.Durations.human;

import dev.runbook.core.action.Action;
import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.compile.CompiledStep;
import dev.runbook.core.guard.CounterClaim;
import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.SpacingClaim;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The claims behind the guards, built in one place so that the first reservation, the locks on what the plan
 * changes and the count of a retry use the same keys and words.
 */
final class Limits {
    private static final Duration HOUR = Duration.ofHours(1);

    /**
     * Locks and counters to obtain together.
     *
     * @param locks    locks
     * @param counters counters
     * @param spacings spacings
     */
    record Claims(List<LockClaim> locks, List<CounterClaim> counters, List<SpacingClaim> spacings) {
        boolean isEmpty() {
            return locks.isEmpty() && counters.isEmpty() && spacings.isEmpty();
        }

        /** Every claim in a few words, for the allowing decision. */
        String describe() {
            var all = new ArrayList<String>();
            counters.forEach(c -> all.add(c.description()));
            spacings.forEach(c -> all.add(c.description()));
            return String.join(", ", all);
        }
    }

    private Limits() {
    }

    /** The dedupe locks: the incident and its resource. */
    static List<LockClaim> dedupeLocks(RunContext ctx) {
        String key = ctx.incident.resource().key();
        return List.of(
                new LockClaim(GuardKeys.incidentLock(ctx.incident), ctx.cfg.lockTtl(), "incident " + ctx.incident.incidentId()),
                new LockClaim(GuardKeys.resourceLock(ctx.incident, key), ctx.cfg.lockTtl(),
                        "resource " + key));
    }

    /** Rate limits, spacings and cooldowns of one execution, counted on the incident's resource. */
    static Claims executionLimits(RunContext ctx, CompiledRunbook crb) {
        Runbook rb = crb.runbook();
        Safety safety = rb.safety();
        String key = ctx.incident.resource().key();
        var counters = new ArrayList<CounterClaim>();
        var spacings = new ArrayList<SpacingClaim>();
        safety.maxExecutionsPerHour().ifPresent(n -> counters.add(new CounterClaim("runbook:" + rb.id(), HOUR, n, 1,
                "max_executions_per_hour " + n + " for runbook " + rb.id())));
        safety.maxExecutionsPerResourcePerHour().ifPresent(n -> counters.add(new CounterClaim(
                "runbook-resource:" + rb.id() + ":" + GuardKeys.resource(ctx.incident, key), HOUR, n, 1,
                "max_executions_per_resource_per_hour " + n + " for runbook " + rb.id() + " on " + key)));
        int changes = crb.mutatingSteps();
        if (changes > 0) {
            counters.addAll(globalActionCounters(ctx, safety, changes));
            Optional<Duration> spacing = safety.minActionSpacing().or(ctx.cfg::minActionSpacing);
            spacing.ifPresent(d -> spacings.add(new SpacingClaim("actions:spacing", d, "min_action_spacing " + human(d))));
        }
        safety.maxActionPerResourcePerHour().forEach((action, n) -> {
            long uses = countUses(ctx, crb.steps(), action);
            if (uses > 0) {
                counters.add(actionResourceCounter(ctx, action, n, (int) uses, key));
            }
        });
        safety.cooldown().ifPresent(d -> spacings.add(new SpacingClaim(
                "cooldown:" + rb.id() + ":" + GuardKeys.resource(ctx.incident, key), d,
                "cooldown " + human(d) + " for runbook " + rb.id() + " on " + key)));
        return new Claims(List.of(), counters, spacings);
    }

    /** What one more real attempt of {@code action} counts: the global action limits and its per-resource limit. */
    static List<CounterClaim> actionCounters(RunContext ctx, Runbook rb, Action action, int amount) {
        var counters = new ArrayList<>(globalActionCounters(ctx, rb.safety(), amount));
        String key = ctx.incident.resource().key();
        rb.safety().maxActionPerResourcePerHour().forEach((name, n) -> {
            if (sameAction(ctx, name, action)) {
                counters.add(actionResourceCounter(ctx, name, n, amount, key));
            }
        });
        return counters;
    }

    /**
     * Locks on the resources the plan changes that this execution does not hold yet, and their per-resource
     * limits.
     *
     * @param keys     resource keys the plan changes ({@code Kind/namespace/name})
     * @param byAction for each action name used, the keys its steps change
     */
    static Claims targetClaims(RunContext ctx, Runbook rb, List<String> keys, Map<String, List<String>> byAction) {
        Set<String> fresh = new LinkedHashSet<>();
        for (String k : keys) {
            if (!ctx.leases.holds(GuardKeys.resourceLock(ctx.incident, k))) {
                fresh.add(k);
            }
        }
        if (fresh.isEmpty()) {
            return new Claims(List.of(), List.of(), List.of());
        }
        var locks = new ArrayList<LockClaim>();
        var counters = new ArrayList<CounterClaim>();
        for (String k : fresh) {
            locks.add(new LockClaim(GuardKeys.resourceLock(ctx.incident, k), ctx.cfg.lockTtl(),
                    "resource " + k));
            rb.safety().maxExecutionsPerResourcePerHour().ifPresent(n -> counters.add(new CounterClaim(
                    "runbook-resource:" + rb.id() + ":" + GuardKeys.resource(ctx.incident, k), HOUR, n, 1,
                    "max_executions_per_resource_per_hour " + n + " for runbook " + rb.id() + " on "
                            + k)));
        }
        rb.safety().maxActionPerResourcePerHour().forEach((name, n) -> byAction.forEach((used, usedKeys) -> {
            Optional<Action> a = ctx.cfg.actions().find(used);
            if (a.isPresent() && sameAction(ctx, name, a.get())) {
                usedKeys.stream().filter(fresh::contains).distinct()
                        .forEach(k -> counters.add(actionResourceCounter(ctx, name, n, 1, k)));
            }
        }));
        return new Claims(locks, counters, List.of());
    }

    private static List<CounterClaim> globalActionCounters(RunContext ctx, Safety safety, int amount) {
        var counters = new ArrayList<CounterClaim>();
        safety.maxActionsPerHour().ifPresent(n -> counters.add(new CounterClaim("actions:global", HOUR, n, amount,
                "max_actions_per_hour " + n + " (all runbooks)")));
        ctx.cfg.maxActionsPerHour().ifPresent(n -> counters.add(new CounterClaim("actions:global", HOUR, n, amount,
                "engine max_actions_per_hour " + n + " (all runbooks)")));
        return counters;
    }

    private static CounterClaim actionResourceCounter(RunContext ctx, String action, int n, int amount, String key) {
        return new CounterClaim("action-resource:" + action + ":" + GuardKeys.resource(ctx.incident, key), HOUR, n, amount,
                "max_action_per_resource_per_hour " + action + " " + n + " on " + key);
    }

    private static boolean sameAction(RunContext ctx, String name, Action action) {
        return name.equals(action.name()) || action.aliases().contains(name)
                || ctx.cfg.actions().find(name).map(a -> a == action).orElse(false);
    }

    private static long countUses(RunContext ctx, List<CompiledStep> steps, String action) {
        long n = 0;
        for (CompiledStep s : steps) {
            if (s instanceof CompiledStep.Call c) {
                if (sameAction(ctx, action, c.action())) {
                    n++;
                }
            } else if (s instanceof CompiledStep.Branch b) {
                n += countUses(ctx, b.then(), action) + countUses(ctx, b.otherwise(), action);
            }
        }
        return n;
    }
}
