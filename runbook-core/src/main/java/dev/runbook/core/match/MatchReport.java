package dev.runbook.core.match;

import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The runbooks that match an incident, best first, and every other runbook considered with the reason it
 * did not match.
 *
 * <p>The engine's hot path knows only which runbooks match ({@link #matchingRunbooks()}, {@link #best()});
 * the criterion-by-criterion explanations ({@link #matches()}, {@link #rejected()}) are built the first time
 * someone reads them (the CLI, the audit, a listener), so an incident storm does not pay for explaining the
 * library. Reading them gives the same explanation as building them eagerly would. Thread-safe and immutable
 * as seen from outside; equality compares the incident and the explanations.
 */
public final class MatchReport {
    private final Incident incident;
    private final List<Runbook> ranked;
    private final Supplier<Explained> explain;
    private volatile Explained explained;
    private final Optional<String> choice;

    /** The explanations, built together because ranking needs both lists. */
    record Explained(List<RunbookMatch> matches, List<RunbookMatch> rejected) {
        Explained {
            matches = List.copyOf(matches);
            rejected = List.copyOf(rejected);
        }
    }

    /**
     * A report with its explanations given.
     *
     * @param incident the incident
     * @param matches  matching runbooks, ranked: most specific trigger first, then highest min_confidence, then id
     * @param rejected runbooks considered that did not match
     */
    public MatchReport(Incident incident, List<RunbookMatch> matches, List<RunbookMatch> rejected) {
        this.incident = Objects.requireNonNull(incident, "incident");
        this.explained = new Explained(matches, rejected);
        this.ranked = this.explained.matches().stream().map(RunbookMatch::runbook).toList();
        this.explain = () -> explained;
        this.choice = Optional.empty();
    }

    /** A report that knows its ranked matches now and explains them when first asked. */
    MatchReport(Incident incident, List<Runbook> ranked, Supplier<Explained> explain) {
        this(incident, ranked, explain, Optional.empty());
    }

    private MatchReport(Incident incident, List<Runbook> ranked, Supplier<Explained> explain, Optional<String> choice) {
        this.incident = Objects.requireNonNull(incident, "incident");
        this.ranked = List.copyOf(ranked);
        this.explain = Objects.requireNonNull(explain, "explain");
        this.choice = choice;
    }

    /** This report with the same matches in {@code order} and why ({@link OutcomeRanker}). */
    MatchReport reordered(List<Runbook> order, String why) {
        List<Runbook> o = List.copyOf(order);
        return new MatchReport(incident, o, () -> {
            Explained e = explained();
            var sorted = new java.util.ArrayList<>(e.matches());
            sorted.sort(java.util.Comparator.comparingInt(m -> o.indexOf(m.runbook())));
            return new Explained(sorted, e.rejected());
        }, Optional.of(why));
    }

    /**
     * Why the best match was chosen when the engine ranks by outcome ({@link Ranking#OUTCOME}) and two or more
     * runbooks match: {@code chosen over restart-pod-v1: 9/10 succeeded vs 3/6}. Empty otherwise.
     */
    public Optional<String> choice() {
        return choice;
    }

    /** The incident matched. */
    public Incident incident() {
        return incident;
    }

    /** The matching runbooks, ranked; cheap (no explanation is built). */
    public List<Runbook> matchingRunbooks() {
        return ranked;
    }

    /** The best match; cheap. */
    public Optional<Runbook> best() {
        return ranked.isEmpty() ? Optional.empty() : Optional.of(ranked.get(0));
    }

    /**
     * Matching runbooks with why each matched, ranked: most specific trigger first, then highest min_confidence, then
     * id; by their record first when the engine ranks by outcome ({@link #choice()}).
     */
    public List<RunbookMatch> matches() {
        return explained().matches();
    }

    /** Runbooks considered that did not match, each with why. */
    public List<RunbookMatch> rejected() {
        return explained().rejected();
    }

    /** Every runbook considered, matches first. */
    public List<RunbookMatch> considered() {
        return Stream.concat(matches().stream(), rejected().stream()).toList();
    }

    private Explained explained() {
        Explained e = explained;
        if (e == null) {
            synchronized (this) {
                e = explained;
                if (e == null) {
                    e = explain.get();
                    explained = e;
                }
            }
        }
        return e;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MatchReport m && incident.equals(m.incident) && matches().equals(m.matches())
                && rejected().equals(m.rejected());
    }

    @Override
    public int hashCode() {
        return Objects.hash(incident, matches(), rejected());
    }

    @Override
    public String toString() {
        return "MatchReport[incident=" + incident.incidentId() + ", matching=" + ranked.stream().map(Runbook::id).toList()
                + choice.map(c -> ", " + c).orElse("") + "]";
    }
}
