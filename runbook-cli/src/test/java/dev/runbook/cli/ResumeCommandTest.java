package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.guard.PauseClaim;
import dev.runbook.neo4j.Neo4jGuardStore;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * {@code runbook resume} against the guard store that engines share, in an in-process Neo4j: a runbook paused by
 * failures recorded through {@link Neo4jGuardStore} (as an engine records them) is reported paused with its
 * executions, resumed by a named person, and then reported not paused; bad input gets one line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumeCommandTest {
    private Neo4j neo4j;
    private Driver driver;

    @BeforeAll
    void start() {
        neo4j = Neo4jBuilders.newInProcessBuilder().withDisabledServer()
                .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ZERO)
                .withConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ZERO)
                .build();
        driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
    }

    @AfterAll
    void stop() {
        if (driver != null) {
            driver.close();
        }
        if (neo4j != null) {
            neo4j.close();
        }
    }

    @Test
    void aPausedRunbookIsShownWithItsExecutionsAndResumedForEveryEngineSharingTheStore() {
        String runbook = "restart-" + UUID.randomUUID();
        var store = Neo4jGuardStore.builder().driver(driver).build();
        var claim = PauseClaim.of(runbook, 2, Duration.ofHours(1));
        store.recordFailure(claim, "exec-1", Instant.now());
        assertThat(store.recordFailure(claim, "exec-2", Instant.now())).isPresent();
        String uri = neo4j.boltURI().toString();

        var status = Cli.run("resume", "--neo4j", uri, "--status", runbook);
        assertThat(status.code()).isEqualTo(RunbookCli.EXIT_OK);
        assertThat(status.out()).startsWith(runbook + " is paused since ").contains("exec-1, exec-2");

        var resumed = Cli.run("resume", "--neo4j", uri, "--by", "alice", runbook);
        assertThat(resumed.code()).isEqualTo(RunbookCli.EXIT_OK);
        assertThat(resumed.out()).isEqualTo("resumed " + runbook + " (by alice)\n");
        // what an engine on this database now sees: not paused, so its next execution is not refused
        assertThat(store.pauseState(PauseClaim.keyOf(runbook))).isEmpty();

        assertThat(Cli.run("resume", "--neo4j", uri, "--status", runbook).out()).isEqualTo(runbook + " is not paused\n");
        assertThat(Cli.run("resume", "--neo4j", uri, "--by", "alice", runbook).out())
                .isEqualTo(runbook + " was not paused; nothing to resume\n");
    }

    @Test
    void badInputGetsOneClearLineAndChangesNothing() {
        String uri = neo4j.boltURI().toString();
        var nobody = Cli.run("resume", "--neo4j", uri, "some-runbook");
        assertThat(nobody.code()).isEqualTo(RunbookCli.EXIT_USAGE);
        assertThat(nobody.err()).isEqualTo("runbook resume: say who resumes the runbook(s) with --by NAME (it is kept "
                + "with the guard store's record), or give --status to only look\n");

        var noNeo4j = Cli.run("resume", "--by", "alice", "some-runbook");
        assertThat(noNeo4j.code()).isEqualTo(RunbookCli.EXIT_USAGE);
        assertThat(noNeo4j.err()).startsWith("runbook resume: no Neo4j to reach the guard store at: give --neo4j");

        var unreachable = Cli.run("resume", "--neo4j", "bolt://127.0.0.1:1", "--by", "alice", "some-runbook");
        assertThat(unreachable.code()).isEqualTo(RunbookCli.EXIT_USAGE);
        assertThat(unreachable.err()).startsWith("runbook resume: cannot reach the guard store at bolt://127.0.0.1:1: ");

        var blank = Cli.run("resume", "--neo4j", uri, "--by", "alice", " ");
        assertThat(blank.code()).isEqualTo(RunbookCli.EXIT_USAGE);
        assertThat(blank.err()).contains("runbook id ' '");
    }
}
