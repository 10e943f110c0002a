package dev.runbook.neo4j;

import dev.runbook.core.engine.ExecutionJournal;
import dev.runbook.testkit.ExecutionJournalCompatibilityKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.neo4j.driver.Driver;

/**
 * Core's journal kit against {@link Neo4jExecutionJournal} on the shared harness, each replica a journal of its own on
 * the same database. The kit passes its instants, so the journal runs in {@link Neo4jGuardStore.TimeSource#REQUEST}
 * mode here; the database clock, the default, is tested in {@link Neo4jExecutionJournalTest}.
 */
@Neo4jTest
class Neo4jExecutionJournalCompatibilityTest extends ExecutionJournalCompatibilityKit {
    private Driver driver;

    @BeforeEach
    void connect(Driver driver) {
        this.driver = driver;
    }

    @AfterEach
    void forgetThisTestsExecutions() {
        // the harness is shared: leave no running execution behind for another test's recover() to find
        try (var s = driver.session()) {
            s.run("MATCH (e:RunbookExecution) WHERE e.id STARTS WITH $p OPTIONAL MATCH (e)-[:JOURNALED]->(c) "
                    + "DETACH DELETE e, c", java.util.Map.of("p", executionIdPrefix())).consume();
        }
    }

    @Override
    protected ExecutionJournal newJournal() {
        return Neo4jExecutionJournal.builder().driver(driver).timeSource(Neo4jGuardStore.TimeSource.REQUEST).build();
    }

    /** A new journal instance on the same database: what two replicas of a host have. */
    @Override
    protected ExecutionJournal sameDataAs(ExecutionJournal first) {
        return newJournal();
    }
}
