package dev.runbook.core.match;

import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The runbooks that match an incident, best first, and every other runbook considered with the reason it
 * did not match.
 *
 * @param incident   the incident
 * @param matches    matching runbooks, ranked: most specific trigger first, then highest min_confidence, then id
 * @param rejected   runbooks considered that did not match
 */
public record MatchReport(Incident incident, List<RunbookMatch> matches, List<RunbookMatch> rejected) {
    public MatchReport {
        Objects.requireNonNull(incident, "incident");
        matches = List.copyOf(matches);
        rejected = List.copyOf(rejected);
    }

    /** The best match. */
    public Optional<Runbook> best() {
        return matches.isEmpty() ? Optional.empty() : Optional.of(matches.get(0).runbook());
    }

    /** Every runbook considered, matches first. */
    public List<RunbookMatch> considered() {
        return java.util.stream.Stream.concat(matches.stream(), rejected.stream()).toList();
    }
}
