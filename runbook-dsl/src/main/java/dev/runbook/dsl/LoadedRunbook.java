package dev.runbook.dsl;

import dev.runbook.core.model.Runbook;
import java.util.Objects;

/**
 * A runbook and the file it came from.
 *
 * @param runbook the model
 * @param file    the file as it was given to the loader
 */
public record LoadedRunbook(Runbook runbook, String file) {
    public LoadedRunbook {
        Objects.requireNonNull(runbook, "runbook");
        Objects.requireNonNull(file, "file");
    }
}
