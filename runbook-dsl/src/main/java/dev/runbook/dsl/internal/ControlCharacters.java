package dev.runbook.dsl.internal;

import dev.runbook.dsl.Diagnostic;
import dev.runbook.dsl.internal.PositionMapper.Position;
import java.util.List;
import java.util.Locale;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Finds the characters YAML does not allow (NUL, BEL, ESC and the other control characters, DEL, ...) before
 * parsing, so each is reported at its own line and column: snakeyaml stops at the first one and says only where in
 * the stream it was. Lines and columns are counted as snakeyaml counts them (code points; {@code \n}, a lone
 * {@code \r}, U+0085, U+2028 and U+2029 end a line; a byte order mark takes no column), so they agree with every
 * other position in the file.
 */
final class ControlCharacters {
    /** Reported one by one up to this many; a file with more is garbage and one summary line says so. */
    static final int MAX_REPORTED = 10;

    private static final String[] C0 = {"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF",
        "VT", "FF", "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC",
        "FS", "GS", "RS", "US"};

    private ControlCharacters() {
    }

    /**
     * Reports every character of {@code text} YAML does not allow.
     *
     * @return whether there was none
     */
    static boolean report(String text, String file, PositionMapper mapper, String what, List<Diagnostic> out) {
        int found = 0;
        Position firstUnreported = null;
        int line = 0;
        int column = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (!StreamReader.isPrintable(cp)) {
                Position p = mapper.at(line, column);
                if (++found > MAX_REPORTED && firstUnreported == null) {
                    firstUnreported = p;
                } else if (found <= MAX_REPORTED) {
                    out.add(new Diagnostic(file, p.line(), p.column(), what + " is not valid YAML: "
                            + (Character.getType(cp) == Character.CONTROL ? "control character " : "character ")
                            + describe(cp) + " is not allowed; remove it (runbook text is printable characters, "
                            + "tabs and line breaks)"));
                }
            }
            int next = i + Character.charCount(cp);
            if (endsLine(cp, text, next)) {
                line++;
                column = 0;
            } else if (cp != 0xFEFF) {
                column++;
            }
            i = next;
        }
        if (firstUnreported != null) {
            out.add(new Diagnostic(file, firstUnreported.line(), firstUnreported.column(), what + " is not valid YAML: "
                    + (found - MAX_REPORTED) + " more control characters from here on; is it a text file?"));
        }
        return found == 0;
    }

    /** The file position of the code point at {@code codePointIndex} of {@code text}. */
    static Position position(String text, int codePointIndex, PositionMapper mapper) {
        int line = 0;
        int column = 0;
        int i = 0;
        for (int n = 0; n < codePointIndex && i < text.length(); n++) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (endsLine(cp, text, i)) {
                line++;
                column = 0;
            } else if (cp != 0xFEFF) {
                column++;
            }
        }
        return mapper.at(line, column);
    }

    private static boolean endsLine(int cp, String text, int next) {
        return cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029
                || (cp == '\r' && (next >= text.length() || text.charAt(next) != '\n'));
    }

    /** {@code U+0007 (BEL)}. */
    static String describe(int cp) {
        String name = cp < C0.length ? C0[cp] : cp == 0x7F ? "DEL" : null;
        return "U+" + hex(cp) + (name == null ? "" : " (" + name + ")");
    }

    static String hex(int cp) {
        return String.format(Locale.ROOT, "%04X", cp);
    }
}
