package dev.runbook.cli.internal;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;

/** A command with the options every command takes ({@link CommonOptions}: --output FORMAT, --plugins, --verbose). */
abstract class BaseCommand extends PluginCommand {
    @Mixin
    CommonOptions common;

    BaseCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    Optional<Path> pluginsDir() {
        return common.plugins();
    }

    @Override
    boolean verbose() {
        return common.verbose();
    }
}
