package dev.runbook.neo4j.internal;

import static org.neo4j.driver.Values.parameters;

import dev.runbook.core.engine.ExecutionJournal.ActionRecord;
import dev.runbook.core.internal.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neo4j.driver.Record;
import org.neo4j.driver.TransactionContext;

/**
 * The execution journal's action records: {@code (:RunbookActionRecord {id, kind, key, sequence, execution_id, at,
 * value_json})}, numbered per kind by a {@code (:RunbookActionRecordSequence {kind, last})} counter. Incrementing
 * the counter write-locks it, so concurrent writers of one kind get distinct, increasing numbers. Each write
 * carries an id chosen once per call: when the driver runs a transaction again after a commit whose answer was
 * lost, the record is found and not written twice.
 */
public final class ActionRecords {
    // Each lookup names its index (the journal creates them at build). PUT's MERGE takes no hint; it seeks the
    // counter's unique kind index.
    static final String FIND = "MATCH (r:RunbookActionRecord) USING INDEX r:RunbookActionRecord(id) WHERE r.id = $id "
            + "RETURN r.sequence AS sequence";
    static final String PUT = """
            MERGE (c:RunbookActionRecordSequence {kind: $kind})
              ON CREATE SET c.last = 0
            SET c.last = c.last + 1
            CREATE (r:RunbookActionRecord {id: $id, kind: $kind, key: $key, sequence: c.last,
                    execution_id: $execution, at: $at, value_json: $value})
            RETURN r.sequence AS sequence
            """;
    static final String READ = """
            MATCH (r:RunbookActionRecord) USING INDEX r:RunbookActionRecord(kind, key) WHERE r.kind = $kind AND r.key = $key
            RETURN r.sequence AS sequence, r.execution_id AS execution, r.at AS at, r.value_json AS value
            ORDER BY r.sequence
            """;
    /**
     * By kind and sequence, through their own index. By kind alone this scanned every record (20,000 records: 60,003
     * db hits for two), and the {@code (kind, key)} index could serve it only as a prefix, reading every record of the
     * kind (Docker keeps one kind for all its containers).
     */
    static final String REMOVE = "MATCH (r:RunbookActionRecord) USING INDEX r:RunbookActionRecord(kind, sequence) "
            + "WHERE r.kind = $kind AND r.sequence IN $sequences DETACH DELETE r";

    private ActionRecords() {
    }

    /** Writes the record unless one with this id exists; returns its sequence. */
    public static long put(TransactionContext tx, String id, String kind, String key, String executionId, Instant at,
                           Map<String, Object> value) {
        List<Record> existing = tx.run(FIND, parameters("id", id)).list();
        if (!existing.isEmpty()) {
            return existing.get(0).get("sequence").asLong();
        }
        return tx.run(PUT, parameters("kind", kind, "id", id, "key", key, "execution", executionId,
                "at", at.atZone(ZoneOffset.UTC), "value", Json.write(value))).single().get("sequence").asLong();
    }

    /** The records of this kind about this key, by sequence. */
    public static List<ActionRecord> read(TransactionContext tx, String kind, String key) {
        return tx.run(READ, parameters("kind", kind, "key", key)).list(row -> new ActionRecord(row.get("sequence").asLong(),
                kind, key, row.get("execution").asString(), Values.instant(row.get("at")).orElseThrow(),
                value(row.get("value").asString())));
    }

    /** Deletes these records of this kind (missing ones are ignored). */
    public static void remove(TransactionContext tx, String kind, List<Long> sequences) {
        tx.run(REMOVE,
                parameters("kind", kind, "sequences", sequences)).consume();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> value(String json) {
        Object parsed = Json.parse(json);
        return Optional.of(parsed).filter(Map.class::isInstance).map(m -> (Map<String, Object>) m)
                .orElseThrow(() -> new IllegalStateException("an action record's value_json is not a JSON object: "
                        + json.substring(0, Math.min(80, json.length()))));
    }
}
