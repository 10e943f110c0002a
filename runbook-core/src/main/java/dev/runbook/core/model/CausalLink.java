package dev.runbook.core.model;

import java.util.Objects;

/**
 * One link of the causal chain behind an incident: event {@code causeEventId} ({@code causeReason})
 * is a potential cause of {@code effectEventId} with this confidence.
 */
public record CausalLink(String causeEventId, String causeReason, String effectEventId, double confidence) {
    public CausalLink {
        Objects.requireNonNull(causeEventId, "causeEventId");
        Objects.requireNonNull(causeReason, "causeReason");
        Objects.requireNonNull(effectEventId, "effectEventId");
    }
}
