package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionJournal;
import dev.runbook.core.engine.ExecutionJournal.JournalStart;
import dev.runbook.core.engine.ExecutionJournal.JournaledExecution;
import dev.runbook.core.engine.ExecutionJournal.StepIntent;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.Refusal;
import dev.runbook.core.guard.ReservationRequest;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;

/** The Neo4j execution journal against the shared harness: what it writes, replays, hands over and to whom. */
@Neo4jTest
class Neo4jExecutionJournalTest {
    private final String p = "journal-" + UUID.randomUUID() + "-";
    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final List<String> changes = new CopyOnWriteArrayList<>();

    @AfterEach
    void forgetThisTestsExecutions(Driver driver) {
        // the harness is shared: leave no running execution behind for another test's recover() to find
        try (var s = driver.session()) {
            s.run("MATCH (e:RunbookExecution) WHERE e.id STARTS WITH $p OPTIONAL MATCH (e)-[:JOURNALED]->(c) "
                    + "DETACH DELETE e, c", Map.of("p", p)).consume();
        }
    }

    private Neo4jExecutionJournal journal(Driver d) {
        return Neo4jExecutionJournal.builder().driver(d).timeSource(Neo4jGuardStore.TimeSource.REQUEST).build();
    }

    private Incident incident(String id) {
        return Incident.builder(p + id).rootCause("OOMKilled", 0.9).resource("Pod", "default", p + "web")
                .attribute("memory", Map.of("limit", "256Mi", "history", List.of(1L, 2.5, true))).build();
    }

    private JournalStart start(String id, Instant at, Duration lease) {
        return new JournalStart(p + id, "host-a", "memory-fix", "3", incident("inc-" + id).toMap(),
                Map.of("target", "512Mi"), List.of(), at, at.plus(lease));
    }

    private static StepResult readStep(Instant at) {
        return StepResult.succeeded(new StepResult.Start("read", "read", false, Map.of("what", "memory"), at),
                Optional.of(Map.of("old", "256Mi")), 1, List.of(new TouchedResource("Pod", "default", "web", "read")),
                "read memory", at.plusMillis(5));
    }

    @Test
    void whatIsJournaledIsReadBackWholeAndIsVisibleInTheGraphWhileRunning(Driver d) {
        ExecutionJournal j = journal(d);
        Instant t = clock.instant();
        j.started(start("x1", t, Duration.ofMinutes(1)));
        StepResult read = readStep(t);
        j.stepRecorded(p + "x1", read, false, Map.of("target", "512Mi", "old", "256Mi"));
        StepIntent intent = new StepIntent(p + "x1", "host-a", "patch", "patch", 1, false, Map.of("memory", "512Mi"), t.plusMillis(6));
        j.intent(intent);

        try (var s = d.session()) {
            var row = s.run("MATCH (e:RunbookExecution {id: $id}) RETURN e.status AS status, e.owner AS owner, "
                    + "e.lease_expires_at AS lease, e.runbook_id AS rb, e.incident_json AS inc, "
                    + "[(e)-[:JOURNALED]->(i:RunbookJournalIntent) | i.step] AS intents", Map.of("id", p + "x1")).single();
            assertThat(row.get("status").asString()).isEqualTo("running");
            assertThat(row.get("owner").asString()).isEqualTo("host-a");
            assertThat(row.get("lease").asLong()).isEqualTo(t.plusSeconds(60).toEpochMilli());
            assertThat(row.get("rb").asString()).isEqualTo("memory-fix");
            assertThat(row.get("inc").asString()).contains("\"incident_id\":\"" + p + "inc-x1\"");
            assertThat(row.get("intents").asList()).containsExactly("patch");
        }
        assertThat(j.orphans(t.plusSeconds(59))).noneMatch(o -> o.executionId().equals(p + "x1"));
        JournaledExecution o = j.orphans(t.plusSeconds(61)).stream().filter(x -> x.executionId().equals(p + "x1"))
                .findFirst().orElseThrow();
        assertThat(o.owner()).isEqualTo("host-a");
        assertThat(o.runbookVersion()).isEqualTo("3");
        assertThat(o.incident()).isEqualTo(incident("inc-x1").toMap());
        assertThat(Incident.fromMap(o.incident())).isEqualTo(incident("inc-x1"));
        assertThat(o.variables()).isEqualTo(Map.of("target", "512Mi", "old", "256Mi"));
        assertThat(o.steps()).containsExactly(read);
        assertThat(o.intents()).containsExactly(intent);
        assertThat(o.startedAt()).isEqualTo(t);
        assertThat(o.leaseUntil()).isEqualTo(t.plusSeconds(60));
    }

    @Test
    void everyWriteReplayedChangesNothing(Driver d) {
        ExecutionJournal j = journal(d);
        Instant t = clock.instant();
        for (int i = 0; i < 2; i++) {
            j.started(start("r1", t, Duration.ofMinutes(1)));
            j.stepRecorded(p + "r1", readStep(t), false, Map.of("old", "256Mi"));
            j.intent(new StepIntent(p + "r1", "host-a", "patch", "patch", 1, false, Map.of("memory", "512Mi"), t));
        }
        // a replayed start must not take the lease back either
        j.renewLease(p + "r1", "host-a", t.plusSeconds(300));
        j.started(start("r1", t, Duration.ofMinutes(1)));
        try (var s = d.session()) {
            var row = s.run("MATCH (e:RunbookExecution {id: $id}) RETURN count(e) AS n, max(e.journal_seq) AS seq, "
                    + "max(e.lease_expires_at) AS lease, "
                    + "COUNT { MATCH (:RunbookExecution {id: $id})-[:JOURNALED]->() } AS children", Map.of("id", p + "r1"))
                    .single();
            assertThat(row.get("n").asLong()).isEqualTo(1);
            assertThat(row.get("seq").asLong()).isEqualTo(2);
            assertThat(row.get("children").asLong()).isEqualTo(2);
            assertThat(row.get("lease").asLong()).isEqualTo(t.plusSeconds(300).toEpochMilli());
        }
    }

    @Test
    void anIntentForAnExecutionNeverStartedIsRefused(Driver d) {
        ExecutionJournal j = journal(d);
        assertThatThrownBy(() -> j.intent(new StepIntent(p + "ghost", "host-a", "patch", "patch", 1, false, Map.of(), clock.instant())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no execution " + p + "ghost");
    }

    @Test
    void aHostWhoseExecutionWasTakenOverCanNoLongerRecordAChange(Driver d) {
        ExecutionJournal j = journal(d);
        Instant t = clock.instant();
        j.started(start("f1", t, Duration.ofMinutes(1)));
        assertThat(j.claim(p + "f1", "host-b", t.plusSeconds(120), t.plusSeconds(420))).isPresent();
        // host-a was only slow (a long pause), not dead: its next change must not happen
        assertThatThrownBy(() -> j.intent(new StepIntent(p + "f1", "host-a", "patch", "patch", 1, false, Map.of(), t)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("taken over by host-b")
                .hasMessageContaining("host-a may no longer change anything");
        j.intent(new StepIntent(p + "f1", "host-b", "revert", "patch", 1, true, Map.of(), t.plusSeconds(121)));
        assertThat(j.claim(p + "f1", "host-c", t.plusSeconds(121), t.plusSeconds(600))).isEmpty();
    }

    @Test
    void onlyAnExpiredRunningExecutionIsClaimedAndOnlyOnce(Driver d) {
        ExecutionJournal j = journal(d);
        Instant t = clock.instant();
        j.started(start("c1", t, Duration.ofMinutes(1)));
        // a lease renewed by someone else than the owner is not renewed
        j.renewLease(p + "c1", "host-x", t.plusSeconds(600));
        assertThat(j.claim(p + "c1", "host-b", t.plusSeconds(30), t.plusSeconds(90))).isEmpty();

        Optional<JournaledExecution> won = j.claim(p + "c1", "host-b", t.plusSeconds(61), t.plusSeconds(361));
        assertThat(won).hasValueSatisfying(w -> {
            assertThat(w.owner()).isEqualTo("host-b");
            assertThat(w.leaseUntil()).isEqualTo(t.plusSeconds(361));
        });
        assertThat(j.claim(p + "c1", "host-c", t.plusSeconds(62), t.plusSeconds(362))).isEmpty();
        assertThat(j.orphans(t.plusSeconds(62))).noneMatch(o -> o.executionId().equals(p + "c1"));
        assertThat(j.claim(p + "nobody", "host-c", t.plusSeconds(62), t.plusSeconds(362))).isEmpty();
    }

    @Test
    void theBackendsMarkIsKeptSoThatRecoveryCanLeaveItsExecutionsAlone(Driver d) {
        ExecutionJournal j = journal(d);
        Instant t = clock.instant();
        JournalStart plain = start("b1", t, Duration.ofMinutes(1));
        j.started(plain);
        j.started(new JournalStart(p + "b2", "host-a", "memory-fix", "3", incident("inc-b2").toMap(), Map.of(),
                List.of(), t, t.plus(Duration.ofMinutes(1)), true));

        assertThat(j.orphans(t.plusSeconds(61))).filteredOn(o -> o.executionId().startsWith(p + "b"))
                .extracting(JournaledExecution::executionId, JournaledExecution::backendOwned)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(p + "b1", false),
                        org.assertj.core.groups.Tuple.tuple(p + "b2", true));
        assertThat(j.claim(p + "b2", "host-b", t.plusSeconds(61), t.plusSeconds(361)))
                .hasValueSatisfying(w -> assertThat(w.backendOwned()).isTrue());
    }

    @Test
    void withDatabaseTimeTheCallersClockDoesNotDecideExpiry(Driver d) {
        ExecutionJournal j = Neo4jExecutionJournal.builder().driver(d).build();
        Instant far = Instant.now().plus(Duration.ofDays(365));
        j.started(start("db1", Instant.now(), Duration.ofMinutes(5)));
        assertThat(j.orphans(far)).noneMatch(o -> o.executionId().equals(p + "db1"));
        assertThat(j.claim(p + "db1", "host-b", far, far.plusSeconds(60))).isEmpty();
    }

    @Test
    void aJournalOnAClosedDriverThrowsAClearError(Neo4j neo4j) {
        Driver own = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
        ExecutionJournal j = Neo4jExecutionJournal.builder().driver(own).build();
        own.close();
        assertThatThrownBy(() -> j.started(start("closed", clock.instant(), Duration.ofMinutes(1))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the Neo4j execution journal could not record the start of " + p + "closed");
    }

    @Test
    void buildingWithoutADriverOrWithoutNeo4jFailsClearly(Neo4j neo4j) {
        assertThatThrownBy(() -> Neo4jExecutionJournal.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("Neo4jExecutionJournal needs a driver: call driver(...)");
        Driver own = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
        own.close();
        assertThatThrownBy(() -> Neo4jExecutionJournal.builder().driver(own).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Neo4jExecutionJournal could not create its schema in Neo4j")
                .hasMessageContaining("build the journal again");
    }

    @Test
    void releaseLocksOfFreesEveryLockOfThatExecutionOnly(Driver d) {
        Neo4jGuardStore store = Neo4jGuardStore.builder().driver(d).build();
        LockClaim a = new LockClaim(p + "lock-a", Duration.ofMinutes(5), "test");
        LockClaim b = new LockClaim(p + "lock-b", Duration.ofMinutes(5), "test");
        LockClaim other = new LockClaim(p + "lock-other", Duration.ofMinutes(5), "test");
        Instant now = clock.instant();
        assertThat(store.tryReserve(new ReservationRequest(p + "dead", now, List.of(a, b), List.of(), List.of())).granted()).isTrue();
        assertThat(store.tryReserve(new ReservationRequest(p + "alive", now, List.of(other), List.of(), List.of())).granted()).isTrue();

        assertThat(store.releaseLocksOf(p + "dead")).isTrue();

        assertThat(store.tryReserve(new ReservationRequest(p + "next", now, List.of(a, b), List.of(), List.of())).granted()).isTrue();
        var refused = store.tryReserve(new ReservationRequest(p + "next2", now, List.of(other), List.of(), List.of()));
        assertThat(refused.refusal()).hasValueSatisfying(r -> assertThat(r).isInstanceOf(Refusal.LockHeld.class));
    }

    @Test
    void releaseLocksOfOnAClosedDriverThrows(Neo4j neo4j) {
        Driver own = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
        Neo4jGuardStore store = Neo4jGuardStore.builder().driver(own).build();
        own.close();
        assertThatThrownBy(() -> store.releaseLocksOf(p + "dead")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not free the locks of " + p + "dead");
    }

    private Runbook runbook() {
        return Runbook.builder(p + "memory-fix").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .step(ActionStep.builder("read", "read").outputVar("old").build())
                .step(ActionStep.builder("patch", "patch").param("memory", "512Mi").build())
                .rollbackStep(ActionStep.builder("revert", "patch").param("memory", "{{ old }}").build())
                .build();
    }

    private RunbookEngine.Builder engine(Driver d, String owner) {
        ScriptedAction read = new ScriptedAction("read", false, ctx -> ActionResult.of("256Mi"));
        ScriptedAction patch = new ScriptedAction("patch", true, ctx -> {
            if (!ctx.dryRun()) {
                changes.add(ctx.incident().incidentId() + ":" + ctx.params().get("memory"));
            }
            return ActionResult.empty().withSummary("set memory " + ctx.params().get("memory"));
        });
        return RunbookEngine.builder().discoverActions(false).clock(clock).sleeper(clock::advance).runbook(runbook())
                .actions(read, patch).owner(owner).lockTtl(Duration.ofMinutes(5))
                .journal(Neo4jExecutionJournal.builder().driver(d).timeSource(Neo4jGuardStore.TimeSource.REQUEST).build())
                .guardStore(Neo4jGuardStore.builder().driver(d).timeSource(Neo4jGuardStore.TimeSource.REQUEST).build());
    }

    @Test
    void withAnAuditTrailOnTheSameGraphTheFinalRecordIsOneNode(Driver d) throws Exception {
        try (Neo4jAuditTrail trail = Neo4jAuditTrail.builder().driver(d).build();
             RunbookEngine engine = engine(d, "host-a").listener(trail).executionIds(() -> p + "one").build()) {
            Execution e = engine.handle(incident("one"));
            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(trail.flush(Duration.ofSeconds(10))).isTrue();
        }
        try (var s = d.session()) {
            var row = s.run("MATCH (e:RunbookExecution {id: $id}) RETURN count(e) AS n, collect(e.status) AS status, "
                    + "collect(e.lease_expires_at) AS lease, collect(e.owner) AS owner, "
                    + "COUNT { MATCH (:RunbookExecution {id: $id})-[:HAS_STEP]->(:RunbookStep {phase: 'real'}) } AS steps, "
                    + "COUNT { MATCH (:RunbookExecution {id: $id})-[:JOURNALED]->(:RunbookJournalIntent) } AS intents, "
                    + "COUNT { MATCH (:RunbookExecution {id: $id})-[:JOURNALED]->(:RunbookJournalStep) } AS journaled",
                    Map.of("id", p + "one")).single();
            assertThat(row.get("n").asLong()).isEqualTo(1);
            assertThat(row.get("status").asList()).containsExactly("succeeded");
            assertThat(row.get("lease").asList()).isEmpty();
            assertThat(row.get("owner").asList()).containsExactly("host-a");
            assertThat(row.get("steps").asLong()).isEqualTo(2);
            assertThat(row.get("intents").asLong()).isEqualTo(1);
            assertThat(row.get("journaled").asLong()).isZero();
        }
        assertThat(journal(d).orphans(clock.instant().plus(Duration.ofDays(1))))
                .noneMatch(o -> o.executionId().equals(p + "one"));
    }

    @Test
    @Timeout(120)
    void twoReplicasRecoveringOneOrphanAtOnceTakeItOverExactlyOnce(Driver d) throws Exception {
        ExecutionJournal j = journal(d);
        for (int round = 0; round < 20; round++) {
            String id = p + "orphan-" + round;
            String inc = "inc-" + round;
            Instant t = clock.instant();
            j.started(new JournalStart(id, "host-dead", p + "memory-fix", "1", incident(inc).toMap(), Map.of(),
                    List.of(), t, t.plusSeconds(60)));
            j.stepRecorded(id, readStep(t), false, Map.of("old", "256Mi"));
            j.intent(new StepIntent(id, "host-dead", "patch", "patch", 1, false, Map.of("memory", "512Mi"), t));
            clock.advance(Duration.ofMinutes(2));
            changes.clear();
            try (RunbookEngine b = engine(d, "host-b").build(); RunbookEngine c = engine(d, "host-c").build()) {
                CountDownLatch go = new CountDownLatch(1);
                var fromB = CompletableFuture.supplyAsync(() -> recover(go, b));
                var fromC = CompletableFuture.supplyAsync(() -> recover(go, c));
                go.countDown();
                List<Execution> all = new java.util.ArrayList<>(fromB.get(30, TimeUnit.SECONDS));
                all.addAll(fromC.get(30, TimeUnit.SECONDS));

                assertThat(all).as("round " + round).filteredOn(e -> e.id().startsWith(p)).singleElement().satisfies(e -> {
                    assertThat(e.id()).isEqualTo(id);
                    assertThat(e.status()).isEqualTo(ExecutionStatus.RECOVERED_ROLLED_BACK);
                });
                // the rollback ran once, with the journaled value
                assertThat(changes).as("round " + round).containsExactly(p + inc + ":256Mi");
            }
        }
    }

    private static List<Execution> recover(CountDownLatch go, RunbookEngine engine) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return engine.recover();
    }
}
