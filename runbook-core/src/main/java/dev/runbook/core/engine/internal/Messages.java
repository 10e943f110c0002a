package dev.runbook.core.engine.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Small wording helpers shared by the engine's classes. */
final class Messages {
    private Messages() {
    }

    /** The message of the cause that matters, never empty. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /**
     * {@code value} with two decimals, as {@code %.2f} prints it (half up on its shortest decimal form), without a
     * Formatter, which costs microseconds on the path of every execution.
     */
    static String twoDecimals(double value) {
        if (!Double.isFinite(value) || Math.copySign(1.0, value) < 0) {
            // confidences are never negative; "-0.00" and the like keep the Formatter's exact wording
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return new BigDecimal(Double.toString(value)).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
