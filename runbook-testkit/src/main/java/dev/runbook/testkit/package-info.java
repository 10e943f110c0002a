/**
 * Test kits for code that plugs into Runbook: extend {@link dev.runbook.testkit.ActionProviderCompatibilityKit} to
 * check an {@link dev.runbook.core.action.ActionProvider}, {@link dev.runbook.testkit.GuardStoreCompatibilityKit}
 * to check a {@link dev.runbook.core.guard.GuardStore}, and {@link dev.runbook.testkit.ExecutionJournalCompatibilityKit}
 * to check an {@link dev.runbook.core.engine.ExecutionJournal}. {@link dev.runbook.testkit.TestActionContext} runs one action
 * by hand, on a {@link dev.runbook.testkit.TestClock} that only moves when told to (no real sleeps).
 *
 * <p>Add {@code dev.runbook:runbook-testkit} with {@code <scope>test</scope>}; it brings JUnit Jupiter's API and
 * AssertJ, which the kits are written with.
 */
package dev.runbook.testkit;
