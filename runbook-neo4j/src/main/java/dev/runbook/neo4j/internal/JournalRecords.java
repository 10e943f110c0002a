package dev.runbook.neo4j.internal;

import static org.neo4j.driver.Values.parameters;

import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionJournal.JournalStart;
import dev.runbook.core.engine.ExecutionJournal.JournaledExecution;
import dev.runbook.core.engine.ExecutionJournal.StepIntent;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.engine.StepStatus;
import dev.runbook.core.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.neo4j.driver.Record;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Value;

/**
 * The execution journal's statements. A running execution is its {@code :RunbookExecution} node with
 * {@code status 'running'}, an owner and a lease; its steps and intents are {@code :RunbookJournalStep} and
 * {@code :RunbookJournalIntent} nodes linked {@code -[:JOURNALED]->}, numbered in write order by the node's
 * {@code journal_seq}. Every write first write-locks the execution node, then checks and writes, so concurrent
 * writers and claimers serialise on it and see each other's commits. Lease times are epoch milliseconds of the
 * database clock, or of the caller's when {@code now} is given.
 */
public final class JournalRecords {
    /** The status of an execution still running (lower case, as the audit trail writes its final statuses). */
    public static final String RUNNING = "running";

    static final String LOCK = """
            MATCH (e:RunbookExecution {id: $id}) USING INDEX e:RunbookExecution(id)
            SET e.journal_seq = coalesce(e.journal_seq, 0)
            RETURN e.journal_seq AS seq, e.status AS status, e.owner AS owner,
                   EXISTS { MATCH (e)-[:JOURNALED]->(x {id: $child}) } AS known
            """;
    private static final String READ = """
            RETURN e.id AS id, e.owner AS owner, e.runbook_id AS runbook_id, e.runbook_version AS runbook_version,
                   e.incident_json AS incident_json, e.variables_json AS variables_json,
                   e.journal_started_at AS started_at, e.lease_expires_at AS lease,
                   coalesce(e.backend_owned, false) AS backend_owned,
                   [(e)-[:JOURNALED]->(s:RunbookJournalStep) | s] AS steps,
                   [(e)-[:JOURNALED]->(i:RunbookJournalIntent) | i] AS intents
            """;

    /*
     * Every lookup names its index (the journal creates them at build): the planner picks these today, but a plan
     * chosen on other statistics stays cached as the graph grows, and a hint keeps the choice whatever the statistics.
     * START cannot: a MERGE takes no hint; it seeks the unique id index (RecordStatementPlansTest).
     */
    static final String START = """
            MERGE (e:RunbookExecution {id: $id})
            ON CREATE SET e += $props, e.status = $running, e.owner = $owner, e.journal_seq = 0,
                          e.lease_ttl_ms = $ttl,
                          e.lease_expires_at = coalesce($until, datetime.realtime().epochMillis + $ttl)
            """;
    static final String FINISH = """
            MATCH (e:RunbookExecution {id: $id}) USING INDEX e:RunbookExecution(id)
            REMOVE e.lease_expires_at, e.lease_ttl_ms, e.variables_json
            WITH e
            OPTIONAL MATCH (e)-[:JOURNALED]->(s:RunbookJournalStep)
            DETACH DELETE s
            """;
    static final String RENEW = """
            MATCH (e:RunbookExecution {id: $id}) USING INDEX e:RunbookExecution(id)
            WHERE e.status = $running AND e.owner = $owner
            SET e.lease_expires_at = coalesce($until, datetime.realtime().epochMillis + e.lease_ttl_ms)
            """;
    static final String ORPHANS = """
            MATCH (e:RunbookExecution) USING INDEX e:RunbookExecution(status) WHERE e.status = $running
              AND e.lease_expires_at < coalesce($now, datetime.realtime().epochMillis)
            """ + READ + "ORDER BY e.lease_expires_at";
    static final String CLAIM = """
            MATCH (e:RunbookExecution {id: $id}) USING INDEX e:RunbookExecution(id)
            WITH e, coalesce($now, datetime.realtime().epochMillis) AS now
            WHERE e.status = $running AND e.lease_expires_at < now
            SET e.owner = $owner, e.lease_ttl_ms = $ttl, e.lease_expires_at = now + $ttl
            WITH e
            """ + READ;

    /** Creates a journaled step or intent ({@code label}) under its execution. */
    static String child(String label) {
        return "MATCH (e:RunbookExecution {id: $eid}) USING INDEX e:RunbookExecution(id)\n"
                + "CREATE (e)-[:JOURNALED]->(c:" + Cypher.quote(label) + " {id: $id})\n"
                + "SET c += $props, c.seq = $seq, e.journal_seq = $seq, e.variables_json = coalesce($vars, e.variables_json)";
    }

    private final AuditRecords audit;

    public JournalRecords(AuditRecords audit) {
        this.audit = audit;
    }

    /**
     * Records the start; a replay (the node exists) changes nothing. The lease lasts as long as the engine asked
     * ({@code leaseUntil - startedAt}) from the database's now, or until {@code leaseUntil} with request time.
     */
    public void start(TransactionContext tx, JournalStart s, boolean requestTime) {
        long ttl = Math.max(0, Duration.between(s.startedAt(), s.leaseUntil()).toMillis());
        var plan = new ArrayList<Map<String, Object>>();
        s.plan().forEach(p -> plan.add(Map.of("name", p.name(), "action", p.action(),
                "status", p.status().name().toLowerCase(Locale.ROOT), "summary", p.summary())));
        var props = new HashMap<String, Object>();
        props.put("runbook_id", s.runbookId());
        props.put("runbook_version", s.runbookVersion());
        props.put("incident_id", String.valueOf(s.incident().get("incident_id")));
        props.put("journal_started_at", time(s.startedAt()));
        props.put("incident_json", Json.write(s.incident()));
        props.put("variables_json", Json.write(s.params()));
        props.put("plan_json", Json.write(plan));
        if (s.backendOwned()) {
            props.put("backend_owned", true); // absent on older entries: read as false
        }
        tx.run(START, parameters("id", s.executionId(), "props", props, "running", RUNNING, "owner", s.owner(),
                "ttl", ttl, "until", requestTime ? s.leaseUntil().toEpochMilli() : null)).consume();
    }

    /**
     * Records an intent; a replay changes nothing.
     *
     * @return false when the execution is not in the journal
     */
    public boolean intent(TransactionContext tx, StepIntent i) {
        String id = i.executionId() + "/intent/" + (i.rollback() ? "rollback/" : "") + i.step() + "/" + i.attempt();
        var props = new HashMap<String, Object>();
        props.put("execution_id", i.executionId());
        props.put("step", i.step());
        props.put("action", i.action());
        props.put("attempt", i.attempt());
        props.put("rollback", i.rollback());
        props.put("params_json", Json.write(i.params()));
        props.put("at", time(i.at()));
        props.put("owner", i.owner());
        return child(tx, i.executionId(), id, "RunbookJournalIntent", props, Optional.empty(), Optional.of(i.owner()));
    }

    /**
     * Records a finished step and the variables after it; a replay changes nothing.
     *
     * @return false when the execution is not in the journal
     */
    public boolean step(TransactionContext tx, String executionId, StepResult r, boolean rollback,
                        Map<String, Object> variables) {
        String phase = rollback ? "rollback" : "real";
        String id = executionId + "/journal/" + phase + "/" + r.name() + "/" + r.startedAt();
        var p = new HashMap<String, Object>();
        p.put("execution_id", executionId);
        p.put("phase", phase);
        p.put("name", r.name());
        p.put("action", r.action());
        p.put("status", r.status().name().toLowerCase(Locale.ROOT));
        p.put("dry_run", r.dryRun());
        p.put("attempts", r.attempts());
        p.put("error", r.error().orElse(null));
        p.put("summary", r.summary());
        p.put("started_at", time(r.startedAt()));
        p.put("finished_at", time(r.finishedAt()));
        p.put("params_json", Json.write(r.params()));
        p.put("output_json", r.output().map(Json::write).orElse(null));
        p.put("touched_json", Json.write(r.touched().stream().map(t -> Map.of("kind", t.kind(),
                "namespace", t.namespace(), "name", t.name(), "change", t.change())).toList()));
        return child(tx, executionId, id, "RunbookJournalStep", p, Optional.of(Json.write(variables)), Optional.empty());
    }

    private static boolean child(TransactionContext tx, String executionId, String id, String label,
                                 Map<String, Object> props, Optional<String> variables, Optional<String> writer) {
        // the lock statement write-locks the execution node, so seq, owner and the existence check are not raced
        List<Record> rows = tx.run(LOCK, parameters("id", executionId, "child", id)).list();
        if (rows.isEmpty()) {
            return false;
        }
        String owner = rows.get(0).get("owner").isNull() ? "" : rows.get(0).get("owner").asString();
        if (writer.isPresent() && !writer.get().equals(owner)) {
            // fencing: a host that was slow, not dead, changes nothing after another engine took its execution over
            throw new IllegalStateException("execution " + executionId + " was taken over by " + owner + "; "
                    + writer.get() + " may no longer change anything for it");
        }
        if (rows.get(0).get("known").asBoolean()) {
            return true;
        }
        long seq = rows.get(0).get("seq").asLong() + 1;
        tx.run(child(label),
                parameters("eid", executionId, "id", id, "props", props, "seq", seq, "vars", variables.orElse(null)))
                .consume();
        return true;
    }

    /**
     * Writes the final record in the audit trail's shape (the same node), drops the lease and the journaled steps
     * (the record has the steps), and keeps the intents.
     */
    public void finish(TransactionContext tx, Execution e) {
        audit.write(tx, List.of(e));
        tx.run(FINISH, parameters("id", e.id())).consume();
    }

    /** Extends the lease of a running execution still owned by {@code owner}. */
    public void renew(TransactionContext tx, String id, String owner, Optional<Instant> until) {
        tx.run(RENEW, parameters("id", id, "owner", owner, "running", RUNNING,
                "until", until.map(Instant::toEpochMilli).orElse(null))).consume();
    }

    /** Running executions whose lease expired before {@code now} (or the database's now). */
    public List<JournaledExecution> orphans(TransactionContext tx, Optional<Instant> now) {
        return tx.run(ORPHANS,
                parameters("running", RUNNING, "now", now.map(Instant::toEpochMilli).orElse(null)))
                .list(JournalRecords::journaled);
    }

    /**
     * Takes an orphan over: write-locks its node, then, only if it is still running with an expired lease, sets the
     * new owner and lease. Of concurrent claimers the first to lock wins; the others then see its lease.
     */
    public Optional<JournaledExecution> claim(TransactionContext tx, String id, String owner, Optional<Instant> now,
                                              Duration ttl) {
        List<Record> locked = tx.run(LOCK, parameters("id", id, "child", "")).list();
        if (locked.isEmpty()) {
            return Optional.empty();
        }
        List<Record> rows = tx.run(CLAIM, parameters("id", id, "running", RUNNING, "owner", owner, "ttl", ttl.toMillis(),
                "now", now.map(Instant::toEpochMilli).orElse(null))).list();
        return rows.stream().findFirst().map(JournalRecords::journaled);
    }

    private static JournaledExecution journaled(Record r) {
        var steps = new ArrayList<Value>(r.get("steps").asList(v -> v));
        steps.sort(Comparator.comparingLong(v -> v.get("seq").asLong()));
        var intents = new ArrayList<Value>(r.get("intents").asList(v -> v));
        intents.sort(Comparator.comparingLong(v -> v.get("seq").asLong()));
        String id = r.get("id").asString();
        return new JournaledExecution(id, r.get("owner").asString(), r.get("runbook_id").asString(),
                r.get("runbook_version").asString(), map(r.get("incident_json")), map(r.get("variables_json")),
                steps.stream().map(JournalRecords::stepResult).toList(),
                intents.stream().map(v -> intent(id, v)).toList(),
                Values.instant(r.get("started_at")).orElseThrow(),
                Instant.ofEpochMilli(r.get("lease").asLong()), r.get("backend_owned").asBoolean());
    }

    private static StepResult stepResult(Value s) {
        boolean rollback = s.get("phase").asString().equals("rollback");
        var touched = new ArrayList<TouchedResource>();
        for (Object o : (List<?>) Json.parse(s.get("touched_json").asString())) {
            Map<?, ?> t = (Map<?, ?>) o;
            touched.add(new TouchedResource((String) t.get("kind"), (String) t.get("namespace"), (String) t.get("name"),
                    (String) t.get("change")));
        }
        Value output = s.get("output_json");
        Value error = s.get("error");
        return new StepResult((rollback ? "rollback/" : "") + s.get("name").asString(), s.get("action").asString(),
                StepStatus.valueOf(s.get("status").asString().toUpperCase(Locale.ROOT)), s.get("dry_run").asBoolean(),
                map(s.get("params_json")),
                output.isNull() ? Optional.empty() : Optional.ofNullable(Json.parse(output.asString())),
                error.isNull() ? Optional.empty() : Optional.of(error.asString()), s.get("attempts").asInt(), touched,
                s.get("summary").asString(), Values.instant(s.get("started_at")).orElseThrow(),
                Values.instant(s.get("finished_at")).orElseThrow());
    }

    private static StepIntent intent(String executionId, Value i) {
        return new StepIntent(executionId, i.get("owner").isNull() ? "" : i.get("owner").asString(), i.get("step").asString(), i.get("action").asString(),
                i.get("attempt").asInt(), i.get("rollback").asBoolean(), map(i.get("params_json")),
                Values.instant(i.get("at")).orElseThrow());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Value json) {
        if (json.isNull()) {
            return Map.of();
        }
        Object parsed = Json.parse(json.asString());
        return parsed instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    private static ZonedDateTime time(Instant i) {
        return i.atZone(ZoneOffset.UTC);
    }
}
