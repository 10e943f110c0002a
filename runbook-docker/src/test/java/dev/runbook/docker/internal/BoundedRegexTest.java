package dev.runbook.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 13: a caller's regular expression cannot hold a core; every limit is named in its error. */
class BoundedRegexTest {
    /** 40 digits: {@code (.*\d){12}x} backtracks through about C(40,12) = 5.6e9 splits before failing. */
    private static final String DIGITS = "1234567890".repeat(4);

    @Test
    void aCatastrophicPatternStopsAtTheBudgetNamingIt() {
        BoundedRegex regex = BoundedRegex.compile("(.*\\d){12}x");
        long start = System.nanoTime();
        // preemptive: without the deadline the match runs for minutes and this fails at 10 s
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> regex.search(Duration.ofMillis(200)).find(DIGITS))
                        .isInstanceOf(BoundedRegex.RegexLimitException.class)
                        .hasMessageContaining("(.*\\d){12}x").hasMessageContaining("200 ms limit"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void theBudgetCoversEveryLineOfOneSearch() {
        var search = BoundedRegex.compile("(.*\\d){12}x").search(Duration.ofMillis(300));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() ->
                List.of("a", DIGITS, DIGITS).forEach(search::find)).hasMessageContaining("300 ms limit"));
    }

    @Test
    void anInterruptedThreadStopsMatching() {
        var search = BoundedRegex.compile("(.*\\d){12}x").search(Duration.ofMinutes(5));
        // preemptive: the executable runs on a thread of its own, which is the one interrupted here
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> search.find(DIGITS)).hasMessageContaining("interrupted");
            } finally {
                Thread.interrupted();
            }
        });
    }

    @Test
    void ordinaryPatternsFindAsJavaDoes() {
        var search = BoundedRegex.compile("(?i)\\b(error|fatal)\\b").search(Duration.ofSeconds(1));
        assertThat(search.find("2026 ERROR disk full")).isTrue();
        assertThat(search.find("all fine")).isFalse();
        assertThat(BoundedRegex.compile("(\\d+)ms").search(Duration.ofSeconds(1)).find("took 12ms")).isTrue();
    }

    @Test
    void patternAndInputLengthsAreCapped() {
        assertThatThrownBy(() -> BoundedRegex.compile("a".repeat(BoundedRegex.MAX_PATTERN_LENGTH + 1)))
                .hasMessage("pattern is 513 characters, over the limit of 512; use a shorter pattern");
        assertThatThrownBy(() -> BoundedRegex.compile("(unclosed"))
                .hasMessageStartingWith("pattern '(unclosed' is not a valid regular expression: ");
        var search = BoundedRegex.compile("x").search(Duration.ofSeconds(1));
        assertThat(search.find("x".repeat(BoundedRegex.MAX_INPUT_LENGTH))).isTrue();
        assertThatThrownBy(() -> search.find("y".repeat(BoundedRegex.MAX_INPUT_LENGTH + 1)))
                .hasMessage("an input of 65537 characters is over the limit of 65536 for pattern 'x'");
    }
}
