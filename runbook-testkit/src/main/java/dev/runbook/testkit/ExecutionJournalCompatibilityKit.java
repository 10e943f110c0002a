package dev.runbook.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionJournal;
import dev.runbook.core.engine.ExecutionJournal.JournalStart;
import dev.runbook.core.engine.ExecutionJournal.JournaledExecution;
import dev.runbook.core.engine.ExecutionJournal.StepIntent;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.model.Incident;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link ExecutionJournal} must do for recovery to be exact: an execution's start, intents, steps and
 * variables read back whole once its owner's lease runs out; leases renewed by their owner only; an expired execution
 * taken over by exactly one engine, however many race; a host that was only slow refused its next change; the
 * backend's mark kept; a finished execution never an orphan. A journal's test extends it and returns the journal:
 *
 * <pre>{@code
 * class MyJournalCompatibilityTest extends ExecutionJournalCompatibilityKit {
 *     protected ExecutionJournal newJournal() { return new MyJournal(dataSource); }
 *     protected ExecutionJournal sameDataAs(ExecutionJournal first) { return new MyJournal(dataSource); }
 * }
 * }</pre>
 *
 * <p>Time is the caller's: every call passes its instants, so a journal with a clock of its own (a database's) runs the
 * kit in a mode that follows them. Execution ids are unique per test, so one shared database can serve every test;
 * only the executions a test started are looked at.
 */
public abstract class ExecutionJournalCompatibilityKit {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final AtomicInteger RUN = new AtomicInteger();

    private final String prefix = "journal-kit" + RUN.incrementAndGet() + "-" + System.nanoTime() + "-";

    /** Creates a kit; subclasses supply the journal. */
    protected ExecutionJournalCompatibilityKit() {
    }

    /**
     * A journal to test; may be shared between tests.
     *
     * @return the journal
     */
    protected abstract ExecutionJournal newJournal();

    /**
     * Another journal on the same data, as a second replica of a host has (default: {@code first} itself).
     *
     * @param first the journal of the first replica
     * @return the second replica's
     */
    protected ExecutionJournal sameDataAs(ExecutionJournal first) {
        return first;
    }

    /**
     * What every execution id of this test starts with, for a journal on shared data to delete them after the test
     * (its recovery elsewhere would otherwise find them).
     *
     * @return the prefix
     */
    protected final String executionIdPrefix() {
        return prefix;
    }

    /**
     * Engines racing to take one execution over.
     *
     * @return 16 by default
     */
    protected int racingClaims() {
        return 16;
    }

    private Incident incident(String id) {
        return Incident.builder(prefix + id).rootCause("OOMKilled", 0.9).resource("Pod", "default", "web-1")
                .attribute("memory", Map.of("limit", "256Mi")).build();
    }

    private JournalStart start(String id, boolean backendOwned) {
        return new JournalStart(prefix + id, "host-a", "memory-fix", "3", incident("incident-" + id).toMap(),
                Map.of("target", "512Mi"), List.of(), T0, T0.plus(LEASE), backendOwned);
    }

    private Optional<JournaledExecution> orphan(ExecutionJournal journal, String id, Instant now) {
        return journal.orphans(now).stream().filter(o -> o.executionId().equals(prefix + id)).findFirst();
    }

    private static StepResult step(String name, Instant at) {
        return StepResult.succeeded(new StepResult.Start(name, "patch", false, Map.of("memory", "512Mi"), at),
                Optional.of("256Mi"), 1, List.of(), "set memory", at.plusMillis(5));
    }

    /** A start is no orphan while its lease runs, and is read back whole once it has run out. */
    @Test
    public void aStartIsReadBackWholeOnceItsLeaseRunsOut() {
        ExecutionJournal journal = newJournal();
        journal.started(start("s1", false));

        assertThat(orphan(journal, "s1", T0.plusSeconds(30))).isEmpty();
        assertThat(orphan(journal, "s1", T0.plus(LEASE).plusSeconds(1))).hasValueSatisfying(o -> {
            assertThat(o.owner()).isEqualTo("host-a");
            assertThat(o.runbookId()).isEqualTo("memory-fix");
            assertThat(o.runbookVersion()).isEqualTo("3");
            assertThat(Incident.fromMap(o.incident())).isEqualTo(incident("incident-s1"));
            assertThat(o.variables()).containsEntry("target", "512Mi");
            assertThat(o.startedAt()).isEqualTo(T0);
            assertThat(o.leaseUntil()).isEqualTo(T0.plus(LEASE));
            assertThat(o.backendOwned()).isFalse();
            assertThat(o.intents()).isEmpty();
            assertThat(o.steps()).isEmpty();
        });
    }

    /**
     * Intents and steps come back in order, a rollback step's name prefixed {@code rollback/}, with the variables of
     * the latest step: what a recovery rolls back or resumes from.
     */
    @Test
    public void intentsAndStepsComeBackInOrderWithTheLatestVariables() {
        ExecutionJournal journal = newJournal();
        journal.started(start("s2", false));
        journal.intent(new StepIntent(prefix + "s2", "host-a", "patch", "patch", 1, false, Map.of("memory", "512Mi"),
                T0.plusSeconds(1)));
        journal.stepRecorded(prefix + "s2", step("patch", T0.plusSeconds(1)), false, Map.of("old", "256Mi"));
        journal.intent(new StepIntent(prefix + "s2", "host-a", "revert", "patch", 1, true, Map.of("memory", "256Mi"),
                T0.plusSeconds(2)));
        journal.stepRecorded(prefix + "s2", step("revert", T0.plusSeconds(2)), true,
                Map.of("old", "256Mi", "error_message", "verify failed"));

        assertThat(orphan(journal, "s2", T0.plus(LEASE).plusSeconds(1))).hasValueSatisfying(o -> {
            assertThat(o.intents()).extracting(StepIntent::step, StepIntent::rollback)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("patch", false),
                            org.assertj.core.groups.Tuple.tuple("revert", true));
            assertThat(o.intents().get(0).params()).containsEntry("memory", "512Mi");
            assertThat(o.steps()).extracting(StepResult::name).containsExactly("patch", "rollback/revert");
            assertThat(o.steps().get(0).output()).contains("256Mi");
            assertThat(o.variables()).containsEntry("old", "256Mi").containsEntry("error_message", "verify failed");
        });
    }

    /** No change may be journaled for an execution the journal never saw start. */
    @Test
    public void anIntentForAnExecutionNeverStartedIsRefused() {
        ExecutionJournal journal = newJournal();
        assertThatThrownBy(() -> journal.intent(new StepIntent(prefix + "ghost", "host-a", "patch", "patch", 1, false,
                Map.of(), T0))).isInstanceOf(IllegalStateException.class).hasMessageContaining(prefix + "ghost");
    }

    /** Only the owner renews a lease; a renewed lease keeps the execution out of every other engine's reach. */
    @Test
    public void aLeaseIsRenewedByItsOwnerOnly() {
        ExecutionJournal journal = newJournal();
        journal.started(start("r1", false));
        journal.renewLease(prefix + "r1", "host-x", T0.plus(Duration.ofHours(1)));
        assertThat(orphan(journal, "r1", T0.plus(LEASE).plusSeconds(1))).as("renewed by a stranger").isPresent();

        journal.renewLease(prefix + "r1", "host-a", T0.plus(Duration.ofMinutes(10)));
        assertThat(orphan(journal, "r1", T0.plus(Duration.ofMinutes(9)))).isEmpty();
        assertThat(journal.claim(prefix + "r1", "host-b", T0.plus(Duration.ofMinutes(9)),
                T0.plus(Duration.ofMinutes(14)))).isEmpty();
        assertThat(orphan(journal, "r1", T0.plus(Duration.ofMinutes(10)).plusSeconds(1))).isPresent();
    }

    /**
     * An expired execution is taken over once: the new owner's lease keeps it, and the old owner, which was only slow,
     * may journal no further change for it.
     */
    @Test
    public void anExpiredExecutionIsTakenOverOnceAndItsOldOwnerMayChangeNothingMore() {
        ExecutionJournal journal = newJournal();
        ExecutionJournal replica = sameDataAs(journal);
        journal.started(start("c1", false));
        assertThat(replica.claim(prefix + "c1", "host-b", T0.plusSeconds(30), T0.plusSeconds(330)))
                .as("its lease still runs").isEmpty();

        Instant expired = T0.plus(LEASE).plusSeconds(1);
        assertThat(replica.claim(prefix + "c1", "host-b", expired, expired.plus(Duration.ofMinutes(5))))
                .hasValueSatisfying(w -> {
                    assertThat(w.owner()).isEqualTo("host-b");
                    assertThat(w.leaseUntil()).isEqualTo(expired.plus(Duration.ofMinutes(5)));
                });
        assertThat(journal.claim(prefix + "c1", "host-c", expired, expired.plus(Duration.ofMinutes(5)))).isEmpty();
        assertThat(orphan(journal, "c1", expired.plusSeconds(1))).isEmpty();
        assertThatThrownBy(() -> journal.intent(new StepIntent(prefix + "c1", "host-a", "patch", "patch", 2, false,
                Map.of(), expired.plusSeconds(1)))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("host-b");
        replica.intent(new StepIntent(prefix + "c1", "host-b", "revert", "patch", 1, true, Map.of(),
                expired.plusSeconds(2)));
        assertThat(journal.claim(prefix + "nobody", "host-c", expired, expired.plusSeconds(60))).isEmpty();
    }

    /** An execution an execution backend runs keeps its mark through a take-over. */
    @Test
    public void theBackendsMarkIsKeptThroughATakeOver() {
        ExecutionJournal journal = newJournal();
        journal.started(start("b1", true));
        Instant expired = T0.plus(LEASE).plusSeconds(1);

        assertThat(orphan(journal, "b1", expired)).hasValueSatisfying(o -> assertThat(o.backendOwned()).isTrue());
        assertThat(journal.claim(prefix + "b1", "host-b", expired, expired.plusSeconds(300)))
                .hasValueSatisfying(w -> assertThat(w.backendOwned()).isTrue());
    }

    /** A finished execution is no orphan, whatever its lease said. */
    @Test
    public void aFinishedExecutionIsNoOrphan() {
        ExecutionJournal journal = newJournal();
        journal.started(start("f1", false));
        Incident incident = incident("incident-f1");
        journal.finished(new Execution(prefix + "f1", "memory-fix", "3", incident.incidentId(),
                ExecutionStatus.SUCCEEDED, new MatchReport(incident, List.of(), List.of()), List.of(), Optional.empty(),
                List.of(), List.of(step("patch", T0.plusSeconds(1))), List.of(), List.of(), List.of(), Optional.empty(),
                "host-a", T0, T0.plusSeconds(2)));

        assertThat(orphan(journal, "f1", T0.plus(Duration.ofDays(1)))).isEmpty();
        assertThat(journal.claim(prefix + "f1", "host-b", T0.plus(Duration.ofDays(1)),
                T0.plus(Duration.ofDays(1)).plusSeconds(60))).isEmpty();
    }

    /** However many engines race to take an expired execution over, exactly one does. */
    @Test
    @Timeout(60)
    public void racingEnginesTakeAnExecutionOverExactlyOnce() throws Exception {
        ExecutionJournal journal = newJournal();
        journal.started(start("race", false));
        Instant expired = T0.plus(LEASE).plusSeconds(1);
        int n = racingClaims();
        var go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            var claims = new ArrayList<Future<Optional<JournaledExecution>>>();
            for (int i = 0; i < n; i++) {
                ExecutionJournal replica = sameDataAs(journal);
                String owner = "host-" + i;
                claims.add(pool.submit(() -> {
                    go.await();
                    return replica.claim(prefix + "race", owner, expired, expired.plusSeconds(300));
                }));
            }
            go.countDown();
            int won = 0;
            for (var f : claims) {
                won += f.get(30, TimeUnit.SECONDS).isPresent() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
