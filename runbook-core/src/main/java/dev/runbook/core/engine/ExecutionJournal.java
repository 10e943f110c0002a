package dev.runbook.core.engine;

import dev.runbook.core.internal.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the engine records a running execution as it goes, ahead of every change: that it started (with its
 * incident, runbook, owner and dry-run plan), the intent of every real attempt of a mutating action before the
 * action is called, each step's result with the variables the rollback and notifications need, and the end.
 *
 * <p>{@link #started} and {@link #intent} are write-ahead: when they throw, the engine does not make the change
 * (fail closed). Failures of the other writes are logged; the intent already says a change may have happened.
 * Implementations are thread-safe and their writes idempotent (one execution never appears twice).
 *
 * <p>Every running execution carries an owner lease that its engine renews; an execution whose lease expired
 * belongs to a dead host: {@link #orphans} finds them and {@link #claim} hands each to exactly one recovering
 * engine, even when several replicas recover at the same moment.
 *
 * <p>Integrations may also keep {@linkplain ActionRecord durable records} in the journal, beyond one execution
 * (Docker's container history, which rollbacks and crash repair read): {@link #putRecord} is write-ahead like
 * {@link #intent}, the action writes the record before its change. Both shipped journals keep them; a third-party
 * journal that does not inherits defaults that throw {@link UnsupportedOperationException}.
 */
public interface ExecutionJournal {

    /** Records that an execution starts its real run. Write-ahead: throwing stops the execution before any change. */
    void started(JournalStart start);

    /**
     * Records that a real attempt of a mutating action is about to run. Write-ahead: throwing stops the attempt.
     * Throws too when the execution now belongs to another engine than {@link StepIntent#owner()} (another replica
     * recovered it): this fences off a host that was only slow, not dead, so that it changes nothing after its
     * execution was taken over.
     */
    void intent(StepIntent intent);

    /**
     * Records a finished step of the real run or the rollback, with the variables the rollback and notifications
     * will need (plain values: maps, lists, strings, numbers, booleans).
     */
    void stepRecorded(String executionId, StepResult result, boolean rollback, Map<String, Object> variables);

    /** Records the end: the execution's final record, which becomes its audit record. */
    void finished(Execution execution);

    /** Extends the owner's lease on a running execution. */
    void renewLease(String executionId, String owner, Instant until);

    /** Running executions whose owner's lease expired before {@code now} (their host died). */
    List<JournaledExecution> orphans(Instant now);

    /**
     * Takes an orphan over for {@code newOwner}, atomically: of several engines claiming one orphan at once, exactly
     * one gets it. Empty when it is no longer an orphan (finished, or claimed by another engine).
     */
    Optional<JournaledExecution> claim(String executionId, String newOwner, Instant now, Instant leaseUntil);

    /**
     * Stores a durable record before the change it is about (write-ahead: throws when it cannot write, and the
     * caller then makes no change).
     *
     * @param kind        what sort of record, chosen by the integration ({@code docker.container-history})
     * @param key         what it is about within the kind (a container's name)
     * @param executionId the execution writing it
     * @param at          engine clock
     * @param value       plain values only: maps with string keys, lists, strings, numbers, booleans
     * @return the record's sequence number: unique within the kind, increasing in the order records are written
     * @throws IllegalArgumentException when the value holds something else than plain values
     */
    default long putRecord(String kind, String key, String executionId, Instant at, Map<String, Object> value) {
        throw new UnsupportedOperationException(getClass().getName() + " does not keep action records; use "
                + "InMemoryExecutionJournal, Neo4jExecutionJournal, or implement putRecord, records and removeRecords");
    }

    /** The records of this kind about this key, oldest (lowest sequence) first. */
    default List<ActionRecord> records(String kind, String key) {
        throw new UnsupportedOperationException(getClass().getName() + " does not keep action records; use "
                + "InMemoryExecutionJournal, Neo4jExecutionJournal, or implement putRecord, records and removeRecords");
    }

    /** Forgets these records of this kind (sequences no longer there are ignored). */
    default void removeRecords(String kind, List<Long> sequences) {
        throw new UnsupportedOperationException(getClass().getName() + " does not keep action records; use "
                + "InMemoryExecutionJournal, Neo4jExecutionJournal, or implement putRecord, records and removeRecords");
    }

    /**
     * A durable record an integration keeps beyond one execution (Docker's container history), written before
     * its change.
     *
     * @param sequence    the journal's number for it, unique within the kind and increasing in write order
     * @param kind        what sort of record ({@code docker.container-history})
     * @param key         what it is about within the kind
     * @param executionId the execution that wrote it
     * @param at          when (engine clock)
     * @param value       the record, plain values only (deeply immutable; whole numbers as {@code Long}, others as
     *                    {@code Double}, so that a record read back from a store equals the one written)
     */
    record ActionRecord(long sequence, String kind, String key, String executionId, Instant at,
                        Map<String, Object> value) {
        public ActionRecord {
            java.util.Objects.requireNonNull(kind, "kind");
            java.util.Objects.requireNonNull(key, "key");
            java.util.Objects.requireNonNull(executionId, "executionId");
            java.util.Objects.requireNonNull(at, "at");
            value = Json.copy(java.util.Objects.requireNonNull(value, "value"), kind + " record", Json.Nulls.REJECT);
        }
    }

    /**
     * What {@link #started} records.
     *
     * @param executionId    the execution
     * @param owner          the engine running it
     * @param runbookId      its runbook
     * @param runbookVersion the runbook's version
     * @param incident       the incident, as {@code Incident.toMap()} gives it
     * @param params         the runbook's resolved parameters (secrets excluded)
     * @param plan           the dry run's steps, when one ran
     * @param startedAt      engine clock
     * @param leaseUntil     the owner's lease
     * @param backendOwned   whether an {@link ExecutionBackend} runs it (a Temporal workflow): the backend owns its
     *                       recovery, so {@code RunbookEngine.recover()} never re-runs or rolls it back, even when
     *                       its lease expired
     */
    record JournalStart(String executionId, String owner, String runbookId, String runbookVersion,
                        Map<String, Object> incident, Map<String, Object> params, List<StepResult> plan,
                        Instant startedAt, Instant leaseUntil, boolean backendOwned) {
        /** Copies. */
        public JournalStart {
            incident = Map.copyOf(incident);
            params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
            plan = List.copyOf(plan);
        }

        /**
         * The start of an execution the engine runs in-process (not {@linkplain #backendOwned() backend-owned}).
         *
         * @param executionId    the execution
         * @param owner          the engine running it
         * @param runbookId      its runbook
         * @param runbookVersion the runbook's version
         * @param incident       the incident, as {@code Incident.toMap()} gives it
         * @param params         the runbook's resolved parameters (secrets excluded)
         * @param plan           the dry run's steps, when one ran
         * @param startedAt      engine clock
         * @param leaseUntil     the owner's lease
         */
        public JournalStart(String executionId, String owner, String runbookId, String runbookVersion,
                            Map<String, Object> incident, Map<String, Object> params, List<StepResult> plan,
                            Instant startedAt, Instant leaseUntil) {
            this(executionId, owner, runbookId, runbookVersion, incident, params, plan, startedAt, leaseUntil, false);
        }
    }

    /**
     * What {@link #intent} records: the change about to be attempted.
     *
     * @param executionId the execution
     * @param owner       the engine about to make the change
     * @param step        the step
     * @param action      its action
     * @param attempt     which attempt, from 1
     * @param rollback    whether this is a rollback step
     * @param params      the rendered params, secrets masked
     * @param at          engine clock
     */
    record StepIntent(String executionId, String owner, String step, String action, int attempt, boolean rollback,
                      Map<String, Object> params, Instant at) {
        public StepIntent {
            params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        }
    }

    /**
     * A running execution as the journal has it.
     *
     * @param executionId    the execution
     * @param owner          the engine that ran it
     * @param runbookId      its runbook
     * @param runbookVersion the runbook's version
     * @param incident       the incident, as {@code Incident.toMap()} gave it
     * @param variables      the latest variables recorded (parameters and step outputs)
     * @param steps          the steps recorded so far, real run then rollback
     * @param intents        every intent recorded, in order (the last one may have no result: it was in flight)
     * @param startedAt      when it started
     * @param leaseUntil     its owner's lease
     * @param backendOwned   whether an {@link ExecutionBackend} runs it ({@link JournalStart#backendOwned()}):
     *                       recovery leaves it to the backend
     */
    record JournaledExecution(String executionId, String owner, String runbookId, String runbookVersion,
                              Map<String, Object> incident, Map<String, Object> variables, List<StepResult> steps,
                              List<StepIntent> intents, Instant startedAt, Instant leaseUntil, boolean backendOwned) {
        /** Copies. */
        public JournaledExecution {
            incident = Map.copyOf(incident);
            variables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(variables));
            steps = List.copyOf(steps);
            intents = List.copyOf(intents);
        }

        /**
         * An execution the engine ran in-process (not {@linkplain #backendOwned() backend-owned}).
         *
         * @param executionId    the execution
         * @param owner          the engine that ran it
         * @param runbookId      its runbook
         * @param runbookVersion the runbook's version
         * @param incident       the incident, as {@code Incident.toMap()} gave it
         * @param variables      the latest variables recorded (parameters and step outputs)
         * @param steps          the steps recorded so far, real run then rollback
         * @param intents        every intent recorded, in order
         * @param startedAt      when it started
         * @param leaseUntil     its owner's lease
         */
        public JournaledExecution(String executionId, String owner, String runbookId, String runbookVersion,
                                  Map<String, Object> incident, Map<String, Object> variables, List<StepResult> steps,
                                  List<StepIntent> intents, Instant startedAt, Instant leaseUntil) {
            this(executionId, owner, runbookId, runbookVersion, incident, variables, steps, intents, startedAt,
                    leaseUntil, false);
        }
    }
}
