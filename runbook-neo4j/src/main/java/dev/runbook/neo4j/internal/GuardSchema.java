package dev.runbook.neo4j.internal;

import dev.runbook.core.engine.Sleeper;
import dev.runbook.core.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Value;
import org.neo4j.driver.exceptions.TransientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard store's and the execution journal's constraints and indexes, created when each is built. Without the unique constraint, two
 * hosts could MERGE two nodes for one key and each count alone, so a schema that cannot be created is an error,
 * not a log line. Several hosts starting at once race on {@code IF NOT EXISTS} (one may get "an equivalent
 * constraint already exists" or a deadlock): a statement's failure only counts if afterwards the database still
 * lacks what it was to create.
 */
public final class GuardSchema {
    private static final Logger LOG = LoggerFactory.getLogger(GuardSchema.class);

    /** One constraint or index, how to recognise it in SHOW output, and what to do when it cannot be created. */
    private record Item(String statement, boolean constraint, String label, List<String> properties, String fix) {
        boolean matches(Record row) {
            return strings(row.get("labelsOrTypes")).equals(List.of(label)) && strings(row.get("properties")).equals(properties)
                    && (constraint ? row.get("type").asString().contains("UNIQUENESS") || row.get("type").asString().contains("KEY")
                    : row.get("type").asString().equals("RANGE"));
        }
    }

    private static final String CREATE_BY_HAND = "run the statement as a user allowed to change the schema "
            + "(or give this user that right), then build the store again";

    /** How often a schema statement that hit a deadlock is run again. */
    private static final int DEADLOCK_TRIES = 10;

    /**
     * The waits between those tries: jittered, so racing hosts stop deadlocking on each other in lockstep.
     * Package-visible for the test.
     */
    static final Backoff DEADLOCK_BACKOFF = new Backoff(Duration.ofMillis(25), 2.0, Duration.ofMillis(500),
            Backoff.Jitter.EQUAL, DEADLOCK_TRIES);

    private static final List<Item> ITEMS = List.of(
            new Item("CREATE CONSTRAINT runbook_guard_key IF NOT EXISTS FOR (g:RunbookGuardKey) REQUIRE g.key IS UNIQUE",
                    true, "RunbookGuardKey", List.of("key"),
                    "if Neo4j reports nodes with the same key, remove the duplicate :RunbookGuardKey nodes, keeping one "
                            + "per key (MATCH (g:RunbookGuardKey) WITH g.key AS key, collect(g) AS gs WHERE size(gs) > 1 "
                            + "UNWIND gs[1..] AS g DETACH DELETE g), stop the hosts sharing this database meanwhile; "
                            + "otherwise " + CREATE_BY_HAND),
            new Item("CREATE INDEX runbook_guard_key_keep_until IF NOT EXISTS FOR (g:RunbookGuardKey) ON (g.keep_until)",
                    false, "RunbookGuardKey", List.of("keep_until"), CREATE_BY_HAND),
            // auto-pause: one node per paused-or-counting runbook (two would let two hosts pause apart), its failures
            new Item("CREATE CONSTRAINT runbook_guard_pause_key IF NOT EXISTS FOR (p:RunbookGuardPause) REQUIRE p.key IS UNIQUE",
                    true, "RunbookGuardPause", List.of("key"),
                    "if Neo4j reports pauses with the same key, keep one :RunbookGuardPause node per key (the paused "
                            + "one) and remove the others; otherwise " + CREATE_BY_HAND),
            new Item("CREATE INDEX runbook_guard_failure_key_at IF NOT EXISTS FOR (f:RunbookGuardFailure) ON (f.key, f.at)",
                    false, "RunbookGuardFailure", List.of("key", "at"), CREATE_BY_HAND));

    private static final List<Item> JOURNAL_ITEMS = List.of(
            new Item("CREATE CONSTRAINT runbook_execution_id IF NOT EXISTS FOR (e:RunbookExecution) REQUIRE e.id IS UNIQUE",
                    true, "RunbookExecution", List.of("id"),
                    "if Neo4j reports executions with the same id, keep one :RunbookExecution node per id (MATCH "
                            + "(e:RunbookExecution) WITH e.id AS id, collect(e) AS es WHERE size(es) > 1 RETURN id) and "
                            + "remove the others; otherwise " + CREATE_BY_HAND.replace("store", "journal")),
            new Item("CREATE CONSTRAINT runbook_journal_step_id IF NOT EXISTS FOR (s:RunbookJournalStep) REQUIRE s.id IS UNIQUE",
                    true, "RunbookJournalStep", List.of("id"), CREATE_BY_HAND.replace("store", "journal")),
            new Item("CREATE CONSTRAINT runbook_journal_intent_id IF NOT EXISTS FOR (i:RunbookJournalIntent) REQUIRE i.id IS UNIQUE",
                    true, "RunbookJournalIntent", List.of("id"), CREATE_BY_HAND.replace("store", "journal")),
            new Item("CREATE INDEX runbook_execution_status IF NOT EXISTS FOR (e:RunbookExecution) ON (e.status)",
                    false, "RunbookExecution", List.of("status"), CREATE_BY_HAND.replace("store", "journal")),
            // action records: one node per write (its id makes a replayed write find it), one counter per kind
            new Item("CREATE CONSTRAINT runbook_action_record_id IF NOT EXISTS FOR (r:RunbookActionRecord) "
                    + "REQUIRE r.id IS UNIQUE", true, "RunbookActionRecord", List.of("id"),
                    CREATE_BY_HAND.replace("store", "journal")),
            new Item("CREATE CONSTRAINT runbook_action_record_sequence IF NOT EXISTS FOR (c:RunbookActionRecordSequence) "
                    + "REQUIRE c.kind IS UNIQUE", true, "RunbookActionRecordSequence", List.of("kind"),
                    "if Neo4j reports counters with the same kind, keep the one with the highest last and remove the "
                            + "others; otherwise " + CREATE_BY_HAND.replace("store", "journal")),
            new Item("CREATE INDEX runbook_action_record_kind_key IF NOT EXISTS FOR (r:RunbookActionRecord) "
                    + "ON (r.kind, r.key)", false, "RunbookActionRecord", List.of("kind", "key"),
                    CREATE_BY_HAND.replace("store", "journal")),
            // removal names records by kind and sequence: without this index it reads every record of the kind
            // (Docker keeps one kind for every container's history); one more index entry per record written
            new Item("CREATE INDEX runbook_action_record_kind_sequence IF NOT EXISTS FOR (r:RunbookActionRecord) "
                    + "ON (r.kind, r.sequence)", false, "RunbookActionRecord", List.of("kind", "sequence"),
                    CREATE_BY_HAND.replace("store", "journal")),
            // the final record is the audit trail's statement, which MERGEs steps and guard decisions by id: a
            // journal without an audit trail would otherwise scan every step ever written for each one (the same
            // constraints the audit trail creates, same names)
            new Item("CREATE CONSTRAINT runbook_step_id IF NOT EXISTS FOR (s:RunbookStep) REQUIRE s.id IS UNIQUE",
                    true, "RunbookStep", List.of("id"), CREATE_BY_HAND.replace("store", "journal")),
            new Item("CREATE CONSTRAINT runbook_guard_decision_id IF NOT EXISTS FOR (d:RunbookGuardDecision) "
                    + "REQUIRE d.id IS UNIQUE", true, "RunbookGuardDecision", List.of("id"),
                    CREATE_BY_HAND.replace("store", "journal")),
            // Neo4jOutcomeHistory reads these records by runbook id through the audit trail's index: a journal
            // without an audit trail writes the same records, so it creates that index too
            new Item("CREATE INDEX runbook_execution_runbook_id IF NOT EXISTS FOR (e:RunbookExecution) ON (e.runbook_id)",
                    false, "RunbookExecution", List.of("runbook_id"), CREATE_BY_HAND.replace("store", "journal")));

    private GuardSchema() {
    }

    private static void pause(int nextAttempt, Sleeper sleeper, RandomGenerator random) {
        try {
            sleeper.sleep(DEADLOCK_BACKOFF.delayBefore(nextAttempt, Optional.empty(), random));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the schema", e);
        }
    }

    /**
     * The guard store's schema: creates what is missing, waits for the indexes, checks that everything exists.
     *
     * @throws IllegalStateException naming the statement that failed, Neo4j's message and the fix
     */
    public static void create(Driver driver, SessionConfig config) {
        create(driver, config, Sleeper.system(), new SplittableRandom());
    }

    /** As {@link #create(Driver, SessionConfig)}, waiting between deadlock retries on this sleeper and randomness. */
    public static void create(Driver driver, SessionConfig config, Sleeper sleeper, RandomGenerator random) {
        create(driver, config, "Neo4jGuardStore", "store", ITEMS, "without the unique key constraint two hosts could count apart",
                sleeper, random);
    }

    /**
     * The execution journal's schema, likewise.
     *
     * @throws IllegalStateException naming the statement that failed, Neo4j's message and the fix
     */
    public static void createJournal(Driver driver, SessionConfig config) {
        create(driver, config, "Neo4jExecutionJournal", "journal", JOURNAL_ITEMS,
                "without the unique id constraint an execution could be journaled twice and recovered twice",
                Sleeper.system(), new SplittableRandom());
    }

    private static void create(Driver driver, SessionConfig config, String component, String built, List<Item> items,
                               String why, Sleeper sleeper, RandomGenerator random) {
        var problems = new ArrayList<String>();
        try (Session session = driver.session(config)) {
            Map<Item, String> failures = new LinkedHashMap<>();
            for (Item item : items) {
                for (int attempt = 1; attempt <= DEADLOCK_TRIES; attempt++) {
                    try {
                        session.run(item.statement()).consume();
                        failures.remove(item);
                        break;
                    } catch (TransientException e) {
                        // a deadlock with another host creating the same schema: the other may still be creating
                        // it (not yet visible to the check below), so run the statement again
                        LOG.debug("schema statement hit a transient error (try {}): {}", attempt, e.toString());
                        failures.put(item, e.getMessage());
                        if (DEADLOCK_BACKOFF.allows(attempt + 1)) {
                            pause(attempt + 1, sleeper, random);
                        }
                    } catch (RuntimeException e) {
                        // maybe another host created it at the same moment: decided by the check below
                        LOG.debug("schema statement failed, checking whether it exists anyway: {}", e.toString());
                        failures.put(item, e.getMessage());
                        break;
                    }
                }
            }
            List<Record> constraints = session.run("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type").list();
            List<Record> indexes = session.run("SHOW INDEXES YIELD labelsOrTypes, properties, type, state").list();
            for (Item item : items) {
                missing(item, item.constraint() ? constraints : indexes).ifPresent(what -> problems.add("`"
                        + item.statement() + "` " + what + ": " + failures.getOrDefault(item, "no error was reported")
                        + ". Fix: " + item.fix()));
            }
            if (problems.isEmpty()) {
                session.run("CALL db.awaitIndexes(60)").consume();
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException(component + " could not create its schema in Neo4j: " + e.getMessage()
                    + ". Fix: check that Neo4j is reachable with the driver's address and credentials, then build the "
                    + built + " again", e);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(component + " cannot work without its schema (" + why + "): "
                    + String.join("; ", problems));
        }
    }

    /** A list of names; null for lookup indexes, which name no label. */
    private static List<String> strings(Value v) {
        return v.isNull() ? List.of() : v.asList(Value::asString);
    }

    private static Optional<String> missing(Item item, List<Record> rows) {
        Optional<Record> row = rows.stream().filter(item::matches).findFirst();
        if (row.isEmpty()) {
            return Optional.of("failed and the " + (item.constraint() ? "constraint" : "index") + " does not exist");
        }
        if (!item.constraint() && row.get().get("state").asString().equals("FAILED")) {
            return Optional.of("left a FAILED index (drop it so it is created again)");
        }
        return Optional.empty();
    }
}
