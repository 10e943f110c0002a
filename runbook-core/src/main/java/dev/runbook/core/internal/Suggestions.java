package dev.runbook.core.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for misspelled names: the closest candidate within a small edit distance. The one home for
 * suggestions in every module (expressions, compiler, loaders, CLI), so that a slip gets the same hint everywhere.
 */
public final class Suggestions {
    /** Names longer than this get no suggestion: the distance table is quadratic and the input may be hostile. */
    static final int MAX_LENGTH = 64;

    private Suggestions() {
    }

    /**
     * The candidate closest to {@code input}, if it is close enough to be a likely typo: an edit distance (case
     * ignored) of at most {@code max(2, shorter length / 3)}.
     */
    public static Optional<String> closest(String input, Collection<String> candidates) {
        if (input.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String word = input.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            if (c.length() > MAX_LENGTH) {
                continue;
            }
            int d = distance(word, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, Math.min(input.length(), best.length()) / 3)
                ? Optional.of(best) : Optional.empty();
    }

    /**
     * Like {@link #closest}, and for a fixed set of keys also a shortened name: an input of four characters or more
     * that starts a candidate ({@code root_cause} for {@code root_cause_reason}) is as likely a slip as a typo.
     * Not for open name spaces (variables), where a shorter name may be meant.
     */
    public static Optional<String> closestKey(String input, Collection<String> candidates) {
        Optional<String> close = closest(input, candidates);
        if (close.isPresent() || input.length() < 4) {
            return close;
        }
        String word = input.toLowerCase(Locale.ROOT);
        return candidates.stream().filter(c -> c.toLowerCase(Locale.ROOT).startsWith(word)).findFirst();
    }

    /** {@code " (did you mean 'x'?)"} or the empty string. */
    public static String didYouMean(String input, Collection<String> candidates) {
        return closest(input, candidates).map(s -> " (did you mean '" + s + "'?)").orElse("");
    }

    /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
