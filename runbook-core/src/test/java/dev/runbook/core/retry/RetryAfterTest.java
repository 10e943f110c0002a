package dev.runbook.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-30T08:00:00Z"), ZoneOffset.UTC);

    @Test
    void deltaSeconds() {
        assertThat(RetryAfter.parse("120", clock)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", clock)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("0007", clock)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse("1000000000", clock)).contains(Duration.ofSeconds(1_000_000_000L));
        assertThat(RetryAfter.parse("99999999999999999999999999", clock)).contains(Duration.ofSeconds(Long.MAX_VALUE));
    }

    @Test
    void httpDatesInEveryFormRfc9110Accepts() {
        assertThat(RetryAfter.parse("Mon, 30 Nov 2026 08:01:30 GMT", clock)).contains(Duration.ofSeconds(90));
        assertThat(RetryAfter.parse("Monday, 30-Nov-26 08:01:30 GMT", clock)).contains(Duration.ofSeconds(90));
        assertThat(RetryAfter.parse("Mon Nov 30 08:01:30 2026", clock)).contains(Duration.ofSeconds(90));
        assertThat(RetryAfter.parse("Tue Dec  1 08:00:00 2026", clock)).contains(Duration.ofDays(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "-5", "1.5", "soon", "12abc", "0x10",
            "Sun, 06 Nov 1994 08:49:37 GMT", "Mon, 30 Nov 2026 08:00:00 GMT", "Mon, 30 Nov 2026 09:00:00 +0100",
            "Mon, 30 Nov 2026 25:00:00 GMT"})
    void invalidNegativeAndPastValuesGiveNoHint(String value) {
        assertThat(RetryAfter.parse(value, clock)).isEmpty();
    }

    @Test
    void kubernetesRetryAfterSeconds() {
        assertThat(RetryAfter.ofSeconds(3)).contains(Duration.ofSeconds(3));
        assertThat(RetryAfter.ofSeconds(0)).isEmpty();
        assertThat(RetryAfter.ofSeconds(-1)).isEmpty();
    }
}
