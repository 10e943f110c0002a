package dev.runbook.cli.internal;

import dev.runbook.core.model.Ids;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;

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
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (Ids.unsafe(cp)) {
                if (sb == null) {
                    sb = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                sb.append(switch (cp) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format(Locale.ROOT, "\\u%04X", cp);
                });
            } else if (sb != null) {
                sb.append(text, i, next);
            }
            i = next;
        }
        return sb == null ? text : sb.toString();
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
