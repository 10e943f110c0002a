package dev.runbook.core.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one duration parser, which runbooks and the command line share. */
class ParamConversionsTest {
    @Test
    void readsEveryUnitFractionsBareSecondsAndIso() {
        assertThat(ParamConversions.toDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ParamConversions.toDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ParamConversions.toDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ParamConversions.toDuration("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(ParamConversions.toDuration("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(ParamConversions.toDuration(" 2W ")).isEqualTo(Duration.ofDays(14));
        assertThat(ParamConversions.toDuration("300")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ParamConversions.toDuration(2.5)).isEqualTo(Duration.ofMillis(2500));
        assertThat(ParamConversions.toDuration("pt5m")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void textThatIsNoDurationIsNamedWithTheFormsThatWork() {
        assertThatThrownBy(() -> ParamConversions.toDuration("30x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a duration: '30x' (use 300, 30s, 5m, 1h or PT5M)");
        assertThatThrownBy(() -> ParamConversions.toDuration(true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a duration");
    }
}
