package dev.runbook.neo4j.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Cypher text as words and symbols, with comments dropped and every string literal reduced to one placeholder, so
 * that a keyword inside a string or a comment is not taken for a clause and a comment cannot hide one
 * (a comment between {@code LOAD} and {@code CSV} still leaves {@code LOAD CSV}). A backquoted name is a word that
 * is never a keyword.
 */
final class CypherTokens {
    private CypherTokens() {
    }

    /**
     * One token.
     *
     * @param text   the word, the symbol, or {@code ''} for a string literal
     * @param word   a name or keyword (letters, digits, {@code _}), possibly backquoted
     * @param quoted backquoted: a name, never a keyword
     */
    record Token(String text, boolean word, boolean quoted) {
        /** An unquoted word equal (ignoring case) to one of these. */
        boolean isWord(String... any) {
            if (!word || quoted) {
                return false;
            }
            for (String a : any) {
                if (text.equalsIgnoreCase(a)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Whether this word, at index {@code i}, is in a keyword's place: unquoted, not a property or label (after
         * {@code .} or {@code :}), not a parameter (after {@code $}) and not a map key (before {@code :}).
         */
        boolean keywordAt(List<Token> all, int i) {
            if (!word || quoted) {
                return false;
            }
            String prev = i > 0 ? all.get(i - 1).text() : "";
            String next = i + 1 < all.size() ? all.get(i + 1).text() : "";
            return !prev.equals(".") && !prev.equals(":") && !prev.equals("$") && !next.equals(":");
        }
    }

    /** The tokens of a query. */
    static List<Token> of(String q) {
        var out = new ArrayList<Token>();
        int i = 0;
        int n = q.length();
        while (i < n) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < n && q.charAt(i + 1) == '/') {
                while (i < n && q.charAt(i) != '\n' && q.charAt(i) != '\r') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && q.charAt(i + 1) == '*') {
                int end = q.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("the query has a comment that is never closed (/* without */)");
                }
                i = end + 2;
            } else if (c == '\'' || c == '"') {
                i = skipString(q, i, c);
                out.add(new Token("''", false, false));
            } else if (c == '`') {
                var name = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("the query has a backquoted name that is never closed");
                    }
                    if (q.charAt(i) == '`') {
                        if (i + 1 < n && q.charAt(i + 1) == '`') {
                            name.append('`');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    name.append(q.charAt(i++));
                }
                out.add(new Token(name.toString(), true, true));
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(q.charAt(i)) || q.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(q.substring(start, i), true, false));
            } else {
                out.add(new Token(String.valueOf(c), false, false));
                i++;
            }
        }
        return List.copyOf(out);
    }

    /** {@code a.b.c} from index {@code i} on: words joined by dots. */
    static String dottedName(List<Token> t, int i) {
        var name = new StringBuilder(t.get(i).text());
        int j = i + 1;
        while (j + 1 < t.size() && t.get(j).text().equals(".") && t.get(j + 1).word()) {
            name.append('.').append(t.get(j + 1).text());
            j += 2;
        }
        return name.toString();
    }

    private static int skipString(String q, int start, char quote) {
        int i = start + 1;
        while (i < q.length()) {
            char c = q.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("the query has a string that is never closed (" + quote + " without "
                + "its closing " + quote + ")");
    }
}
