package dev.runbook.cli.internal;

import dev.runbook.core.model.Ids;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Makes text that came from input (runbook files, incident files, file names, exception messages quoting them) safe
 * to print: control characters (escape sequences, BEL, NUL, line breaks), invisible and direction-changing
 * characters are written as {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}, so nothing read can move
 * the cursor, retitle the window, hide text or fake an output line. Every line the commands print goes through it.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** The text with every unsafe character escaped; safe text is returned as it is. */
    public static String escape(String text) {
        return Ids.escape(text);
    }

    /** A stack trace (for {@code --verbose}), each line escaped: exception messages quote input too. */
    public static void printStackTrace(Throwable e, PrintWriter err) {
        var trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        // The tab that indents each frame is the trace's own; everything after it may quote input.
        trace.toString().lines().forEach(line -> err.println(line.startsWith("\t")
                ? "\t" + escape(line.substring(1)) : escape(line)));
    }
}
