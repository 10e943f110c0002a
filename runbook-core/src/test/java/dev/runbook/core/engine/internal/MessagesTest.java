package dev.runbook.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/** The guard's confidence wording keeps what {@code %.2f} printed, without a Formatter on every execution. */
class MessagesTest {

    @Property(tries = 2000)
    void twoDecimalsPrintsWhatPercentTwoFPrints(@ForAll @DoubleRange(min = -2, max = 2) double value) {
        assertThat(Messages.twoDecimals(value)).isEqualTo(String.format(Locale.ROOT, "%.2f", value));
    }

    @Test
    void halfwayValuesAndNonFiniteOnesPrintAsBefore() {
        for (double v : new double[] {0.125, 0.145, 0.005, 0.995, 0.8, 1.0, 0.0, -0.0, 0.915, 0.7250000000000001,
                Double.NaN, Double.POSITIVE_INFINITY, 1e-9}) {
            assertThat(Messages.twoDecimals(v)).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.2f", v));
        }
    }
}
