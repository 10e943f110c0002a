package dev.runbook.neo4j;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionJournal;
import dev.runbook.core.engine.StepResult;
import dev.runbook.neo4j.internal.ActionRecords;
import dev.runbook.neo4j.internal.AuditRecords;
import dev.runbook.neo4j.internal.GuardSchema;
import dev.runbook.neo4j.internal.JournalRecords;
import dev.runbook.neo4j.internal.Neo4jErrors;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.neo4j.driver.Driver;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionCallback;

/**
 * An {@link ExecutionJournal} in Neo4j: every replica of a host journals its executions in one database, so when a
 * host dies mid-change another replica finds the execution, claims it exactly once and rolls it back with the
 * journaled values. Give every replica this journal and a {@link Neo4jGuardStore} on the same database.
 *
 * <p>Graph: a running execution is {@code (:RunbookExecution {id, status: 'running', owner, lease_expires_at,
 * lease_ttl_ms, runbook_id, runbook_version, incident_id, journal_started_at, incident_json, variables_json,
 * plan_json, journal_seq})} (plus {@code backend_owned: true} for an execution an {@code ExecutionBackend} runs,
 * which recovery leaves to the backend), written when its real run starts, before any change. Each intent (written before its
 * attempt runs) is {@code -[:JOURNALED]->(:RunbookJournalIntent {id, seq, step, action, attempt, rollback,
 * params_json, at})}; each finished step {@code -[:JOURNALED]->(:RunbookJournalStep {id, seq, phase, name, action,
 * status, attempts, error, summary, started_at, finished_at, params_json, output_json, touched_json})}, and
 * {@code variables_json} then holds the variables after it. {@code seq} orders them. At the end, {@link #finished}
 * writes the final record on the same node in exactly the shape {@link Neo4jAuditTrail} writes (its statement),
 * drops the lease, the variables and the journaled steps (the record has the steps) and keeps the intents: with an
 * audit trail on the same graph, the journal's final state and the audit record are one node.
 *
 * <p>Writes are idempotent: each node is MERGEd on an id derived from the execution id, and a replayed write
 * changes nothing. A unique constraint keeps each execution to one node; {@link Builder#build} creates it.
 * {@link #claim} runs in one write transaction that locks the execution node before it checks that the execution
 * is still running with an expired lease, so of several replicas claiming one orphan exactly one gets it.
 *
 * <p>{@linkplain ActionRecord Action records} (Docker's container history) are {@code (:RunbookActionRecord {id,
 * kind, key, sequence, execution_id, at, value_json})} nodes, kept until removed; a {@code
 * (:RunbookActionRecordSequence {kind, last})} counter per kind numbers them.
 *
 * <p>Failures: every method throws an {@link IllegalStateException} naming the cause when Neo4j cannot be used
 * (the engine then makes no change for {@link #started} and {@link #intent}, and logs the others).
 */
public final class Neo4jExecutionJournal implements ExecutionJournal {
    private final Driver driver;
    private final Optional<String> database;
    private final Neo4jGuardStore.TimeSource timeSource;
    private final JournalRecords records;

    private Neo4jExecutionJournal(Builder b) {
        this.driver = b.driver;
        this.database = b.databaseName();
        this.timeSource = b.timeSource;
        this.records = new JournalRecords(new AuditRecords(b.schema));
    }

    /** A builder; {@link Builder#driver} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The clock leases are measured with. */
    public Neo4jGuardStore.TimeSource timeSource() {
        return timeSource;
    }

    @Override
    public void started(JournalStart start) {
        Objects.requireNonNull(start, "start");
        write("record the start of " + start.executionId(), tx -> {
            records.start(tx, start, requestTime());
            return null;
        });
    }

    @Override
    public void intent(StepIntent intent) {
        Objects.requireNonNull(intent, "intent");
        boolean found = write("record the intent of step '" + intent.step() + "' of " + intent.executionId(),
                tx -> records.intent(tx, intent));
        if (!found) {
            throw new IllegalStateException("no execution " + intent.executionId() + " in the Neo4j journal: "
                    + "its start was not recorded");
        }
    }

    @Override
    public void stepRecorded(String executionId, StepResult result, boolean rollback, Map<String, Object> variables) {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(variables, "variables");
        boolean found = write("record step '" + result.name() + "' of " + executionId,
                tx -> records.step(tx, executionId, result, rollback, variables));
        if (!found) {
            throw new IllegalStateException("no execution " + executionId + " in the Neo4j journal: its start was not "
                    + "recorded");
        }
    }

    @Override
    public void finished(Execution execution) {
        Objects.requireNonNull(execution, "execution");
        write("record the end of " + execution.id(), tx -> {
            records.finish(tx, execution);
            return null;
        });
    }

    @Override
    public void renewLease(String executionId, String owner, Instant until) {
        Objects.requireNonNull(until, "until");
        write("renew the lease of " + executionId, tx -> {
            records.renew(tx, executionId, owner, requestTime() ? Optional.of(until) : Optional.empty());
            return null;
        });
    }

    /** {@inheritDoc} With {@link Neo4jGuardStore.TimeSource#DATABASE} time, {@code now} is the database's. */
    @Override
    public List<JournaledExecution> orphans(Instant now) {
        Objects.requireNonNull(now, "now");
        return run("read the orphaned executions", () -> {
            try (var session = driver.session(config())) {
                return session.executeRead(tx -> records.orphans(tx, requestTime() ? Optional.of(now) : Optional.empty()));
            }
        });
    }

    /**
     * {@inheritDoc} With {@link Neo4jGuardStore.TimeSource#DATABASE} time, expiry is judged by the database's clock
     * and the new lease lasts {@code leaseUntil - now} from it.
     */
    @Override
    public Optional<JournaledExecution> claim(String executionId, String newOwner, Instant now, Instant leaseUntil) {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(newOwner, "newOwner");
        Duration ttl = Duration.between(Objects.requireNonNull(now, "now"), Objects.requireNonNull(leaseUntil, "leaseUntil"));
        return write("claim " + executionId, tx -> records.claim(tx, executionId, newOwner,
                requestTime() ? Optional.of(now) : Optional.empty(), ttl.isNegative() ? Duration.ZERO : ttl));
    }

    /**
     * {@inheritDoc} The record is a {@code :RunbookActionRecord} node, committed before this returns; its sequence
     * comes from a per-kind counter node that the write locks.
     */
    @Override
    public long putRecord(String kind, String key, String executionId, Instant at, Map<String, Object> value) {
        // checks the value and fails before anything is written
        var record = new ActionRecord(0, kind, key, executionId, at, value);
        // chosen once per call: a transaction the driver runs again finds the record it already committed
        String id = java.util.UUID.randomUUID().toString();
        return write("record a " + kind + " record about " + key, tx -> ActionRecords.put(tx, id, kind, key,
                executionId, at, record.value()));
    }

    @Override
    public List<ActionRecord> records(String kind, String key) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        return run("read the " + kind + " records about " + key, () -> {
            try (var session = driver.session(config())) {
                return session.executeRead(tx -> ActionRecords.read(tx, kind, key));
            }
        });
    }

    @Override
    public void removeRecords(String kind, List<Long> sequences) {
        Objects.requireNonNull(kind, "kind");
        var list = List.copyOf(sequences);
        if (list.isEmpty()) {
            return;
        }
        write("remove " + list.size() + " " + kind + " record(s)", tx -> {
            ActionRecords.remove(tx, kind, list);
            return null;
        });
    }

    private boolean requestTime() {
        return timeSource == Neo4jGuardStore.TimeSource.REQUEST;
    }

    private <T> T write(String what, TransactionCallback<T> work) {
        return run(what, () -> {
            try (var session = driver.session(config())) {
                return session.executeWrite(work);
            }
        });
    }

    private static <T> T run(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the Neo4j execution journal could not " + what + ": "
                    + Neo4jErrors.describe(e), e);
        }
    }

    private SessionConfig config() {
        var b = SessionConfig.builder();
        database.ifPresent(b::withDatabase);
        return b.build();
    }

    /** Builds a {@link Neo4jExecutionJournal}; setters check their values. */
    public static final class Builder extends ConnectionBuilder<Builder> {
        private GraphSchema schema = GraphSchema.defaults();
        private Neo4jGuardStore.TimeSource timeSource = Neo4jGuardStore.TimeSource.DATABASE;

        private Builder() {
        }



        /** Names of the incident and resource nodes the final record links to, as for {@link Neo4jAuditTrail}. */
        public Builder schema(GraphSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /**
         * Whose clock leases are measured with (default {@link Neo4jGuardStore.TimeSource#DATABASE}: one clock for
         * every replica). {@link Neo4jGuardStore.TimeSource#REQUEST} uses the engine's times, for tests that drive
         * time. Every journal sharing a database must use the same source.
         */
        public Builder timeSource(Neo4jGuardStore.TimeSource timeSource) {
            this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
            return this;
        }

        /**
         * Creates the journal and its constraints and index (already there: nothing to do).
         *
         * @throws IllegalStateException without a driver, or when the schema cannot be created: the message names
         *                               the statement, Neo4j's error and the fix
         */
        public Neo4jExecutionJournal build() {
            requireDriver("Neo4jExecutionJournal");
            Neo4jExecutionJournal journal = new Neo4jExecutionJournal(this);
            GuardSchema.createJournal(driver, journal.config());
            return journal;
        }
    }
}
