package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionListener;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import dev.runbook.core.notify.NotificationMessage;
import dev.runbook.core.notify.Notifier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;

/**
 * Auto-pause through the public API, on two replicas of a host (two engines, each with its own driver and
 * Neo4jGuardStore) sharing one database: failures on engine A pause the runbook on engine B at once, the refusal
 * names the executions that caused it, one notification is sent, and a resume on B lets both run again.
 */
@Neo4jTest
class PausedRunbookSharedByTwoEnginesTest {

    /** Collects what an engine's Slack channel would have received. */
    private static final class Inbox implements Notifier {
        final List<NotificationMessage> messages = new CopyOnWriteArrayList<>();

        @Override
        public String channel() {
            return "slack";
        }

        @Override
        public void send(NotificationMessage message) {
            messages.add(message);
        }
    }

    /** Records the guard decisions listeners (the audit trail among them) are told about. */
    private static final class Decisions implements ExecutionListener {
        final List<GuardDecision> seen = new CopyOnWriteArrayList<>();

        @Override
        public void guardDecided(String executionId, String runbookId, GuardDecision decision) {
            seen.add(decision);
        }
    }

    @Test
    void failuresOnOneEnginePauseTheRunbookOnBothUntilAPersonResumesIt(Neo4j neo4j) {
        String p = "pause-" + UUID.randomUUID() + "-";
        AtomicBoolean broken = new AtomicBoolean(true);
        Runbook rb = Runbook.builder(p + "oom").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().pauseAfter(3, Duration.ofHours(1)).build())
                .step(ActionStep.builder("bump", "bump_memory").build())
                .rollbackStep(ActionStep.builder("undo", "undo_memory").build()).build();
        TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
        Inbox inboxA = new Inbox();
        Inbox inboxB = new Inbox();
        Decisions auditB = new Decisions();
        try (Driver da = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
             Driver db = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
             RunbookEngine a = engine(rb, clock, broken, da).notifier(inboxA).build();
             RunbookEngine b = engine(rb, clock, broken, db).notifier(inboxB).listener(auditB).build()) {
            // two failures within the hour are not enough
            Execution f1 = a.handle(incident(p, 1));
            clock.advance(Duration.ofMinutes(10));
            Execution f2 = b.handle(incident(p, 2));
            assertThat(List.of(f1.status(), f2.status())).containsOnly(ExecutionStatus.ROLLED_BACK);
            assertThat(inboxA.messages).isEmpty();
            assertThat(inboxB.messages).isEmpty();
            clock.advance(Duration.ofMinutes(10));

            // the third, on A, pauses the runbook: A notifies once
            Execution f3 = a.handle(incident(p, 3));
            assertThat(f3.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(inboxA.messages).singleElement().satisfies(m -> {
                assertThat(m.executionId()).isEqualTo(f3.id());
                assertThat(m.message()).contains(f1.id(), f2.id(), f3.id()).contains("paused");
            });
            assertThat(f3.notifications()).singleElement().satisfies(n -> assertThat(n.sent()).isTrue());

            // B refuses at once, naming the three executions; nothing runs, and the listener sees the refusal
            broken.set(false);
            clock.advance(Duration.ofMinutes(1));
            Execution refusedOnB = b.handle(incident(p, 4));
            assertThat(refusedOnB.status()).isEqualTo(ExecutionStatus.DENIED);
            GuardDecision denial = refusedOnB.denial().orElseThrow();
            assertThat(denial.guard()).isEqualTo("paused");
            assertThat(denial.reason()).contains(f1.id() + ", " + f2.id() + ", " + f3.id())
                    .contains("pause_after 3 failures within 1h for runbook " + p + "oom");
            assertThat(auditB.seen).contains(denial);
            assertThat(refusedOnB.steps()).isEmpty();
            assertThat(a.handle(incident(p, 5)).denial().orElseThrow().guard()).isEqualTo("paused");
            assertThat(a.pauseState(p + "oom")).hasValueSatisfying(s ->
                    assertThat(s.executions()).containsExactly(f1.id(), f2.id(), f3.id()));

            // a person resumes it on B: both engines run it again; the pause was notified once in all
            assertThat(b.resume(p + "oom", "alice")).isTrue();
            assertThat(a.pauseState(p + "oom")).isEmpty();
            assertThat(a.handle(incident(p, 6)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(b.handle(incident(p, 7)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(b.resume(p + "oom", "alice")).isFalse();
            assertThat(inboxA.messages.size() + inboxB.messages.size()).isEqualTo(1);
        }
    }

    @Test
    void failuresSpreadBeyondTheWindowDoNotPause(Neo4j neo4j) {
        String p = "spread-" + UUID.randomUUID() + "-";
        Runbook rb = Runbook.builder(p + "oom").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().pauseAfter(2, Duration.ofMinutes(30)).build())
                .step(ActionStep.builder("bump", "bump_memory").build())
                .rollbackStep(ActionStep.builder("undo", "undo_memory").build()).build();
        TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
        try (Driver d = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
             RunbookEngine e = engine(rb, clock, new AtomicBoolean(true), d).build()) {
            assertThat(e.handle(incident(p, 1)).status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            clock.advance(Duration.ofMinutes(31));
            assertThat(e.handle(incident(p, 2)).status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            clock.advance(Duration.ofMinutes(1));
            // one failure in the last 30 minutes: it runs (and fails again, which now pauses it)
            assertThat(e.handle(incident(p, 3)).status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(e.handle(incident(p, 4)).denial().orElseThrow().guard()).isEqualTo("paused");
        }
    }

    private static RunbookEngine.Builder engine(Runbook rb, TestClock clock, AtomicBoolean broken, Driver driver) {
        TestAction bump = new TestAction("bump_memory", ctx -> {
            if (broken.get()) {
                throw new IllegalStateException("the new limit did not hold");
            }
        });
        return RunbookEngine.builder().discoverActions(false).clock(clock).runbook(rb)
                .actions(bump, new TestAction("undo_memory"))
                .guardStore(Neo4jGuardStore.builder().driver(driver).timeSource(Neo4jGuardStore.TimeSource.REQUEST).build());
    }

    private static Incident incident(String p, int i) {
        return Incident.builder(p + "incident-" + i).symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.92)
                .resource("Pod", "default", p + "pod-" + i).build();
    }
}
