package dev.runbook.core.retry;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the HTTP {@code Retry-After} header (RFC 9110 section 10.2.3): either delta-seconds ({@code 120}) or an
 * HTTP-date ({@code Sun, 06 Nov 1994 08:49:37 GMT}, and the obsolete RFC 850 and asctime forms recipients must
 * accept), relative to the given clock. Anything else (negative numbers, fractions, garbage, a date that is not in
 * the future) gives no hint, so the caller falls back to its own backoff. Huge values are returned as they are
 * (saturating at the largest {@link Duration}): {@link Backoff} caps them.
 */
public final class RetryAfter {
    /** The header's name. */
    public static final String HEADER = "Retry-After";

    private static final List<DateTimeFormatter> DATES = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (two-digit years read as 19xx/20xx near now, RFC 9110 5.6.7)
            new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
                    .appendValueReduced(ChronoField.YEAR, 2, 2, 1970).appendPattern(" HH:mm:ss 'GMT'")
                    .toFormatter(Locale.ENGLISH),
            // asctime: Sun Nov  6 08:49:37 1994
            new DateTimeFormatterBuilder().appendPattern("EEE MMM ").padNext(2).appendPattern("d HH:mm:ss yyyy")
                    .toFormatter(Locale.ENGLISH));

    private RetryAfter() {
    }

    /**
     * The wait the header asks for.
     *
     * @param value the header's value
     * @param clock now, for HTTP-dates
     * @return empty when the value is neither valid delta-seconds nor a future HTTP-date
     */
    public static Optional<Duration> parse(String value, Clock clock) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(clock, "clock");
        String v = value.trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return Optional.of(seconds(v));
        }
        Instant now = clock.instant();
        for (DateTimeFormatter f : DATES) {
            Optional<Instant> at = date(v, f);
            if (at.isPresent()) {
                return at.filter(now::isBefore).map(t -> Duration.between(now, t));
            }
        }
        return Optional.empty();
    }

    /** Kubernetes' {@code Status.details.retryAfterSeconds}: a hint when positive. */
    public static Optional<Duration> ofSeconds(long seconds) {
        return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
    }

    private static Duration seconds(String digits) {
        String d = digits.replaceFirst("^0+(?=.)", "");
        // 18 digits always fit a long; more is absurd anyway, and saturates.
        return d.length() > 18 ? Duration.ofSeconds(Long.MAX_VALUE) : Duration.ofSeconds(Long.parseLong(d));
    }

    private static Optional<Instant> date(String v, DateTimeFormatter f) {
        try {
            if (f == DateTimeFormatter.RFC_1123_DATE_TIME) {
                if (!v.endsWith(" GMT")) {
                    return Optional.empty(); // HTTP-dates are always GMT; RFC 1123 also allows offsets
                }
                return Optional.of(ZonedDateTime.parse(v, f).toInstant());
            }
            return Optional.of(LocalDateTime.parse(v, f).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
