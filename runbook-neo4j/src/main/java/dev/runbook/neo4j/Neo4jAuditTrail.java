package dev.runbook.neo4j;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionListener;
import dev.runbook.core.engine.Sleeper;
import dev.runbook.core.retry.Backoff;
import dev.runbook.neo4j.internal.AuditRecords;
import dev.runbook.neo4j.internal.AuditWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.neo4j.driver.Driver;

/**
 * Records every execution in Neo4j, as the seed's audit log shows and more. Register it with
 * {@code RunbookEngine.builder().listener(trail)} and close it when the host stops.
 *
 * <p>Graph: {@code (:RunbookExecution {id, runbook_id, runbook_version, incident_id, executed_at, finished_at,
 * executed_by, status, actions_taken, approver, approved, approval_reason, error, dry_run_only, duration_ms,
 * denied_by, rollback_status, root_cause, rca_confidence, symptom_reason, resource_key, resource_kind,
 * incident_event_time, touched, escalated_to})}, linked {@code -[:FOR_INCIDENT]->} to the incident's {@code :Episodic} (MERGEd by {@code eid}),
 * {@code -[:ON_RESOURCE]->} to the incident's {@code :Resource} when the graph has it (matched by the
 * incident's {@code rid} attribute, else by kind, namespace and name; never created),
 * {@code -[:GUARD_DECISION]->(:RunbookGuardDecision {id, index, guard, allowed, reason})} per guard and
 * {@code -[:HAS_STEP]->(:RunbookStep {id, phase: dry_run|real|rollback, index, name, action, status, dry_run,
 * attempts, error, summary, started_at, finished_at, duration_ms, params_json, output_json, touched})} per step,
 * and {@code -[:ESCALATED_TO]->} the execution of the next runbook when it escalated ({@code on_failure: escalate}):
 * each execution of a chain is recorded, and the links make it one record ({@link Neo4jOutcomeHistory} reads the
 * outcomes back for outcome-aware choice).
 * Status values are lower case ({@code succeeded, rolled_back, rollback_failed, failed, denied, no_match,
 * planned, cancelled}); {@code rollback_status} is {@code none}, {@code succeeded} or {@code failed}.
 *
 * <p>Writing: every node is MERGEd on an id derived from the execution id, so a batch written twice changes
 * nothing. A single background thread writes batches (one transaction per batch, UNWIND); the execution's
 * thread only appends to a bounded buffer. An execution leaves the buffer only when its transaction committed:
 * during an outage the writer retries on the project's {@link Backoff} (doubling from {@link Builder#retryBackoff}'s
 * min to its max, equal jitter) and drains the buffer when Neo4j returns.
 * Full-buffer policy: the caller waits up to {@link Builder#offerTimeout} for room, then the oldest buffered
 * execution is dropped, logged and counted in {@link #dropped()}. {@link #close()} writes what is buffered,
 * retrying up to {@link Builder#closeTimeout}.
 */
public final class Neo4jAuditTrail implements ExecutionListener, AutoCloseable {
    private final AuditWriter writer;

    private Neo4jAuditTrail(Builder b) {
        this.writer = new AuditWriter(new AuditWriter.Settings(b.driver, b.databaseName(),
                new AuditRecords(b.schema), b.capacity, b.batchSize, b.offerTimeout,
                new Backoff(b.minBackoff, 2.0, b.maxBackoff, Backoff.Jitter.EQUAL, Integer.MAX_VALUE), b.random,
                Optional.ofNullable(b.sleeper), b.closeTimeout));
    }

    /** A builder; {@link Builder#driver} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void executionFinished(Execution execution) {
        writer.offer(execution);
    }

    /**
     * Waits until every execution recorded so far is in Neo4j.
     *
     * @return false if the timeout passed first
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        return writer.flush(timeout);
    }

    /** Executions buffered, not yet written. */
    public int pending() {
        return writer.pending();
    }

    /** Executions written since start. */
    public long written() {
        return writer.written();
    }

    /** Executions dropped because the buffer stayed full (or recorded after close). */
    public long dropped() {
        return writer.dropped();
    }

    /** Failed write attempts (each was retried). */
    public long failedAttempts() {
        return writer.failedAttempts();
    }

    /** Writes what is buffered (up to the close timeout) and stops the writer thread. The driver stays open. */
    @Override
    public void close() {
        writer.close();
    }

    /** Builds a {@link Neo4jAuditTrail}; setters check their values. */
    public static final class Builder extends ConnectionBuilder<Builder> {
        private GraphSchema schema = GraphSchema.defaults();
        private int capacity = 10_000;
        private int batchSize = 200;
        private Duration offerTimeout = Duration.ofSeconds(1);
        private Duration minBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(30);
        private RandomGenerator random = new SplittableRandom();
        private Sleeper sleeper;

        private Builder() {
        }

        /** The jitter's randomness between failed writes (default: a fresh {@link SplittableRandom}); tests seed it. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * How the writer waits between failed writes (default: on its own condition, which {@link #close()} cuts
         * short); tests inject one that records the waits and advances a test clock.
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }



        /** Names of the incident and resource nodes to link to (default: the seed's). */
        public Builder schema(GraphSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /** Most executions buffered while Neo4j is slow or down (default 10,000). */
        public Builder capacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /** Most executions per transaction (default 200). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** How long a caller waits for room in a full buffer before the oldest execution is dropped (default 1 s). */
        public Builder offerTimeout(Duration timeout) {
            this.offerTimeout = nonNegative("offerTimeout", timeout);
            return this;
        }

        /**
         * Backoff between failed writes: its ceiling starts at {@code min} and doubles up to {@code max}, each wait
         * drawn between half and all of it (default 200 ms to 30 s).
         */
        public Builder retryBackoff(Duration min, Duration max) {
            nonNegative("retryBackoff min", min);
            nonNegative("retryBackoff max", max);
            if (min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("retryBackoff needs 0 < min <= max, got " + min + ", " + max);
            }
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /** How long {@link #close()} keeps trying to write what is buffered (default 30 s). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = nonNegative("closeTimeout", timeout);
            return this;
        }

        private static Duration nonNegative(String what, Duration d) {
            if (Objects.requireNonNull(d, what).isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative, got " + d);
            }
            return d;
        }

        /** Builds the trail and starts its writer thread. */
        public Neo4jAuditTrail build() {
            requireDriver("Neo4jAuditTrail");
            return new Neo4jAuditTrail(this);
        }
    }
}
