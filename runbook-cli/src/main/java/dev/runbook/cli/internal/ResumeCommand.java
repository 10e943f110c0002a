package dev.runbook.cli.internal;

import dev.runbook.cli.RunbookCli;
import dev.runbook.core.guard.PauseClaim;
import dev.runbook.core.guard.PauseState;
import dev.runbook.neo4j.Neo4jGuardStore;
import java.util.List;
import java.util.Optional;
import org.neo4j.driver.Driver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runbook resume --neo4j URI --by WHO RUNBOOK_ID...}: lifts the auto-pause ({@code safety.pause_after}) of
 * runbooks in the guard store that the engines share, so every replica runs them again; {@code --status} only says
 * whether each is paused and by which executions. The same as {@code RunbookEngine.resume(runbookId, who)}.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Lifts the auto-pause (safety.pause_after) of runbooks in the Neo4j guard store the engines "
                + "share, so every replica runs them again; with --status, only says whether each is paused and by "
                + "which executions.",
                "Exit 0 when done, 2 for bad input or when Neo4j cannot be reached."})
public final class ResumeCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "RUNBOOK_ID", description = "ids of the runbooks to resume")
    List<String> runbookIds;

    @Mixin
    Neo4jOptions neo4j;

    @Option(names = "--by", paramLabel = "WHO", description = "who resumes them (kept in the guard store and the log)")
    String by;

    @Option(names = "--status", description = "only show whether each runbook is paused, and why")
    boolean status;

    /** A command reading this environment. */
    public ResumeCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    int run(Plugins plugins) {
        if (!status && (by == null || by.isBlank())) {
            throw new CliException(RunbookCli.EXIT_USAGE, "say who resumes the runbook(s) with --by NAME "
                    + "(it is kept with the guard store's record), or give --status to only look");
        }
        for (String id : runbookIds) {
            try {
                PauseClaim.keyOf(id);
            } catch (IllegalArgumentException e) {
                throw new CliException(RunbookCli.EXIT_USAGE, "runbook id '" + id + "': " + oneLine(e), e);
            }
        }
        try (Driver driver = neo4j.connect(env, "reach the guard store at")) {
            var builder = Neo4jGuardStore.builder().driver(driver);
            neo4j.database().ifPresent(builder::database);
            Neo4jGuardStore store = builder.build();
            for (String id : runbookIds) {
                String key = PauseClaim.keyOf(id);
                if (status) {
                    out().println(TerminalText.escape(describe(id, store.pauseState(key))));
                } else {
                    boolean was = store.resume(key, by, java.time.Instant.now());
                    out().println(TerminalText.escape(was ? "resumed " + id + " (by " + by + ")"
                            : id + " was not paused; nothing to resume"));
                }
            }
        } catch (CliException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CliException(RunbookCli.EXIT_USAGE, "the guard store could not answer: " + oneLine(e)
                    + "; the runbook(s) stay as they were", e);
        }
        out().flush();
        return RunbookCli.EXIT_OK;
    }

    private static String describe(String id, Optional<PauseState> pause) {
        return pause.map(p -> id + " is paused since " + p.pausedAt() + " (" + p.description() + ") after "
                        + String.join(", ", p.executions()))
                .orElse(id + " is not paused");
    }
}
