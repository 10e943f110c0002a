package dev.runbook.neo4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.neo4j.GraphSchema;
import dev.runbook.neo4j.Neo4jExecutionJournal;
import dev.runbook.neo4j.Neo4jTest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neo4j.driver.Driver;

/**
 * Every statement of the execution journal, the action records, the audit trail's writer and the outcome history
 * finds our nodes ({@code :RunbookExecution}, {@code :RunbookJournalStep}, {@code :RunbookActionRecord}, ...) through
 * the index meant for it, never by scanning a label: those labels grow with every execution, and a scan on an
 * execution's path costs in proportion to all of them (removing action records by kind once scanned every record).
 * Not any index will do: a seek of the {@code (kind, key)} index by its prefix, or of the {@code status} index for
 * finished executions, reads nearly as much, so each statement names the index it must seek. The
 * plans come from {@code EXPLAIN} on the shared database, with a grown graph of our labels added and statistics
 * sampled anew (an empty graph hides the planner weighing one index against another), and with parameters of the
 * types and sizes the components send.
 *
 * <p>The audit statements that link an execution to the host's {@code :Episodic} and {@code :Resource} nodes may
 * scan those host labels (their indexes are the host's; this test's graph has none), never ours.
 *
 * <p>Not listed, by design: {@code AuditQueries}' statistics ({@link RecordQueries#STATS}) read every execution
 * since a time (a report, not on an execution's path; see its comment); the guard store's {@code RELEASE_ALL} (see
 * {@link GuardStatementPlansTest}); {@code Neo4jIncidentHistory}'s queries, which start from the host's
 * {@code :Episodic} events (by event time, and by event id to reach the executions linked to each) through the
 * host's indexes; and the host-graph reads ({@code IncidentQuery}, {@code check_neo4j}).
 */
@Neo4jTest
class RecordStatementPlansTest {
    private static final ZonedDateTime AT = ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final Set<String> HOST_LABELS = Set.of("Episodic", "Resource");
    private static final List<String> ID = List.of("RunbookExecution(id)");
    /** Marks the nodes this test adds, to remove them again. */
    private static final String MINE = "plans-test-";

    /**
     * The schema each component creates when built, and a graph that has grown: once labels hold nodes the planner
     * weighs one index against another (an empty graph hides that), so 60 executions, mostly finished, their steps
     * and guard decisions, and 60 action records of one kind; then statistics are sampled anew and plans dropped.
     */
    @BeforeAll
    static void grownGraph(Driver driver) {
        Neo4jExecutionJournal.builder().driver(driver).build();
        try (var session = driver.session()) {
            AuditRecords.schemaStatements().forEach(s -> session.run(s).consume());
            session.run("""
                    UNWIND range(1, 60) AS i
                    CREATE (e:RunbookExecution {id: $mine + i, runbook_id: 'rb-' + (i % 5), root_cause: 'OOMKilled',
                            resource_kind: 'Pod', executed_at: $at, lease_expires_at: 5,
                            status: CASE WHEN i % 20 = 0 THEN 'running' ELSE 'succeeded' END})
                    CREATE (e)-[:HAS_STEP]->(:RunbookStep {id: $mine + i + '/real/0'})
                    CREATE (e)-[:GUARD_DECISION]->(:RunbookGuardDecision {id: $mine + i + '/guard/0'})
                    CREATE (:RunbookActionRecord {id: $mine + 'r' + i, kind: $mine + 'docker', key: 'k' + (i % 20),
                            sequence: i})
                    """, Map.of("mine", MINE, "at", AT)).consume();
            session.run("CALL db.prepareForReplanning()").consume();
        }
    }

    @AfterAll
    static void removeGrownGraph(Driver driver) {
        try (var session = driver.session()) {
            session.run("""
                    MATCH (n) WHERE (n:RunbookExecution OR n:RunbookStep OR n:RunbookGuardDecision OR n:RunbookActionRecord)
                      AND n.id STARTS WITH $mine
                    DETACH DELETE n
                    """, Map.of("mine", MINE)).consume();
        }
    }

    static List<Arguments> statements() {
        var start = new HashMap<String, Object>();
        start.put("id", "x-1");
        start.put("props", Map.of("runbook_id", "oom", "incident_id", "i-1", "journal_started_at", AT));
        start.put("running", JournalRecords.RUNNING);
        start.put("owner", "host-a");
        start.put("ttl", 30_000L);
        start.put("until", null);
        var child = new HashMap<String, Object>();
        child.put("eid", "x-1");
        child.put("id", "x-1/intent/fix/1");
        child.put("props", Map.of("step", "fix", "attempt", 1, "at", AT));
        child.put("seq", 1L);
        child.put("vars", null);
        var renew = new HashMap<String, Object>();
        renew.put("id", "x-1");
        renew.put("owner", "host-a");
        renew.put("running", JournalRecords.RUNNING);
        renew.put("until", null);
        var orphans = new HashMap<String, Object>();
        orphans.put("running", JournalRecords.RUNNING);
        orphans.put("now", null);
        var claim = new HashMap<String, Object>(orphans);
        claim.put("id", "x-1");
        claim.put("owner", "host-b");
        claim.put("ttl", 30_000L);

        var audit = new AuditRecords(GraphSchema.defaults());
        var row = new HashMap<String, Object>();
        row.put("id", "x-1");
        row.put("incident_id", "i-1");
        row.put("props", Map.of("status", "succeeded", "executed_at", AT));
        row.put("rid", "pod-1");
        row.put("kind", "Pod");
        row.put("name", "web-1");
        row.put("namespace", "default");
        row.put("escalated_to", "x-2");
        Map<String, Object> batch = Map.of("batch", List.of(row));

        Map<String, Object> guards = Map.of("guards", List.of(Map.of("execution_id", "x-1", "id", "x-1/guard/0",
                "props", Map.of("guard", "confidence", "allowed", true))));
        Map<String, Object> steps = Map.of("steps", List.of(Map.of("execution_id", "x-1", "id", "x-1/real/0",
                "props", Map.of("name", "fix", "status", "succeeded", "started_at", AT))));
        String kind = MINE + "docker";
        return List.of(
                Arguments.of("journal: start", JournalRecords.START, start, ID),
                Arguments.of("journal: lock", JournalRecords.LOCK, Map.of("id", "x-1", "child", "x-1/intent/fix/1"), ID),
                Arguments.of("journal: intent", JournalRecords.child("RunbookJournalIntent"), child, ID),
                Arguments.of("journal: step", JournalRecords.child("RunbookJournalStep"), child, ID),
                Arguments.of("journal: finish", JournalRecords.FINISH, Map.of("id", "x-1"), ID),
                Arguments.of("journal: renew", JournalRecords.RENEW, renew, ID),
                Arguments.of("journal: orphans", JournalRecords.ORPHANS, orphans, List.of("RunbookExecution(status)")),
                Arguments.of("journal: claim", JournalRecords.CLAIM, claim, ID),
                Arguments.of("action record: find", ActionRecords.FIND, Map.of("id", "r-1"),
                        List.of("RunbookActionRecord(id)")),
                Arguments.of("action record: put", ActionRecords.PUT, Map.of("kind", kind, "id", "r-1", "key", "k1",
                        "execution", "x-1", "at", AT, "value", "{}"), List.of("RunbookActionRecordSequence(kind)")),
                Arguments.of("action record: read", ActionRecords.READ, Map.of("kind", kind, "key", "k1"),
                        List.of("RunbookActionRecord(kind, key)")),
                Arguments.of("action record: remove", ActionRecords.REMOVE, Map.of("kind", kind,
                        "sequences", List.of(1L, 2L)), List.of("RunbookActionRecord(kind, sequence)")),
                Arguments.of("audit: executions", audit.executions, batch, ID),
                Arguments.of("audit: incident link", audit.incidentLinks, batch, ID),
                Arguments.of("audit: resource by rid", audit.resourceByRid, batch, ID),
                Arguments.of("audit: resource by name", audit.resourceByName, batch, ID),
                Arguments.of("audit: escalations", audit.escalations, batch, ID),
                Arguments.of("audit: guard decisions", audit.guards, guards,
                        List.of("RunbookExecution(id)", "RunbookGuardDecision(id)")),
                Arguments.of("audit: steps", audit.steps, steps, List.of("RunbookExecution(id)", "RunbookStep(id)")),
                Arguments.of("outcome history", RecordQueries.OUTCOMES, Map.of("ids", List.of("rb-1", "rb-2"),
                        "reason", "OOMKilled", "kind", "Pod", "since", AT, "counted", statuses(ExecutionStatus::countsAsOutcome),
                        "succeeded", statuses(ExecutionStatus::succeeded)), List.of("RunbookExecution(runbook_id)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void findsOurNodesThroughIndexes(String name, String statement, Map<String, Object> parameters,
                                     List<String> indexes, Driver driver) {
        List<String> operators = StatementPlans.operators(driver, statement, parameters);
        assertThat(operators).as("operators of the %s statement", name)
                .isNotEmpty()
                .noneMatch(op -> op.startsWith("AllNodesScan"))
                .noneMatch(op -> op.contains("LabelScan") && HOST_LABELS.stream().noneMatch(l -> op.contains(":" + l)));
        // the right index, not merely an index: a seek of one that matches most nodes is a scan by another name
        for (String index : indexes) {
            assertThat(operators).as("operators of the %s statement", name)
                    .anyMatch(op -> op.contains("Seek") && op.contains(":" + index));
        }
    }

    /** The lower-case statuses, as the outcome history sends them. */
    private static List<String> statuses(Predicate<ExecutionStatus> which) {
        return Arrays.stream(ExecutionStatus.values()).filter(which).map(AuditRecords::status).toList();
    }
}
