package dev.runbook.core.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The default journal: in this process's memory. It gives recovery within one process (an engine replaced by
 * another after a fault) and nothing more: when the process dies, the journal dies with it, and nothing will
 * know that a change was half made. Hosts that need durability use a durable journal (the Neo4j journal).
 * Finished executions are forgotten; {@linkplain ActionRecord action records} are kept until removed (for the
 * life of the process).
 */
public final class InMemoryExecutionJournal implements ExecutionJournal {
    private static final class Entry {
        JournalStart start;
        String owner;
        Instant leaseUntil;
        Map<String, Object> variables;
        final List<StepResult> steps = new ArrayList<>();
        final List<StepIntent> intents = new ArrayList<>();

        JournaledExecution view() {
            return new JournaledExecution(start.executionId(), owner, start.runbookId(), start.runbookVersion(),
                    start.incident(), variables, steps, intents, start.startedAt(), leaseUntil,
                    start.backendOwned());
        }
    }

    private final Map<String, Entry> running = new LinkedHashMap<>();
    /** Action records by kind, in sequence order. */
    private final Map<String, List<ActionRecord>> records = new LinkedHashMap<>();
    private final Map<String, Long> sequences = new LinkedHashMap<>();

    @Override
    public synchronized void started(JournalStart start) {
        Entry e = running.computeIfAbsent(start.executionId(), k -> new Entry());
        e.start = start;
        e.owner = start.owner();
        e.leaseUntil = start.leaseUntil();
        e.variables = new LinkedHashMap<>(start.params());
    }

    @Override
    public synchronized void intent(StepIntent intent) {
        Entry e = running.get(intent.executionId());
        if (e == null) {
            throw new IllegalStateException("no running execution " + intent.executionId() + " in the journal");
        }
        if (!e.owner.equals(intent.owner())) {
            throw new IllegalStateException("execution " + intent.executionId() + " was taken over by " + e.owner
                    + "; " + intent.owner() + " may no longer change anything for it");
        }
        e.intents.add(intent);
    }

    @Override
    public synchronized void stepRecorded(String executionId, StepResult result, boolean rollback,
                                          Map<String, Object> variables) {
        Entry e = running.get(executionId);
        if (e != null) {
            e.steps.add(rollback ? result.prefixed("rollback/") : result);
            e.variables = new LinkedHashMap<>(variables);
        }
    }

    @Override
    public synchronized void finished(Execution execution) {
        running.remove(execution.id());
    }

    @Override
    public synchronized void renewLease(String executionId, String owner, Instant until) {
        Entry e = running.get(executionId);
        if (e != null && e.owner.equals(owner)) {
            e.leaseUntil = until;
        }
    }

    @Override
    public synchronized List<JournaledExecution> orphans(Instant now) {
        return running.values().stream().filter(e -> e.leaseUntil.isBefore(now)).map(Entry::view).toList();
    }

    @Override
    public synchronized Optional<JournaledExecution> claim(String executionId, String newOwner, Instant now,
                                                           Instant leaseUntil) {
        Entry e = running.get(executionId);
        if (e == null || !e.leaseUntil.isBefore(now)) {
            return Optional.empty();
        }
        e.owner = newOwner;
        e.leaseUntil = leaseUntil;
        return Optional.of(e.view());
    }

    @Override
    public synchronized long putRecord(String kind, String key, String executionId, Instant at,
                                       Map<String, Object> value) {
        long sequence = sequences.merge(java.util.Objects.requireNonNull(kind, "kind"), 1L, Long::sum);
        // built before it is added: a value that is not plain fails the write and leaves nothing behind
        var r = new ActionRecord(sequence, kind, key, executionId, at, value);
        records.computeIfAbsent(kind, k -> new ArrayList<>()).add(r);
        return sequence;
    }

    @Override
    public synchronized List<ActionRecord> records(String kind, String key) {
        java.util.Objects.requireNonNull(key, "key");
        return records.getOrDefault(java.util.Objects.requireNonNull(kind, "kind"), List.of()).stream()
                .filter(r -> r.key().equals(key)).toList();
    }

    @Override
    public synchronized void removeRecords(String kind, List<Long> gone) {
        var set = java.util.Set.copyOf(gone);
        List<ActionRecord> of = records.get(java.util.Objects.requireNonNull(kind, "kind"));
        if (of != null) {
            of.removeIf(r -> set.contains(r.sequence()));
        }
    }
}
