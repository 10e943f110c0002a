package dev.runbook.core.engine;

import dev.runbook.testkit.ExecutionJournalCompatibilityKit;

/** Core's journal kit against the in-memory journal (here, since the kit depends on core). */
class InMemoryExecutionJournalCompatibilityTest extends ExecutionJournalCompatibilityKit {
    private final InMemoryExecutionJournal journal = new InMemoryExecutionJournal();

    @Override
    protected ExecutionJournal newJournal() {
        return journal;
    }
}
