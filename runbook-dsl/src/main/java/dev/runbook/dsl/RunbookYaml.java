package dev.runbook.dsl;

import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.internal.YamlWriter;
import java.util.Objects;

/**
 * Writes runbooks as YAML files: the inverse of {@link RunbookLoader}. Whatever the front end a runbook came from
 * (a YAML or Markdown file, the Java DSL, the model's builders), {@link #write} gives a file that loads back into an
 * {@code equals} runbook. Keys come in the schema's order, and values equal to the defaults are left out (no
 * {@code on_failure: rollback}, no {@code enabled: true}; {@code retry: 3} when the policy is what {@code 3} means).
 * Strings are quoted by snakeyaml-engine's emitter, never spliced into the text, so quotes, colons, {@code #},
 * line breaks, {@code yes}/{@code null}/{@code ~} and {@code {{ }}} templates come back exactly as they were;
 * templates and expressions are written verbatim.
 */
public final class RunbookYaml {
    private static final YamlWriter WRITER = new YamlWriter();

    private RunbookYaml() {
    }

    /**
     * The runbook as the text of a YAML file.
     *
     * @throws IllegalArgumentException when the runbook holds something a file cannot say, naming where: two
     *         notifications on one channel in {@code on_success} or {@code on_failure} (a file maps each channel to
     *         one), or text in a {@code patch}, {@code manifest} or {@code body} param that the loader would read as a
     *         YAML document
     */
    public static String write(Runbook runbook) {
        return WRITER.write(Objects.requireNonNull(runbook, "runbook"));
    }
}
