package dev.runbook.cli.internal;

import picocli.CommandLine.Command;

/** The top command: only dispatches to the subcommands. */
@Command(name = "runbook", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Validate, explain, plan, export and backtest runbooks.",
        subcommands = {ValidateCommand.class, SchemaCommand.class, ExplainCommand.class, PlanCommand.class,
            ExportCommand.class, BacktestCommand.class, ResumeCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 problems found / no match / denied, 2 usage or input error."})
public final class TopCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "a command is required: validate, schema, explain, plan, export, backtest or resume");
    }
}
