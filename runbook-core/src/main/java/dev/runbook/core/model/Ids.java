package dev.runbook.core.model;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The alphabets of the names a runbook gives things: runbook ids, step names, parameter names and output variables.
 * They are keys, and tools print them to terminals and logs, so they hold no control characters, no invisible or
 * direction-changing characters and no line breaks, and they are bounded. {@code RunbookCompiler} reports a name
 * that breaks these rules as a problem at the name's path (so file loaders locate it); loaders check them while
 * reading too.
 *
 * <ul>
 *   <li>runbook ids: ASCII letters, digits, {@code -}, {@code _} and {@code .}, starting with a letter or digit
 *       ({@code oomkilled-increase-memory-v1});</li>
 *   <li>step names: letters and digits (any script), combining marks, spaces and ASCII punctuation, starting with a
 *       letter or digit ({@code Trigger node replacement (cloud provider)});</li>
 *   <li>parameter names and output variables: identifiers, ASCII letters, digits and {@code _}, not starting with a
 *       digit (templates read them as variables);</li>
 *   <li>each at most {@value #MAX_LENGTH} characters.</li>
 * </ul>
 */
public final class Ids {
    /** The longest id or name, in characters. */
    public static final int MAX_LENGTH = 128;

    /** How much of an offending value messages show. */
    static final int SHOWN = 80;

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Ids() {
    }

    /** What is wrong with this runbook id, if anything. */
    public static Optional<String> runbookIdProblem(String id) {
        if (id.isBlank()) {
            return Optional.of("runbook id must not be empty; give the runbook a unique id such as "
                    + "oomkilled-increase-memory-v1");
        }
        int bad = firstBad(id, Ids::idChar);
        if (bad >= 0) {
            return Optional.of("runbook id " + quote(id) + " may hold only ASCII letters, digits, '-', '_' and '.', "
                    + "and must start with a letter or digit (" + describe(id, bad) + "); for instance "
                    + "oomkilled-increase-memory-v1");
        }
        return tooLong("runbook id", id);
    }

    /** What is wrong with this step name, if anything. */
    public static Optional<String> stepNameProblem(String name) {
        if (name.isBlank()) {
            return Optional.of("step name must not be empty");
        }
        int bad = firstBad(name, Ids::stepChar);
        if (bad >= 0) {
            return Optional.of("step name " + quote(name) + " may hold only letters, digits, spaces and ASCII "
                    + "punctuation, and must start with a letter or digit (" + describe(name, bad) + ")");
        }
        return tooLong("step name", name);
    }

    /**
     * What is wrong with this variable name (a parameter's name or a step's output variable), if anything.
     *
     * @param what {@code parameter} or {@code output_var}, for the message
     */
    public static Optional<String> variableNameProblem(String what, String name) {
        if (!VARIABLE.matcher(name).matches()) {
            return Optional.of(what + " name " + quote(name) + " must be an identifier (letters, digits, _)");
        }
        return tooLong(what + " name", name);
    }

    /**
     * A value for a message: in single quotes, control, invisible and direction-changing characters written as
     * {@code \}{@code uXXXX} ({@code \n}, {@code \r}, {@code \t} for the common ones), cut after {@value #SHOWN}
     * characters. Safe to print to a terminal.
     */
    public static String quote(String value) {
        boolean cut = value.codePointCount(0, value.length()) > SHOWN;
        String shown = cut ? value.substring(0, value.offsetByCodePoints(0, SHOWN)) : value;
        return "'" + escape(shown) + (cut ? "..." : "") + "'";
    }

    /**
     * The text with every {@linkplain #unsafe unsafe} character written as {@code \n}, {@code \r}, {@code \t} or
     * {@code \}{@code uXXXX}; safe text is returned as it is.
     */
    public static String escape(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (unsafe(cp)) {
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

    /**
     * Whether a character must not reach a terminal as it is: C0 and C1 controls, DEL, and the format (invisible,
     * direction-changing), line and paragraph separator, surrogate, private-use and unassigned characters.
     */
    public static boolean unsafe(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> true;
            default -> false;
        };
    }

    private interface Allowed {
        boolean test(int cp, boolean first);
    }

    private static boolean idChar(int cp, boolean first) {
        boolean alnum = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
        return alnum || (!first && (cp == '-' || cp == '_' || cp == '.'));
    }

    private static boolean stepChar(int cp, boolean first) {
        if (Character.isLetterOrDigit(cp)) {
            return true;
        }
        if (first) {
            return false;
        }
        int type = Character.getType(cp);
        boolean asciiPunctuation = cp > ' ' && cp < 0x7F;
        return cp == ' ' || asciiPunctuation || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    /** The char index of the first code point not allowed, or -1. */
    private static int firstBad(String s, Allowed allowed) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!allowed.test(cp, i == 0)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    private static String describe(String s, int index) {
        int cp = s.codePointAt(index);
        int position = s.codePointCount(0, index) + 1;
        String what = unsafe(cp) || Character.isWhitespace(cp) ? String.format(Locale.ROOT, "U+%04X", cp)
                : "'" + new String(Character.toChars(cp)) + "'";
        return what + " at character " + position;
    }

    private static Optional<String> tooLong(String what, String s) {
        int length = s.codePointCount(0, s.length());
        return length <= MAX_LENGTH ? Optional.empty() : Optional.of(what + " " + quote(s) + " is " + length
                + " characters long; the limit is " + MAX_LENGTH);
    }
}
