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
    List<RunbookNodeReader.Result> read(String text, String file, ActionRegistry registry, long maxSize);

    /** The formats the loader knows. */
    static List<RunbookFormat> defaults() {
        return List.of(new YamlFormat());
    }
}
