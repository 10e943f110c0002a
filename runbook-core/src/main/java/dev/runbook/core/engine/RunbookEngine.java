package dev.runbook.core.engine;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.approval.ApprovalGateway;
import dev.runbook.core.approval.ApprovalPolicy;
import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.compile.RunbookCompiler;
import dev.runbook.core.compile.RunbookValidationException;
import dev.runbook.core.engine.internal.EngineConfig;
import dev.runbook.core.engine.internal.ExecutionRun;
import dev.runbook.core.engine.internal.Recovery;
import dev.runbook.core.engine.internal.RunningExecutions;
import dev.runbook.core.engine.ExecutionJournal;
import dev.runbook.core.engine.InMemoryExecutionJournal;
import dev.runbook.core.expression.ExpressionCompiler;
import dev.runbook.core.guard.GuardStore;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.guard.PauseClaim;
import dev.runbook.core.guard.PauseState;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.match.RunbookMatcher;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.notify.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runbook engine a host embeds. {@link #handle(Incident)} takes an incident through matching, the
 * guardrails (enabled and kill switch, confidence, namespace, parameters, dedupe, rate limits, dry run,
 * blast radius, approval), the real execution with verification, rollback on failure, notification and
 * the listeners. {@link #plan(Incident)} stops after the dry run and changes nothing.
 *
 * <pre>{@code
 * RunbookEngine engine = RunbookEngine.builder()
 *     .runbooks(runbooks)                       // from YAML, Markdown or the Java DSL
 *     .notifier(new SlackNotifier(slackWebhook))
 *     .approvalGateway(pendingApprovals)
 *     .build();                                 // compiles every template once; all problems at once
 * Execution e = engine.handle(incident);
 * }</pre>
 *
 * Thread-safe: many incidents may be handled at once; the guard store keeps limits exact.
 *
 * <p>Every action attempt runs on a thread of the engine's own, under the step's timeout (or
 * {@link Builder#defaultStepTimeout}); the host's executor serves only {@link #handleAsync}. {@link #close()}
 * stops new work, lets running executions finish for a grace period, then cancels them and lets their
 * rollbacks run to the end.
 */
public final class RunbookEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunbookEngine.class);

    private final EngineConfig cfg;
    /** The executions running now; closing waits for them or cancels them. */
    private final RunningExecutions runs;
    /** Compiles ad-hoc runbooks with the library's actions and expressions. */
    private final RunbookCompiler compiler;
    private final ExpressionCompiler expressions;
    /** Runs {@link #recover()} every {@link Builder#recoverEvery} interval; null without one. */
    private volatile java.util.concurrent.ScheduledExecutorService recoveryTimer;

    RunbookEngine(EngineConfig cfg, RunningExecutions runs, RunbookCompiler compiler, ExpressionCompiler expressions) {
        this.cfg = cfg;
        this.runs = runs;
        this.compiler = compiler;
        this.expressions = expressions;
    }

    /** A builder with the defaults: actions found by ServiceLoader, in-memory guards, system clock. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Handles an incident and returns its execution record. Never throws for a runbook's failure nor for a
     * failure of the engine's own machinery (guard store, listeners): the record says what happened.
     *
     * @throws IllegalStateException when the engine is closed, or when the {@link Builder#executionIds} supplier gave
     *                               the id of an execution running now (the incident is then not handled)
     */
    public Execution handle(Incident incident) {
        return runs.run(start(incident, false));
    }

    /** {@link #handle} on the executor given to the builder (or the engine's own). */
    public CompletableFuture<Execution> handleAsync(Incident incident) {
        return runs.runAsync(start(incident, false));
    }

    /**
     * {@link #handleAsync} that also gives the execution's id at once, before anything is decided: with an
     * {@link ExecutionBackend} such as Temporal's it is the id of the workflow the approved plan runs as (a host can
     * look it up there while it runs); the record, when it ends, carries the same id. {@link #cancel} with that id
     * stops it, on the backend too.
     *
     * @throws IllegalStateException when the engine is closed
     */
    public SubmittedExecution submit(Incident incident) {
        var run = start(incident, false);
        return new SubmittedExecution(run.id(), runs.runAsync(run));
    }

    /** Everything up to and including the dry run; changes nothing and consumes no rate limit. */
    public Execution plan(Incident incident) {
        return runs.run(start(incident, true));
    }

    /** {@link #plan} on the executor given to the builder (or the engine's own). */
    public CompletableFuture<Execution> planAsync(Incident incident) {
        return runs.runAsync(start(incident, true));
    }

    /**
     * {@link #handle(Incident)} recorded as executed by {@code executedBy} instead of the engine's
     * {@link Builder#executedBy}: for one engine serving several callers (the clients of an MCP server), so that each
     * record names its caller while every guard, the guard store and the kill switch stay shared.
     */
    public Execution handle(Incident incident, String executedBy) {
        return runs.run(start(incident, false, executedBy(executedBy), cfg.matcher(), cfg.runbooks()));
    }

    /** {@link #plan(Incident)} recorded as executed by {@code executedBy} (see {@link #handle(Incident, String)}). */
    public Execution plan(Incident incident, String executedBy) {
        return runs.run(start(incident, true, executedBy(executedBy), cfg.matcher(), cfg.runbooks()));
    }

    /**
     * Handles an incident with a runbook that is not in the library (one a host builds for a single request, such as
     * an MCP server's one-step runbook for a tool call): compiled now with the engine's actions, then taken through
     * the same guards, guard store, kill switch, threads and journal as a library runbook. Its trigger must match the
     * incident (the record is {@link ExecutionStatus#NO_MATCH} otherwise). It may chain to library runbooks; a
     * recovery after a crash does not know it, so a dead host's ad-hoc execution is reported for manual repair.
     *
     * @throws dev.runbook.core.compile.RunbookValidationException when the runbook does not compile
     * @throws IllegalArgumentException when its id is a library runbook's
     * @throws IllegalStateException    when the engine is closed
     */
    public Execution handle(Runbook runbook, Incident incident, String executedBy) {
        Objects.requireNonNull(runbook, "runbook");
        if (cfg.runbooks().containsKey(runbook.id())) {
            throw new IllegalArgumentException("ad-hoc runbook id '" + runbook.id() + "' is a library runbook's: give "
                    + "it an id of its own");
        }
        Map<String, CompiledRunbook> one = compiler.compileAll(List.of(runbook));
        return runs.run(start(incident, false, executedBy(executedBy), RunbookMatcher.of(List.of(runbook), expressions),
                one));
    }

    private static String executedBy(String who) {
        if (who == null || who.isBlank()) {
            throw new IllegalArgumentException("executedBy must name who the execution runs for, got '" + who + "'");
        }
        return who;
    }

    /** Registers a new run, so that close() waits for it or cancels it. */
    private ExecutionRun start(Incident incident, boolean planOnly) {
        return start(incident, planOnly, cfg.executedBy(), cfg.matcher(), cfg.runbooks());
    }

    private ExecutionRun start(Incident incident, boolean planOnly, String executedBy, RunbookMatcher matcher,
                               Map<String, CompiledRunbook> runbooks) {
        return runs.register(new ExecutionRun(cfg, Objects.requireNonNull(incident, "incident"), planOnly, executedBy,
                matcher, runbooks));
    }

    /**
     * Finds executions whose host died (their owner's lease in the {@link Builder#journal journal} expired), takes
     * each over exactly once even when several replicas recover at once, and resolves it: the runbook's rollback
     * runs with the journaled variables ({@link ExecutionStatus#RECOVERED_ROLLED_BACK}), the failure is notified and
     * recorded, the dead execution's locks are freed and its counted events stay counted. An execution that died
     * before changing anything (waiting for approval) is recorded {@link ExecutionStatus#DENIED}, never run. An
     * execution an {@link ExecutionBackend} runs ({@link ExecutionJournal.JournalStart#backendOwned()}) is never run
     * or rolled back here: when the backend {@linkplain ExecutionBackend#recoversExecutions() can say how it ended},
     * its outcome is awaited and recorded, the incident's and resource's locks held meanwhile; otherwise it is left.
     * To run this on a schedule, see {@link Builder#recoverEvery}.
     *
     * @return the recovered executions' final records
     */
    public List<Execution> recover() {
        return new Recovery(cfg).run();
    }

    /** Starts running {@link #recover()} every {@code interval}, one run at a time, until {@link #close()}. */
    void recoverEvery(Duration interval) {
        var timer = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "runbook-recovery");
            t.setDaemon(true);
            return t;
        });
        long every = interval.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                List<Execution> recovered = recover();
                if (!recovered.isEmpty()) {
                    LOG.warn("recovered {} execution(s) left half done by a dead host", recovered.size());
                }
            } catch (RuntimeException e) {
                // a failed pass must not end the schedule: the next one tries again
                LOG.error("recovery failed; trying again in {}", interval, e);
            }
        }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        recoveryTimer = timer;
    }

    /**
     * What a backtest replays ({@link dev.runbook.core.backtest.Backtest} builds an engine of its own for it, with an
     * in-memory guard store and a simulated clock): the match, then the guards a replay can know (enabled,
     * confidence, namespace, parameters, dedupe, rate limits and cooldowns), counted in the guard store exactly as
     * {@link #handle} counts them. No dry run, approval, step, notification or journal entry. Allowed, the record is
     * {@link ExecutionStatus#PLANNED}, its counted events stay counted and its locks stay held until the
     * {@link Builder#lockTtl lock ttl} runs out on the clock (the run's assumed length). Do not call it on a live
     * engine: it would spend the host's limits.
     *
     * @throws IllegalStateException when the engine is closed
     */
    public Execution decide(Incident incident) {
        return runs.run(runs.register(ExecutionRun.decision(cfg, Objects.requireNonNull(incident, "incident"))));
    }

    /** Which runbooks match, in the order the engine would choose, and why the others considered do not. */
    public MatchReport match(Incident incident) {
        return cfg.selection().rank(cfg.matcher().match(incident));
    }

    /** Like {@link #match} but explains every runbook of the library. */
    public MatchReport explain(Incident incident) {
        return cfg.matcher().explainAll(incident);
    }

    /**
     * Cancels running executions of this execution id or incident id: they stop before their next step (the
     * running action is interrupted), roll back and end as {@link ExecutionStatus#CANCELLED}. An execution whose plan
     * an {@link Builder#executionBackend backend} runs is cancelled there ({@link ExecutionBackend#cancel}): on
     * Temporal its workflow lets the running step end, runs no further step and rolls back. An execution an
     * {@code on_failure: escalate} handed to is cancelled by its own id, by the id of the execution that handed to it
     * or by the incident's; each execution is asked to stop once, however often it is asked.
     *
     * @return how many executions were asked to stop (an escalation chain counts once)
     */
    public int cancel(String executionOrIncidentId) {
        return runs.cancel(executionOrIncidentId);
    }

    /**
     * Ids of the executions running now: while an escalation runs, both its id and the id of the execution that
     * handed to it (which ends with it).
     */
    public Set<String> runningExecutions() {
        return runs.ids();
    }

    /** Runs single steps of this engine's runbooks, for an {@link ExecutionBackend}'s workers. */
    public StepExecutor stepExecutor() {
        return new dev.runbook.core.engine.internal.SingleStep(cfg);
    }

    /** The switch that stops every new execution. */
    public KillSwitch killSwitch() {
        return cfg.killSwitch();
    }

    /**
     * Lifts the auto-pause ({@code safety.pause_after}) of a runbook, in the guard store, so every engine sharing the
     * store runs it again; the failures that paused it no longer count.
     *
     * @param runbookId the runbook (it need not be in this engine's library)
     * @param who       the person resuming it, logged
     * @return whether it was paused
     * @throws IllegalStateException when the guard store cannot resume it (it stays paused)
     */
    public boolean resume(String runbookId, String who) {
        Objects.requireNonNull(who, "who");
        try {
            boolean was = cfg.guardStore().resume(PauseClaim.keyOf(runbookId), who, cfg.clock().instant());
            LOG.info("runbook {} resumed by {}{}", runbookId, who, was ? "" : " (it was not paused)");
            return was;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not resume runbook " + runbookId + ": " + e.getMessage(), e);
        }
    }

    /**
     * The auto-pause in force for a runbook, with the executions that caused it.
     *
     * @throws IllegalStateException when the guard store cannot say (treat the runbook as paused)
     */
    public Optional<PauseState> pauseState(String runbookId) {
        try {
            return cfg.guardStore().pauseState(PauseClaim.keyOf(runbookId));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not read the pause of runbook " + runbookId + ": " + e.getMessage(), e);
        }
    }

    /** The runbook library, by id. */
    public List<Runbook> runbooks() {
        return cfg.runbooks().values().stream().map(CompiledRunbook::runbook).toList();
    }

    /** The runbook with this id. */
    public Optional<Runbook> runbook(String id) {
        return Optional.ofNullable(cfg.runbooks().get(id)).map(CompiledRunbook::runbook);
    }

    /** The actions this engine knows. */
    public ActionRegistry actions() {
        return cfg.actions();
    }

    /**
     * Stops new work ({@link #handle} then throws), waits up to {@link Builder#closeGrace} for running executions,
     * then cancels those left and waits up to {@link Builder#closeTimeout} for their rollbacks, which run to the
     * end on the engine's threads. Does not shut down an executor the host supplied. Idempotent.
     */
    @Override
    public void close() {
        var timer = recoveryTimer;
        if (timer != null) {
            timer.shutdown(); // no further pass; one running now finishes on its own
        }
        runs.close();
    }

    /** Builds a {@link RunbookEngine}; {@link #build()} compiles the runbooks and reports every problem. */
    public static final class Builder {
        // Package-private for EngineAssembly, which builds from them; set only through the validating setters below.
        final ArrayList<Runbook> runbooks = new ArrayList<>();
        boolean discover = true;
        ClassLoader loader;
        final List<ActionProvider> providers = new ArrayList<>();
        ExpressionCompiler expressions;
        ApprovalGateway approvalGateway;
        ApprovalPolicy approvalPolicy = ApprovalPolicy.askAlways();
        Duration approvalTimeout = Duration.ofMinutes(15);
        final Map<String, Notifier> notifiers = new LinkedHashMap<>();
        final List<ExecutionListener> listeners = new ArrayList<>();
        GuardStore guardStore;
        ExecutionBackend backend;
        Clock clock = Clock.systemUTC();
        Sleeper sleeper = Sleeper.system();
        ExecutorService executor;
        final Map<String, Object> parameters = new HashMap<>();
        final List<ParameterResolver> resolvers = new ArrayList<>();
        String executedBy = "system";
        Integer maxActionsPerHour;
        Duration minActionSpacing;
        Duration lockTtl = Duration.ofMinutes(5);
        Duration leaseRenewalInterval;
        Duration defaultStepTimeout = Duration.ofMinutes(10);
        Duration attemptGrace = Duration.ofSeconds(5);
        Duration abandonedAttemptWait = Duration.ofMinutes(1);
        Duration closeGrace = Duration.ofSeconds(30);
        Duration closeTimeout = Duration.ofMinutes(5);
        int maxChainDepth = 8;
        dev.runbook.core.match.Ranking ranking = dev.runbook.core.match.Ranking.SPECIFICITY;
        dev.runbook.core.match.OutcomeHistory outcomeHistory;
        int outcomeMinExecutions = 5;
        int maxEscalationDepth = 3;
        Supplier<String> ids = EngineAssembly.uniqueIds();
        KillSwitch killSwitch = new KillSwitch();
        ExecutionJournal journal;
        String owner;
        boolean recoverAtStart;
        Duration recoverEvery;

        private Builder() {
        }

        /** Adds a runbook. */
        public Builder runbook(Runbook runbook) {
            runbooks.add(required(runbook, "runbook"));
            return this;
        }

        /** Adds runbooks. */
        public Builder runbooks(Collection<Runbook> list) {
            runbooks.ensureCapacity(runbooks.size() + required(list, "runbooks").size());
            list.forEach(this::runbook);
            return this;
        }

        /** Whether to add the action providers ServiceLoader finds (default true). */
        public Builder discoverActions(boolean discover) {
            this.discover = discover;
            return this;
        }

        /** The class loader for ServiceLoader (default: the thread's context class loader). */
        public Builder classLoader(ClassLoader loader) {
            this.loader = required(loader, "classLoader");
            return this;
        }

        /**
         * Adds a configured provider. It replaces a discovered provider with the same id, so a host can
         * configure a provider that is also registered through ServiceLoader (the rules are
         * {@link ActionRegistry}'s).
         */
        public Builder actionProvider(ActionProvider provider) {
            providers.add(required(provider, "actionProvider"));
            return this;
        }

        /** Adds single actions. */
        public Builder actions(Action... actions) {
            required(actions, "actions");
            for (int i = 0; i < actions.length; i++) {
                required(actions[i], "actions[" + i + "]");
            }
            List<Action> list = List.of(actions);
            return actionProvider(new ActionProvider() {
                @Override
                public List<Action> actions() {
                    return list;
                }

                @Override
                public String id() {
                    return "host actions " + list.stream().map(Action::name).toList();
                }
            });
        }

        /** The expression compiler (default {@link ExpressionCompiler#standard()}). */
        public Builder expressionCompiler(ExpressionCompiler compiler) {
            this.expressions = required(compiler, "expressionCompiler");
            return this;
        }

        /** Where approvals are asked (default: deny everything that needs approval). */
        public Builder approvalGateway(ApprovalGateway gateway) {
            this.approvalGateway = required(gateway, "approvalGateway");
            return this;
        }

        /** Decides some approvals without asking (default: always ask). */
        public Builder approvalPolicy(ApprovalPolicy policy) {
            this.approvalPolicy = required(policy, "approvalPolicy");
            return this;
        }

        /** How long to wait for an approval before denying (default 15 minutes). */
        public Builder approvalTimeout(Duration timeout) {
            this.approvalTimeout = positive(timeout, "approvalTimeout");
            return this;
        }

        /** Adds a notifier for its channel. */
        public Builder notifier(Notifier notifier) {
            String channel = required(notifier, "notifier").channel();
            if (channel == null || channel.isBlank()) {
                throw new IllegalArgumentException("notifier " + notifier.getClass().getName()
                        + " must name its channel, got '" + channel + "'");
            }
            if (notifiers.putIfAbsent(channel, notifier) != null) {
                throw new IllegalArgumentException("two notifiers for channel '" + notifier.channel() + "'");
            }
            return this;
        }

        /** Adds a listener (audit, metrics). */
        public Builder listener(ExecutionListener listener) {
            listeners.add(required(listener, "listener"));
            return this;
        }

        /** Where guard state lives (default: a new {@link InMemoryGuardStore}). */
        public Builder guardStore(GuardStore store) {
            this.guardStore = required(store, "guardStore");
            return this;
        }

        /** The clock for every window, deadline and timestamp (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = required(clock, "clock");
            return this;
        }

        /** How the engine waits (default: {@link Sleeper#system()}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = required(sleeper, "sleeper");
            return this;
        }

        /**
         * The executor {@link #handleAsync} and {@link #planAsync} run on (default: the engine's own, shut down by
         * {@link #close()}). Action attempts never run on it: a small host pool cannot starve step timeouts.
         */
        public Builder executor(ExecutorService executor) {
            this.executor = required(executor, "executor");
            return this;
        }

        /** A value for a declared parameter of any runbook ({@code registry_config}). */
        public Builder parameter(String name, Object value) {
            required(name, "parameter name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("parameter name must not be blank, got '" + name + "'");
            }
            parameters.put(name, required(value, "parameter " + name));
            return this;
        }

        /** Adds a resolver for parameter values (consulted after {@link #parameter}, before defaults). */
        public Builder parameterResolver(ParameterResolver resolver) {
            resolvers.add(required(resolver, "parameterResolver"));
            return this;
        }

        /** Recorded as {@code executed_by} (default {@code system}). */
        public Builder executedBy(String who) {
            this.executedBy = RunbookEngine.executedBy(required(who, "executedBy"));
            return this;
        }

        /** A global limit of mutating actions per sliding hour across all runbooks (seed 002: 10). */
        public Builder maxActionsPerHour(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("maxActionsPerHour must be at least 1, got " + limit);
            }
            this.maxActionsPerHour = limit;
            return this;
        }

        /** A global least time between executions that change something (seed 002: 5 s). */
        public Builder minActionSpacing(Duration spacing) {
            if (required(spacing, "minActionSpacing").isNegative()) {
                throw new IllegalArgumentException("minActionSpacing must not be negative, got " + spacing);
            }
            this.minActionSpacing = spacing;
            return this;
        }

        /**
         * How long a lock outlives a holder that stopped renewing it (default 5 minutes). Locks are leases: a live
         * execution renews them every {@link #leaseRenewalInterval}, however long it runs; the ttl only bounds how
         * long a dead host blocks others.
         */
        public Builder lockTtl(Duration ttl) {
            this.lockTtl = positive(ttl, "lockTtl");
            return this;
        }

        /** How often a running execution renews its locks (default a third of {@link #lockTtl}). */
        public Builder leaseRenewalInterval(Duration interval) {
            this.leaseRenewalInterval = positive(interval, "leaseRenewalInterval");
            return this;
        }

        /**
         * How long a timed-out or cancelled attempt gets to end after it is interrupted (default 5 s). One that
         * does not is abandoned: no retry starts while it runs, and the rollback waits for it.
         */
        public Builder attemptGrace(Duration grace) {
            this.attemptGrace = positive(grace, "attemptGrace");
            return this;
        }

        /**
         * How long the rollback waits for an abandoned attempt (default 1 minute). If it still runs then, the
         * execution ends {@link ExecutionStatus#ABANDONED} without rolling back, and its locks stay held until
         * the attempt's thread ends.
         */
        public Builder abandonedAttemptWait(Duration wait) {
            this.abandonedAttemptWait = positive(wait, "abandonedAttemptWait");
            return this;
        }

        /** How long {@link RunbookEngine#close()} lets running executions finish before cancelling them (default 30 s). */
        public Builder closeGrace(Duration grace) {
            if (required(grace, "closeGrace").isNegative()) {
                throw new IllegalArgumentException("closeGrace must not be negative, got " + grace);
            }
            this.closeGrace = grace;
            return this;
        }

        /** How long {@link RunbookEngine#close()} then waits for the cancelled executions' rollbacks (default 5 minutes). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive(timeout, "closeTimeout");
            return this;
        }

        /** The timeout of a step without its own, enforced the same way (default 10 minutes). */
        public Builder defaultStepTimeout(Duration timeout) {
            this.defaultStepTimeout = positive(timeout, "defaultStepTimeout");
            return this;
        }

        /** How deep runbooks may chain at run time (default 8). */
        public Builder maxChainDepth(int depth) {
            if (depth < 1) {
                throw new IllegalArgumentException("maxChainDepth must be at least 1, got " + depth);
            }
            this.maxChainDepth = depth;
            return this;
        }

        /**
         * How the engine picks among several matching runbooks (default {@link dev.runbook.core.match.Ranking#SPECIFICITY
         * SPECIFICITY}). With {@link dev.runbook.core.match.Ranking#OUTCOME OUTCOME} it prefers the best record for the
         * incident's root cause and resource kind, read from {@link #outcomeHistory} (default: an
         * {@link InMemoryOutcomeHistory} of this engine's own executions) and explained in
         * {@link MatchReport#choice()}.
         */
        public Builder ranking(dev.runbook.core.match.Ranking ranking) {
            this.ranking = required(ranking, "ranking");
            return this;
        }

        /** Where {@link dev.runbook.core.match.Ranking#OUTCOME} reads past outcomes (shared by replicas: the audit's). */
        public Builder outcomeHistory(dev.runbook.core.match.OutcomeHistory history) {
            this.outcomeHistory = required(history, "outcomeHistory");
            return this;
        }

        /** Executions a runbook needs before its own record counts in the outcome ranking (default 5). */
        public Builder outcomeMinExecutions(int executions) {
            if (executions < 1) {
                throw new IllegalArgumentException("outcomeMinExecutions must be at least 1, got " + executions);
            }
            this.outcomeMinExecutions = executions;
            return this;
        }

        /** How many times one incident may be handed to a next runbook by {@code on_failure: escalate} (default 3). */
        public Builder maxEscalationDepth(int depth) {
            if (depth < 0) {
                throw new IllegalArgumentException("maxEscalationDepth must not be negative, got " + depth);
            }
            this.maxEscalationDepth = depth;
            return this;
        }

        /**
         * How execution ids are made (default {@code exec-<uuid>}, unique per engine, random across engines). An id
         * must not repeat while its execution runs: the engine refuses to start an execution under the id of one
         * running now ({@link RunbookEngine#handle} throws), as it could neither cancel it nor wait for it.
         */
        public Builder executionIds(Supplier<String> ids) {
            this.ids = required(ids, "executionIds");
            return this;
        }

        /**
         * Where running executions are recorded ahead of every change (default: an {@link InMemoryExecutionJournal},
         * which survives nothing). Give every replica the same durable journal so that one recovers what another's
         * death left half done.
         */
        public Builder journal(ExecutionJournal journal) {
            this.journal = required(journal, "journal");
            return this;
        }

        /** This engine's identity as the owner of its executions in the journal (default {@code executedBy@uuid}). */
        public Builder owner(String owner) {
            if (required(owner, "owner").isBlank()) {
                throw new IllegalArgumentException("owner must not be blank, got '" + owner + "'");
            }
            this.owner = owner;
            return this;
        }

        /**
         * Whether {@link #build()} runs {@link RunbookEngine#recover()} once before returning (default false). When
         * recovery throws (the journal cannot be read, say), {@code build()} closes the engine it made and rethrows.
         */
        public Builder recoverAtStart(boolean recover) {
            this.recoverAtStart = recover;
            return this;
        }

        /**
         * Runs {@link RunbookEngine#recover()} every {@code interval} on a thread of its own (default: never; call it
         * yourself, or use {@link #recoverAtStart}), so that what a dead replica left half done is resolved without a
         * restart. An orphan is found once its dead owner's lease runs out ({@link #lockTtl}), so an interval of
         * about the lock ttl bounds how long it waits. Passes never overlap; one still running at {@code close()}
         * finishes on its own.
         */
        public Builder recoverEvery(Duration interval) {
            this.recoverEvery = positive(interval, "recoverEvery");
            return this;
        }

        /**
         * Where approved plans execute (default: in-process, on the engine's threads). The guards, the dry run and
         * the approval stay the engine's; see {@link ExecutionBackend}.
         */
        public Builder executionBackend(ExecutionBackend backend) {
            this.backend = required(backend, "executionBackend");
            return this;
        }

        /** A kill switch shared with other engines (default: the engine's own). */
        public Builder killSwitch(KillSwitch killSwitch) {
            this.killSwitch = required(killSwitch, "killSwitch");
            return this;
        }

        /**
         * Compiles every runbook and builds the engine.
         *
         * @throws RunbookValidationException with every problem of every runbook
         * @throws IllegalStateException      when two providers claim one action name, two configured providers
         *                                    have one id, or an action is named {@code run_runbook}
         */
        public RunbookEngine build() {
            return EngineAssembly.build(this);
        }

        private static Duration positive(Duration d, String what) {
            required(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }

        /** Every setter's null check: the message names the setter, as a bare NPE would not. */
        private static <T> T required(T value, String setter) {
            return Objects.requireNonNull(value, () -> setter + " must not be null");
        }
    }
}
