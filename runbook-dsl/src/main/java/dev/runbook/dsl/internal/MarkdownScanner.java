package dev.runbook.dsl.internal;

import dev.runbook.core.internal.Suggestions;
import dev.runbook.dsl.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The line-based structure of a Markdown runbook: YAML front matter, ATX headings and fenced code blocks, nothing
 * more (no general Markdown parsing). Headings inside fenced blocks do not count. Problems of the structure itself
 * (a step without a yaml block, two blocks in one step, a yaml block outside a step, an unclosed fence, a misspelled
 * section) are collected as diagnostics with their positions.
 *
 * <p>HTML comments: rendered Markdown shows nothing between {@code <!--} and {@code -->}, and reviewers read the
 * rendered page, so a yaml block or a step or section heading inside a comment would run unseen. Each is refused at
 * its own position. A comment is opened by {@code <!--} anywhere on a prose line outside inline code and runs to the
 * next {@code -->} (stricter than CommonMark for an unclosed {@code <!--} inside a paragraph, which renders as text:
 * refusing there costs the author one edit, missing a real comment would hide a step).
 */
final class MarkdownScanner {
    /** Section names under a runbook that hold steps. */
    static final String STEPS = "Steps";
    static final String ROLLBACK = "Rollback";

    /** A fenced block: the 0-based lines of its content ({@code [first, end)}) and the fence's position. */
    record Block(int fenceLine, int fenceColumn, int first, int end, String info) {
    }

    /** A {@code ###} step heading: its name, where the heading and the name are, and its yaml block. */
    record StepHeading(String name, int line, int column, int nameColumn, Optional<Block> block) {
    }

    /** A {@code ## Steps} or {@code ## Rollback} section. */
    record Section(String title, int line, int column, int titleColumn, List<StepHeading> steps) {
    }

    /** The front matter's content lines {@code [first, end)}. */
    record FrontMatter(int first, int end) {
    }

    /** A {@code # Title}. */
    record Title(String text, int line, int column) {
    }

    /** What the scan found. */
    record Structure(Optional<FrontMatter> frontMatter, Optional<Title> title, Optional<Section> steps,
                     Optional<Section> rollback) {
    }

    private enum Area { PREAMBLE, STEPS, ROLLBACK, DOCUMENTATION }

    private static final String HIDDEN = "rendered Markdown hides what is inside <!-- -->, so reviewers would not see "
            + "it, yet it would be loaded and run; move it out of the comment so reviewers see it, or delete it";

    private final String[] lines;
    private final String file;
    private final List<Diagnostic> diagnostics;

    MarkdownScanner(String[] lines, String file, List<Diagnostic> diagnostics) {
        this.lines = lines;
        this.file = file;
        this.diagnostics = diagnostics;
    }

    static String strip(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    static boolean startsWithFrontMatter(String text) {
        int nl = text.indexOf('\n');
        String first = strip(nl < 0 ? text : text.substring(0, nl));
        if (first.startsWith("\uFEFF")) {
            first = first.substring(1);
        }
        return first.stripTrailing().equals("---");
    }

    private void error(int line0, int column0, String message) {
        diagnostics.add(new Diagnostic(file, line0 + 1, column0 + 1, message));
    }

    Structure scan() {
        int bodyStart = 0;
        Optional<FrontMatter> fm = Optional.empty();
        String first = lines.length == 0 ? "" : strip(lines[0]);
        if (first.startsWith("\uFEFF")) {
            first = first.substring(1);
        }
        if (first.stripTrailing().equals("---")) {
            int close = -1;
            for (int i = 1; i < lines.length; i++) {
                String l = strip(lines[i]).stripTrailing();
                if (l.equals("---") || l.equals("...")) {
                    close = i;
                    break;
                }
            }
            if (close < 0) {
                error(0, 0, "the front matter opened here is not closed; end it with a line holding only ---");
                return new Structure(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
            }
            fm = Optional.of(new FrontMatter(1, close));
            bodyStart = close + 1;
        } else {
            error(0, 0, "a Markdown runbook starts with YAML front matter: a line ---, the runbook's header "
                    + "(id:, name:, trigger:, safety:, ...), and a closing line ---");
        }
        return scanBody(fm, bodyStart);
    }

    private Structure scanBody(Optional<FrontMatter> fm, int bodyStart) {
        Title title = null;
        Section steps = null;
        Section rollback = null;
        Area area = Area.PREAMBLE;
        Section current = null;
        String stepName = null;
        int stepLine = 0;
        int stepColumn = 0;
        int stepNameColumn = 0;
        Block stepBlock = null;
        int commentLine = -1;
        int commentColumn = -1;
        for (int i = bodyStart; i < lines.length; i++) {
            String line = strip(lines[i]);
            int indent = indentOf(line);
            if (commentLine >= 0) {
                // Inside a comment nothing is structure (as in CommonMark, fences are not parsed there either).
                refuseHidden(line, indent, i, commentLine, commentColumn);
                int close = line.indexOf("-->");
                if (close >= 0) {
                    int reopened = commentStart(line, close + 3);
                    commentLine = reopened < 0 ? -1 : i;
                    commentColumn = reopened;
                }
                continue;
            }
            if (indent <= 3 && isFence(line, indent)) {
                char c = line.charAt(indent);
                int len = run(line, indent, c);
                String info = line.substring(indent + len).trim();
                if (c == '`' && info.indexOf('`') >= 0) {
                    continue; // inline code, not a fence
                }
                int close = -1;
                for (int j = i + 1; j < lines.length; j++) {
                    String l = strip(lines[j]);
                    int ind = indentOf(l);
                    if (ind <= 3 && l.length() > ind && l.charAt(ind) == c && run(l, ind, c) >= len
                            && l.substring(ind + run(l, ind, c)).isBlank()) {
                        close = j;
                        break;
                    }
                }
                if (close < 0) {
                    error(i, indent, "this fenced block is not closed; end it with a line " + String.valueOf(c).repeat(len));
                    i = lines.length;
                    continue;
                }
                String word = info.isEmpty() ? "" : info.split("[\\s{]", 2)[0].toLowerCase(Locale.ROOT);
                Block block = new Block(i, indent, i + 1, close, word);
                i = close;
                if (!word.equals("yaml") && !word.equals("yml")) {
                    continue; // shell snippets, examples: documentation
                }
                if (stepName != null) {
                    if (stepBlock != null) {
                        error(block.fenceLine(), block.fenceColumn(), "step '" + stepName + "' has a second yaml block "
                                + "(the first is at line " + (stepBlock.fenceLine() + 1) + "); put the action, params "
                                + "and options of a step in one block, or mark an example block ```text");
                    } else {
                        stepBlock = block;
                    }
                } else if (area == Area.STEPS || area == Area.ROLLBACK) {
                    error(block.fenceLine(), block.fenceColumn(), "a yaml block outside a step; put it under a "
                            + "### heading that names the step");
                } else {
                    error(block.fenceLine(), block.fenceColumn(), "a yaml block outside the ## Steps and ## Rollback "
                            + "sections; header fields go in the front matter, steps under ## Steps as ### headings "
                            + "(mark an example that is not part of the runbook ```text)");
                }
                continue;
            }
            int opened = commentStart(line, 0);
            if (opened >= 0) {
                commentLine = i;
                commentColumn = opened;
            }
            int level = indent <= 3 ? headingLevel(line, indent) : 0;
            if (level == 0) {
                continue;
            }
            String text = headingText(line, indent + level);
            int textColumn = text.isEmpty() ? indent : line.indexOf(text, indent + level);
            if (level <= 3 && stepName != null) {
                current.steps().add(new StepHeading(stepName, stepLine, stepColumn, stepNameColumn,
                        Optional.ofNullable(stepBlock)));
                if (stepBlock == null) {
                    error(stepLine, stepColumn, "step '" + stepName + "' has no ```yaml block; add one under its "
                            + "heading with the step's action: and params:");
                }
                stepName = null;
                stepBlock = null;
            }
            if (level == 1) {
                if (title != null) {
                    error(i, indent, "a second # title (the first is at line " + (title.line() + 1) + "); a runbook "
                            + "has one # title, use ## for sections and ### for steps");
                } else {
                    title = new Title(text, i, textColumn);
                }
            } else if (level == 2) {
                current = null;
                String key = text.toLowerCase(Locale.ROOT);
                if (key.equals("steps") || key.equals("rollback")) {
                    boolean isSteps = key.equals("steps");
                    Section existing = isSteps ? steps : rollback;
                    if (existing != null) {
                        error(i, indent, "a second ## " + text + " section (the first is at line "
                                + (existing.line() + 1) + "); put all its steps in one section");
                        area = Area.DOCUMENTATION;
                    } else {
                        current = new Section(isSteps ? STEPS : ROLLBACK, i, indent, textColumn, new ArrayList<>());
                        if (isSteps) {
                            steps = current;
                        } else {
                            rollback = current;
                        }
                        area = isSteps ? Area.STEPS : Area.ROLLBACK;
                    }
                } else {
                    String suggestion = Suggestions.didYouMean(text, List.of(STEPS, ROLLBACK));
                    if (!suggestion.isEmpty()) {
                        error(i, textColumn, "unknown section '## " + text + "'" + suggestion
                                + "; a runbook's sections are ## Steps and ## Rollback");
                    }
                    area = Area.DOCUMENTATION;
                }
            } else if (level == 3 && current != null) {
                if (text.isEmpty()) {
                    error(i, indent, "a step heading without a name; write ### followed by the step's name");
                } else {
                    stepName = text;
                    stepLine = i;
                    stepColumn = indent;
                    stepNameColumn = textColumn;
                }
            }
            // #### and deeper inside a step, and headings in documentation sections, are prose.
        }
        if (stepName != null) {
            current.steps().add(new StepHeading(stepName, stepLine, stepColumn, stepNameColumn,
                    Optional.ofNullable(stepBlock)));
            if (stepBlock == null) {
                error(stepLine, stepColumn, "step '" + stepName + "' has no ```yaml block; add one under its heading "
                        + "with the step's action: and params:");
            }
        }
        for (Section s : java.util.Arrays.asList(steps, rollback)) {
            if (s != null && s.steps().isEmpty()) {
                error(s.line(), s.column(), "## " + s.title() + " has no steps; add a ### heading with a ```yaml "
                        + "block per step" + (s == rollback ? ", or remove the section" : ""));
            }
        }
        if (steps == null && fm.isPresent()) {
            int at = fm.get().end() + 1 < lines.length ? fm.get().end() + 1 : fm.get().end();
            error(Math.min(at, lines.length - 1), 0, "missing the ## Steps section; add ## Steps with a ### heading "
                    + "and a ```yaml block per step");
        }
        return new Structure(fm, Optional.ofNullable(title), Optional.ofNullable(steps), Optional.ofNullable(rollback));
    }

    /** Reports a yaml fence or a title, section or step heading on this line, which sits inside a comment. */
    private void refuseHidden(String line, int indent, int line0, int commentLine, int commentColumn) {
        if (indent > 3) {
            return;
        }
        String where = " inside the HTML comment opened at line " + (commentLine + 1) + ", column " + (commentColumn + 1)
                + ": " + HIDDEN;
        if (isFence(line, indent)) {
            char c = line.charAt(indent);
            String info = line.substring(indent + run(line, indent, c)).trim();
            String word = info.isEmpty() ? "" : info.split("[\\s{]", 2)[0].toLowerCase(Locale.ROOT);
            if ((c == '~' || info.indexOf('`') < 0) && (word.equals("yaml") || word.equals("yml"))) {
                error(line0, indent, "a ```yaml block" + where);
            }
            return;
        }
        int level = headingLevel(line, indent);
        if (level >= 1 && level <= 3) {
            error(line0, indent, "a " + "#".repeat(level) + " heading" + where);
        }
    }

    /**
     * Where a comment that this line leaves open starts ({@code <!--} outside inline code with no {@code -->} after
     * it), from column {@code from}; -1 when the line leaves none open.
     */
    static int commentStart(String line, int from) {
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '`') {
                int n = run(line, i, '`');
                int close = closingTicks(line, i + n, n);
                i = close < 0 ? i + n : close + n; // an unmatched run of backticks is literal text
            } else if (line.startsWith("<!--", i)) {
                int end = line.indexOf("-->", i + 4);
                if (end < 0) {
                    return i;
                }
                i = end + 3;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** The start of the next run of exactly {@code n} backticks from {@code from}, or -1. */
    private static int closingTicks(String line, int from, int n) {
        int i = line.indexOf('`', from);
        while (i >= 0) {
            int len = run(line, i, '`');
            if (len == n) {
                return i;
            }
            i = line.indexOf('`', i + len);
        }
        return -1;
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static boolean isFence(String line, int indent) {
        if (line.length() < indent + 3) {
            return false;
        }
        char c = line.charAt(indent);
        return (c == '`' || c == '~') && run(line, indent, c) >= 3;
    }

    private static int run(String line, int from, char c) {
        int n = 0;
        while (from + n < line.length() && line.charAt(from + n) == c) {
            n++;
        }
        return n;
    }

    private static int headingLevel(String line, int indent) {
        int n = run(line, indent, '#');
        if (n < 1 || n > 6) {
            return 0;
        }
        int after = indent + n;
        return after == line.length() || line.charAt(after) == ' ' || line.charAt(after) == '\t' ? n : 0;
    }

    /** The heading's text without the optional closing sequence of #. */
    private static String headingText(String line, int from) {
        String t = line.substring(from).strip();
        int end = t.length();
        while (end > 0 && t.charAt(end - 1) == '#') {
            end--;
        }
        if (end == 0) {
            return "";
        }
        if (end < t.length() && (t.charAt(end - 1) == ' ' || t.charAt(end - 1) == '\t')) {
            return t.substring(0, end).strip();
        }
        return t;
    }
}
