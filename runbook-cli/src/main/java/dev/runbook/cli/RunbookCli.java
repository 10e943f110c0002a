package dev.runbook.cli;

import dev.runbook.cli.internal.BacktestCommand;
import dev.runbook.cli.internal.ResumeCommand;
import dev.runbook.cli.internal.CliEnvironment;
import dev.runbook.cli.internal.ExplainCommand;
import dev.runbook.cli.internal.ExportCommand;
import dev.runbook.cli.internal.PlanCommand;
import dev.runbook.cli.internal.SchemaCommand;
import dev.runbook.cli.internal.TerminalText;
import dev.runbook.cli.internal.TopCommand;
import dev.runbook.cli.internal.ValidateCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;

/**
 * The {@code runbook} command: {@code validate PATH...}, {@code schema}, {@code explain --incident FILE PATH...},
 * {@code plan --incident FILE PATH...}, {@code export PATH... [--output-file FILE]} and
 * {@code backtest --neo4j URI --since 30d PATH...}. Exit codes: 0 ok, 1 problems found or denied, 2 usage or input error.
 * Errors are one line each; {@code --verbose} adds stack traces.
 *
 * <p>{@link #main} is the only place that calls {@link System#exit}; hosts and tests use
 * {@link #commandLine(PrintWriter, PrintWriter, Map)} or {@link #run(PrintWriter, PrintWriter, Map, String...)}.
 */
public final class RunbookCli {
    /** Exit code: everything fine. */
    public static final int EXIT_OK = 0;
    /** Exit code: problems found in runbook files, nothing matched, or a guard denied. */
    public static final int EXIT_PROBLEMS = 1;
    /** Exit code: bad usage (unknown flag, missing argument) or unreadable input. */
    public static final int EXIT_USAGE = 2;

    private RunbookCli() {
    }

    /** Runs the command with the process's streams and environment, then exits with its code. */
    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--verbose")) {
            // Must be set before the first logger is created; slf4j-simple reads it once.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        var out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        var err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(out, err, System.getenv(), args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs the command in-process.
     *
     * @param out  where results go
     * @param err  where errors go
     * @param env  the environment read for defaults ({@code RUNBOOK_NEO4J_URI}, {@code DOCKER_HOST}, ...)
     * @param args the arguments
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
        int code = commandLine(out, err, env).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The picocli command line, writing to these streams and reading this environment. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        var environment = new CliEnvironment(Map.copyOf(env));
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == ValidateCommand.class) {
                    return cls.cast(new ValidateCommand(environment));
                } else if (cls == SchemaCommand.class) {
                    return cls.cast(new SchemaCommand(environment));
                } else if (cls == ExplainCommand.class) {
                    return cls.cast(new ExplainCommand(environment));
                } else if (cls == PlanCommand.class) {
                    return cls.cast(new PlanCommand(environment));
                } else if (cls == ExportCommand.class) {
                    return cls.cast(new ExportCommand(environment));
                } else if (cls == BacktestCommand.class) {
                    return cls.cast(new BacktestCommand(environment));
                } else if (cls == ResumeCommand.class) {
                    return cls.cast(new ResumeCommand(environment));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        var cl = new CommandLine(new TopCommand(), factory);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            // One line and a pointer to the help, never a stack trace or the whole usage text.
            CommandLine c = ex.getCommandLine();
            c.getErr().println(TerminalText.escape("runbook: " + ex.getMessage() + " (see '"
                    + c.getCommandSpec().qualifiedName() + " --help')"));
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            // Commands turn expected failures into exit codes themselves; this is for the unexpected.
            c.getErr().println(TerminalText.escape("runbook: internal error: " + ex));
            if (Arrays.asList(parseResult.originalArgs().toArray(new String[0])).contains("--verbose")) {
                TerminalText.printStackTrace(ex, c.getErr());
            }
            return EXIT_USAGE;
        });
        return cl;
    }
}
