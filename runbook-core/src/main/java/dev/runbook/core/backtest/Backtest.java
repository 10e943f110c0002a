package dev.runbook.core.backtest;

import static dev.runbook.core.internal.Durations.human;

import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.backtest.internal.Comparisons;
import dev.runbook.core.backtest.internal.SimulatedClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.match.RunbookMatch;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Replays historical incidents against a runbook library, in event-time order on a simulated clock: which runbook
 * each would have matched and why, which guard would have refused it, and how that differs from what the audit
 * recorded. This is how a team tries a new runbook or a tighter limit before it goes live.
 *
 * <pre>{@code
 * BacktestReport report = Backtest.builder().runbooks(library).build()
 *     .run(history);                     // HistoricalIncidents, oldest first (e.g. from Neo4jIncidentHistory)
 * System.out.print(report.table());
 * Files.writeString(Path.of("backtest.html"), report.html());
 * }</pre>
 *
 * <p><b>Exactly as the engine counts.</b> Each incident goes through a real {@link RunbookEngine} built for the
 * replay, with a fresh {@link InMemoryGuardStore} and a clock set to the incident's event time, by
 * {@link RunbookEngine#decide}: the indexed match, then the guards enabled, confidence, namespace, parameters,
 * dedupe and rate limit (per hour, per resource, per action, spacing, cooldown), with the same claims, keys and
 * windows as {@link RunbookEngine#handle}. An incident the guards allow counts as a run: it spends the limits the
 * later incidents see.
 *
 * <p><b>Nothing runs.</b> No action is called, not even in a dry run: actions are only compiled against (their
 * names, parameters and whether they change something, which decides the global action limits). So the guards that
 * need the world or a person at the time are not replayed: dry run, blast radius, the locks on the resources a plan
 * touches, and approval. Nothing is notified, journaled or written to an audit.
 *
 * <p><b>Assumptions about execution.</b> Every allowed run is assumed to start at its incident's event time and to
 * last {@link Builder#executionTime} (default 1 minute): its dedupe locks on the incident and on its resource stay
 * held that long on the simulated clock, so another incident on the same resource within that time is refused by
 * dedupe, as it would have been while the real run was going. Every run is assumed to succeed (a failed run counts
 * the same towards the limits). Incidents that happened at the same instant are decided in the order given.
 *
 * <p>Not thread-safe: one {@link #run} at a time. Each run starts from empty guard state.
 */
public final class Backtest {
    private final List<Runbook> runbooks;
    private final boolean discover;
    private final List<ActionProvider> providers;
    private final Map<String, Object> parameters;
    private final Optional<Integer> maxActionsPerHour;
    private final Optional<Duration> minActionSpacing;
    private final Duration executionTime;

    private Backtest(Builder b) {
        this.runbooks = List.copyOf(b.runbooks);
        this.discover = b.discover;
        this.providers = List.copyOf(b.providers);
        this.parameters = Map.copyOf(b.parameters);
        this.maxActionsPerHour = b.maxActionsPerHour;
        this.minActionSpacing = b.minActionSpacing;
        this.executionTime = b.executionTime;
    }

    /** A builder; {@link Builder#runbooks} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Replays incidents given in any order: sorts them by event time first (stable, so equal times keep their order).
     *
     * @throws IllegalArgumentException when an incident has no event time
     */
    public BacktestReport run(Collection<HistoricalIncident> history) {
        for (HistoricalIncident h : history) {
            eventTime(h.incident());
        }
        var sorted = new ArrayList<>(history);
        sorted.sort(Comparator.comparing(h -> eventTime(h.incident())));
        return run(sorted.iterator());
    }

    /**
     * Replays a stream of incidents already in event-time order (a history source's), one at a time, without
     * holding the incidents in memory; the stream is consumed, not closed.
     *
     * @throws IllegalArgumentException when an incident has no event time or comes before the one replayed before
     */
    public BacktestReport run(Stream<HistoricalIncident> history) {
        return run(history.iterator());
    }

    private BacktestReport run(Iterator<HistoricalIncident> history) {
        var clock = new SimulatedClock(Instant.EPOCH);
        var decisions = new ArrayList<BacktestDecision>();
        var builder = RunbookEngine.builder().discoverActions(discover).runbooks(runbooks).clock(clock)
                .guardStore(new InMemoryGuardStore()).lockTtl(executionTime).executedBy("backtest")
                // nothing is closed mid-replay; a run never takes long, so close() needs no grace
                .closeGrace(Duration.ZERO);
        providers.forEach(builder::actionProvider);
        parameters.forEach(builder::parameter);
        maxActionsPerHour.ifPresent(builder::maxActionsPerHour);
        minActionSpacing.ifPresent(builder::minActionSpacing);
        try (RunbookEngine engine = builder.build()) {
            Instant last = null;
            String lastId = "";
            while (history.hasNext()) {
                HistoricalIncident h = Objects.requireNonNull(history.next(), "history element");
                Incident incident = h.incident();
                Instant at = eventTime(incident);
                if (last != null && at.isBefore(last)) {
                    throw new IllegalArgumentException("incidents must come in event-time order: incident '"
                            + incident.incidentId() + "' at " + at + " comes after '" + lastId + "' at " + last
                            + "; sort the history, or pass a collection to run(Collection)");
                }
                last = at;
                lastId = incident.incidentId();
                clock.set(at);
                decisions.add(decide(engine, h, engine.decide(incident)));
            }
        }
        return new BacktestReport(decisions, runbooks.stream().map(Runbook::id).distinct().toList(), executionTime);
    }

    private static BacktestDecision decide(RunbookEngine engine, HistoricalIncident h, Execution e) {
        Incident i = h.incident();
        BacktestOutcome outcome;
        String why;
        Optional<GuardDecision> denial = e.denial();
        if (e.status() == ExecutionStatus.NO_MATCH) {
            outcome = BacktestOutcome.NO_MATCH;
            why = noMatch(engine.explain(i).rejected());
        } else {
            // An engine failure is recorded as FAILED without a denial: report it as a refusal, never as a run.
            outcome = e.status() == ExecutionStatus.PLANNED ? BacktestOutcome.WOULD_RUN : BacktestOutcome.WOULD_DENY;
            if (outcome == BacktestOutcome.WOULD_DENY && denial.isEmpty()) {
                denial = Optional.of(GuardDecision.deny("engine", e.error().orElse(e.status().name())));
            }
            why = e.match().matches().stream().findFirst().map(RunbookMatch::why).orElse("");
        }
        Optional<String> runbook = e.runbookId().isEmpty() ? Optional.empty() : Optional.of(e.runbookId());
        Comparisons.Result cmp = Comparisons.compare(outcome, runbook, denial, h.recorded());
        return new BacktestDecision(i.incidentId(), eventTime(i), i.symptomReason(), i.rootCauseReason(),
                i.rcaConfidence(), i.resource().key(), outcome, runbook, why, e.guardDecisions(), denial,
                h.recorded(), cmp.comparison(), cmp.difference());
    }

    private static String noMatch(List<RunbookMatch> rejected) {
        if (rejected.isEmpty()) {
            return "no runbook in the library";
        }
        int shown = Math.min(10, rejected.size());
        var parts = new ArrayList<String>();
        for (RunbookMatch m : rejected.subList(0, shown)) {
            parts.add(m.runbook().id() + ": " + m.why());
        }
        return "no runbook matches: " + String.join("; ", parts)
                + (rejected.size() > shown ? "; and " + (rejected.size() - shown) + " more" : "");
    }

    private static Instant eventTime(Incident i) {
        return i.eventTime().orElseThrow(() -> new IllegalArgumentException("incident '" + i.incidentId()
                + "' has no event time: a backtest places every incident on the timeline by its event_time"));
    }

    /** Builds a {@link Backtest}; each setter checks its value at once. */
    public static final class Builder {
        private final List<Runbook> runbooks = new ArrayList<>();
        private boolean discover = true;
        private final List<ActionProvider> providers = new ArrayList<>();
        private final Map<String, Object> parameters = new HashMap<>();
        private Optional<Integer> maxActionsPerHour = Optional.empty();
        private Optional<Duration> minActionSpacing = Optional.empty();
        private Duration executionTime = Duration.ofMinutes(1);

        private Builder() {
        }

        /** The library to test (required, at least one runbook). */
        public Builder runbooks(Collection<Runbook> list) {
            list.forEach(r -> runbooks.add(Objects.requireNonNull(r, "runbook")));
            return this;
        }

        /** Whether actions are found through ServiceLoader, as the engine's builder does (default true). */
        public Builder discoverActions(boolean discover) {
            this.discover = discover;
            return this;
        }

        /** A provider of actions the runbooks use; its actions are compiled against, never called. */
        public Builder actionProvider(ActionProvider provider) {
            providers.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** A host parameter value, as given to the engine (the parameters guard checks them). */
        public Builder parameter(String name, Object value) {
            parameters.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value of " + name));
            return this;
        }

        /** The engine's global {@code maxActionsPerHour}, when the host sets one. */
        public Builder maxActionsPerHour(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("maxActionsPerHour must be at least 1, got " + limit);
            }
            this.maxActionsPerHour = Optional.of(limit);
            return this;
        }

        /** The engine's global {@code minActionSpacing}, when the host sets one. */
        public Builder minActionSpacing(Duration spacing) {
            if (Objects.requireNonNull(spacing, "minActionSpacing").isNegative()) {
                throw new IllegalArgumentException("minActionSpacing must not be negative, got " + human(spacing));
            }
            this.minActionSpacing = Optional.of(spacing);
            return this;
        }

        /**
         * How long each allowed run is assumed to last (default 1 minute): its dedupe locks stay held that long on
         * the simulated clock.
         */
        public Builder executionTime(Duration d) {
            Objects.requireNonNull(d, "executionTime");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("executionTime must be positive, got " + d);
            }
            this.executionTime = d;
            return this;
        }

        /**
         * Builds it; the runbooks compile when {@link Backtest#run} starts.
         *
         * @throws IllegalStateException when no runbook was given
         */
        public Backtest build() {
            if (runbooks.isEmpty()) {
                throw new IllegalStateException("Backtest needs the runbook library: call runbooks(...)");
            }
            return new Backtest(this);
        }
    }
}
