package dev.runbook.cli.internal;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every command takes. */
public final class CommonOptions {
    /** How results are written. */
    public enum Format { text, json }

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json for machine-readable results")
    Format output = Format.text;

    @Option(names = "--verbose", description = "stack traces with errors, engine logs on stderr")
    boolean verbose;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "a folder of jars with more action providers (META-INF/services)")
    Path plugins;

    /** Whether results are JSON. */
    public boolean json() {
        return output == Format.json;
    }

    /** Whether stack traces are wanted. */
    public boolean verbose() {
        return verbose;
    }

    /** The plugins folder, when given. */
    public Optional<Path> plugins() {
        return Optional.ofNullable(plugins);
    }
}
