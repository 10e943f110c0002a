package dev.runbook.core.engine;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.approval.ApprovalGateway;
import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.compile.Problem;
import dev.runbook.core.compile.RunbookCompiler;
import dev.runbook.core.compile.RunbookValidationException;
import dev.runbook.core.engine.internal.EngineConfig;
import dev.runbook.core.engine.internal.LaneThreads;
import dev.runbook.core.engine.internal.RunningExecutions;
import dev.runbook.core.engine.internal.Selection;
import dev.runbook.core.expression.ExpressionCompiler;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.match.OutcomeRanker;
import dev.runbook.core.match.Ranking;
import dev.runbook.core.match.RunbookMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link RunbookEngine.Builder}'s settings into an engine: the action registry, the compiled library and
 * the checks across it, the engine's own threads and the {@link EngineConfig} every execution reads. The builder's
 * setters validate each value as it comes; what needs the whole (compiled runbooks, lock ttl against renewal) is
 * checked here.
 */
final class EngineAssembly {
    /** The engine's logger: what building reports is the engine's, as hosts configure it. */
    private static final Logger LOG = LoggerFactory.getLogger(RunbookEngine.class);

    private EngineAssembly() {
    }

    /** {@link RunbookEngine.Builder#build()}: see there. */
    static RunbookEngine build(RunbookEngine.Builder b) {
        // Settings checked against each other come first: a refused build must not have started anything.
        Duration renewEvery = b.leaseRenewalInterval != null ? b.leaseRenewalInterval : b.lockTtl.dividedBy(3);
        if (renewEvery.compareTo(b.lockTtl) >= 0) {
            throw new IllegalArgumentException("leaseRenewalInterval " + renewEvery + " must be shorter than lockTtl "
                    + b.lockTtl + ", or a live execution would lose its locks");
        }
        ClassLoader cl = b.loader != null ? b.loader : Thread.currentThread().getContextClassLoader();
        // the registry's builder owns the id rules (configured replaces discovered, duplicates, reserved names)
        var registry = ActionRegistry.builder();
        if (b.discover) {
            registry.discover(cl == null ? RunbookEngine.class.getClassLoader() : cl);
        }
        b.providers.forEach(registry::provider);
        ActionRegistry actions = registry.build();
        ExpressionCompiler exprs = b.expressions != null ? b.expressions : ExpressionCompiler.standard();
        // Values given here are host parameters too; a name no template could read is simply not one.
        Set<String> hostNames = new HashSet<>();
        b.parameters.keySet().stream().filter(n -> RunbookCompiler.hostParameterProblem(n).isEmpty()).forEach(hostNames::add);
        RunbookCompiler compiler = new RunbookCompiler(actions, exprs, hostNames);
        Map<String, CompiledRunbook> compiled = compiler.compileAll(b.runbooks);
        requireHostValues(b, compiled.values());
        RunbookMatcher matcher = RunbookMatcher.of(b.runbooks, exprs);
        warnUnroutedNotifications(b, compiled.values());
        boolean own = b.executor == null;
        ExecutorService async = own ? Executors.newCachedThreadPool(daemonThreads("runbook-async-")) : b.executor;
        var attempts = new LaneThreads(Executors.newCachedThreadPool(daemonThreads("runbook-attempt-")));
        // cancelled renewals leave the queue at once: a storm of short executions must not pile them up
        var renewal = new ScheduledThreadPoolExecutor(1, daemonThreads("runbook-lease-"));
        renewal.setRemoveOnCancelPolicy(true);
        var selection = Selection.byTrigger(b.maxEscalationDepth);
        var allListeners = new ArrayList<>(b.listeners);
        if (b.ranking == Ranking.OUTCOME) {
            var history = b.outcomeHistory;
            if (history == null) {
                var ownHistory = new InMemoryOutcomeHistory();
                allListeners.add(ownHistory);
                history = ownHistory;
            }
            selection = new Selection(Optional.of(new OutcomeRanker(history, b.outcomeMinExecutions)),
                    b.maxEscalationDepth);
        }
        var allResolvers = new ArrayList<ParameterResolver>();
        Map<String, Object> params = Map.copyOf(b.parameters);
        allResolvers.add((runbookId, name) -> Optional.ofNullable(params.get(name)));
        allResolvers.addAll(b.resolvers);
        var cfg = new EngineConfig(Map.copyOf(compiled), matcher, actions,
                b.guardStore != null ? b.guardStore : new InMemoryGuardStore(),
                b.journal != null ? b.journal : new InMemoryExecutionJournal(),
                b.owner != null ? b.owner : b.executedBy + "@" + UUID.randomUUID(),
                b.approvalGateway != null ? b.approvalGateway : ApprovalGateway.denyAll(b.clock), b.approvalPolicy,
                b.approvalTimeout, Map.copyOf(b.notifiers), List.copyOf(allListeners), b.clock, b.sleeper, attempts,
                renewal, List.copyOf(allResolvers), b.killSwitch, b.executedBy,
                b.maxActionsPerHour == null ? OptionalInt.empty() : OptionalInt.of(b.maxActionsPerHour),
                Optional.ofNullable(b.minActionSpacing), b.lockTtl, renewEvery, b.defaultStepTimeout, b.attemptGrace,
                b.abandonedAttemptWait, b.maxChainDepth, b.ids, Optional.ofNullable(b.backend), selection);
        var engine = new RunbookEngine(cfg, new RunningExecutions(cfg, async, own, b.closeGrace, b.closeTimeout),
                compiler, exprs);
        if (b.recoverAtStart) {
            List<Execution> recovered;
            try {
                recovered = engine.recover();
            } catch (RuntimeException | Error e) {
                // the host gets no engine to close: close it here, so its pools and lease renewals do not outlive it
                try {
                    engine.close();
                } catch (RuntimeException | Error closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
            if (!recovered.isEmpty()) {
                LOG.warn("recovered {} execution(s) left half done by a dead host", recovered.size());
            }
        }
        if (b.recoverEvery != null) {
            engine.recoverEvery(b.recoverEvery);
        }
        return engine;
    }

    /**
     * Refuses runbooks reading a variable that nothing will supply: neither the runbook (a parameter, a step's
     * output) nor the builder ({@link RunbookEngine.Builder#parameter}, a {@link ParameterResolver}).
     */
    private static void requireHostValues(RunbookEngine.Builder b, Collection<CompiledRunbook> compiled) {
        if (!b.resolvers.isEmpty()) {
            return; // a resolver may know any name; one that does not fails the execution, naming it
        }
        var problems = new ArrayList<Problem>();
        for (CompiledRunbook c : compiled) {
            if (c.hostParameters().isEmpty()) {
                continue;
            }
            c.hostParameters().forEach((name, field) -> {
                if (!b.parameters.containsKey(name)) {
                    problems.add(new Problem(c.id(), field, "'" + name
                            + "' is not defined by the runbook and the host supplies no value for it; give it with"
                            + " RunbookEngine.builder().parameter(\"" + name + "\", value) or a ParameterResolver,"
                            + " or declare it under the runbook's parameters: with a default"));
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new RunbookValidationException(problems);
        }
    }

    /** Warns of runbooks that notify channels no notifier serves (they are reported per execution too). */
    private static void warnUnroutedNotifications(RunbookEngine.Builder b, Collection<CompiledRunbook> compiled) {
        for (CompiledRunbook c : compiled) {
            if (c.onSuccess().isEmpty() && c.onFailure().isEmpty()) {
                continue;
            }
            var channels = new HashSet<String>();
            c.runbook().notifications().onSuccess().forEach(n -> channels.add(n.channel()));
            c.runbook().notifications().onFailure().forEach(n -> channels.add(n.channel()));
            channels.removeAll(b.notifiers.keySet());
            if (!channels.isEmpty()) {
                LOG.warn("runbook {} notifies {} but no notifier is registered for them", c.id(), channels);
            }
        }
    }

    /**
     * {@code exec-<uuid>}: 64 random bits drawn once per engine, then a counter, so ids never repeat within an
     * engine and collide across engines with odds of 2^-64, without a call to the system's secure random (a
     * lock every thread would queue on) per incident.
     */
    static Supplier<String> uniqueIds() {
        long engine = new java.security.SecureRandom().nextLong();
        var counter = new AtomicLong(new java.security.SecureRandom().nextLong());
        return () -> "exec-" + new UUID(engine, counter.getAndIncrement());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
