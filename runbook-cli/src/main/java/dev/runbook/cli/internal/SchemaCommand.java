package dev.runbook.cli.internal;

import dev.runbook.cli.RunbookCli;
import dev.runbook.dsl.RunbookSchema;
import picocli.CommandLine.Command;

/** {@code runbook schema}: the JSON Schema of runbook files with every action on the class path. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Prints the JSON Schema (draft 2020-12) of runbook YAML files, describing the params of "
                + "every action on the class path and in --plugins. The output is JSON with either --output."})
public final class SchemaCommand extends BaseCommand {
    public SchemaCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    int run(Plugins plugins) {
        out().println(RunbookSchema.jsonSchema(plugins.registry()));
        out().flush();
        return RunbookCli.EXIT_OK;
    }
}
