package dev.runbook.dsl.internal;

import dev.runbook.core.action.ActionRegistry;
import java.util.List;
import java.util.Set;

/**
 * A file format runbooks can be written in, chosen by file extension. The loader reads every file through the
 * format registered for its extension, so a new format (Markdown) plugs in by being added to
 * {@link #defaults()} without any change to callers.
 */
public interface RunbookFormat {

    /** Lower-case extensions without the dot, for instance {@code yaml}. */
    Set<String> extensions();

    /** Reads every runbook of one file's text; never throws for a user mistake. */
    List<RunbookNodeReader.Result> read(String text, String file, ActionRegistry registry, Limits limits);

    /**
     * What one file may cost.
     *
     * @param maxFileSize     bytes of the file (also snakeyaml's code point limit)
     * @param maxExpandedSize bytes of scalar text in the whole file once aliases are expanded
     */
    record Limits(long maxFileSize, long maxExpandedSize) {
    }

    /**
     * Whether a file found while walking a directory is a runbook at all. Markdown directories also hold READMEs
     * and notes: only .md files that start with front matter are runbooks there (a file named explicitly is
     * always read, so a runbook that lost its front matter is still reported).
     */
    default boolean looksLikeRunbook(String text) {
        return true;
    }

    /** The formats the loader knows. */
    static List<RunbookFormat> defaults() {
        return List.of(new YamlFormat(), new MarkdownFormat());
    }
}
