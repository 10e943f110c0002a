package dev.runbook.docker.internal;

import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression from an untrusted caller, run with limits: the pattern's length, each input's length and a
 * deadline for all the matching of one call. Java's backtracking matcher takes exponential time on patterns such as
 * {@code (.*\d){12}x} and cannot be stopped from outside; it reads its input only through
 * {@link CharSequence#charAt}, so the input is wrapped in a sequence that checks the deadline (and the thread's
 * interrupt) as it is read and throws {@link RegexLimitException} once it has passed.
 */
public final class BoundedRegex {
    /** The longest pattern accepted, in characters. */
    public static final int MAX_PATTERN_LENGTH = 512;
    /** The longest input one match reads, in characters. */
    public static final int MAX_INPUT_LENGTH = 65_536;
    /** How often (in characters read) the deadline is checked: cheap enough, and well under a millisecond. */
    private static final int CHECK_EVERY = 4096;

    private final Pattern pattern;

    private BoundedRegex(Pattern pattern) {
        this.pattern = pattern;
    }

    /**
     * Compiles a pattern.
     *
     * @throws RegexLimitException when it is longer than {@link #MAX_PATTERN_LENGTH} or not a valid expression
     */
    public static BoundedRegex compile(String regex) {
        if (regex.length() > MAX_PATTERN_LENGTH) {
            throw new RegexLimitException("pattern is " + regex.length() + " characters, over the limit of "
                    + MAX_PATTERN_LENGTH + "; use a shorter pattern");
        }
        try {
            return new BoundedRegex(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new RegexLimitException("pattern '" + regex + "' is not a valid regular expression: "
                    + e.getDescription());
        }
    }

    /** The pattern's text. */
    public String pattern() {
        return pattern.pattern();
    }

    /** A search over several inputs that must all be done within {@code budget} of now. */
    public Search search(Duration budget) {
        return new Search(budget);
    }

    /** Finds within one time budget, started when the search was made. */
    public final class Search {
        private final Duration budget;
        private final long deadline;

        private Search(Duration budget) {
            this.budget = budget;
            this.deadline = System.nanoTime() + budget.toNanos();
        }

        /**
         * Whether the pattern occurs in the input.
         *
         * @throws RegexLimitException when the input is longer than {@link #MAX_INPUT_LENGTH}, the budget ran out,
         *                             or the thread was interrupted
         */
        public boolean find(CharSequence input) {
            if (input.length() > MAX_INPUT_LENGTH) {
                throw new RegexLimitException("an input of " + input.length() + " characters is over the limit of "
                        + MAX_INPUT_LENGTH + " for pattern '" + pattern.pattern() + "'");
            }
            check();
            return pattern.matcher(new Deadlined(input)).find();
        }

        private void check() {
            if (System.nanoTime() - deadline > 0) {
                throw new RegexLimitException("pattern '" + pattern.pattern() + "' took longer than the "
                        + budget.toMillis() + " ms limit for matching; simplify it (nested repetition such as "
                        + "(.*\\d){12} backtracks exponentially)");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new RegexLimitException("matching pattern '" + pattern.pattern() + "' was interrupted");
            }
        }

        private final class Deadlined implements CharSequence {
            private final CharSequence text;
            private int reads;

            Deadlined(CharSequence text) {
                this.text = text;
            }

            @Override
            public char charAt(int index) {
                if (++reads >= CHECK_EVERY) {
                    reads = 0;
                    check();
                }
                return text.charAt(index);
            }

            @Override
            public int length() {
                return text.length();
            }

            @Override
            public CharSequence subSequence(int start, int end) {
                // the matcher reads groups through here; they are bounded by the input and need no deadline
                return text.subSequence(start, end);
            }

            @Override
            public String toString() {
                return text.toString();
            }
        }
    }

    /** A limit of {@link BoundedRegex} was reached; the message names it and the pattern. */
    public static final class RegexLimitException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RegexLimitException(String message) {
            super(message);
        }
    }
}
