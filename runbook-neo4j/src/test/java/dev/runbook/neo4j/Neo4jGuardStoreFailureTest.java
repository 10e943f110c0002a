package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.Refusal;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.guard.ReservationRequest;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;

/**
 * The store fails closed: a closed driver or an unreachable Neo4j refuses with {@link Refusal.StoreFailed} naming
 * the cause (never throws from tryReserve), the engine turns that into a DENIED execution, and release and renew
 * throw a clear exception instead of pretending, then work when called again once Neo4j is back.
 */
@Neo4jTest
class Neo4jGuardStoreFailureTest {
    private final String p = "fail-" + UUID.randomUUID() + "-";

    private ReservationRequest lock(String owner, String key) {
        return new ReservationRequest(owner, Instant.now(), List.of(new LockClaim(p + key, Duration.ofMinutes(5),
                "resource " + key)), List.of(), List.of());
    }

    private static String cause(Reservation r) {
        assertThat(r.granted()).isFalse();
        assertThat(r.refusal()).containsInstanceOf(Refusal.StoreFailed.class);
        return ((Refusal.StoreFailed) r.refusal().orElseThrow()).cause();
    }

    @Test
    void aClosedDriverRefusesNamingTheCauseAndTheEngineDeniesWithoutThrowing(Neo4j neo4j) {
        Driver own = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
        Neo4jGuardStore store = Neo4jGuardStore.builder().driver(own).build();
        Reservation held = store.tryReserve(lock("holder", "res"));
        assertThat(held.granted()).isTrue();
        own.close();

        Reservation refused = store.tryReserve(lock("other", "res2"));
        assertThat(cause(refused)).startsWith("driver closed: ");
        assertThat(refused.denialReason().orElseThrow()).startsWith("guard store failed, refusing to act without it: driver closed");
        assertThatThrownBy(held::release).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the Neo4j guard store could not release locks [" + p + "res]")
                .hasMessageContaining("driver closed");
        assertThatThrownBy(() -> held.renew(Instant.now())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not renew locks [" + p + "res]").hasMessageContaining("driver closed");
        assertThatThrownBy(held::cancel).isInstanceOf(IllegalStateException.class).hasMessageContaining("driver closed");

        TestAction bump = new TestAction("bump_memory");
        Incident incident = Incident.builder(p + "incident").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                .resource("Pod", "default", p + "pod").build();
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false)
                .runbook(Runbook.builder(p + "rb").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                        .step(ActionStep.builder("bump", "bump_memory").build()).build())
                .actions(bump).guardStore(store).build()) {
            Execution e = engine.handle(incident);
            assertThat(e.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(e.denial().orElseThrow().reason()).contains("guard store failed, refusing to act without it: driver closed");
        }
        assertThat(bump.realCalls).isEmpty();
    }

    @Test
    void aClosedDriverFailsTheBuildNamingTheFix(Neo4j neo4j) {
        Driver own = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
        own.close();
        assertThatThrownBy(() -> Neo4jGuardStore.builder().driver(own).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Neo4jGuardStore could not create its schema in Neo4j")
                .hasMessageContaining("Fix: check that Neo4j is reachable");
    }

    @Test
    void anUnreachableNeo4jRefusesAndAFailedReleaseCanBeRetried(Neo4j neo4j, Driver direct) throws Exception {
        try (TcpRelay relay = new TcpRelay(neo4j.boltURI().getHost(), neo4j.boltURI().getPort());
             Driver relayed = GraphDatabase.driver("bolt://127.0.0.1:" + relay.port(), AuthTokens.none(), Config.builder()
                     .withConnectionTimeout(1, TimeUnit.SECONDS).withMaxTransactionRetryTime(300, TimeUnit.MILLISECONDS)
                     .withConnectionAcquisitionTimeout(2, TimeUnit.SECONDS).build())) {
            Neo4jGuardStore store = Neo4jGuardStore.builder().driver(relayed).build();
            Reservation held = store.tryReserve(lock("holder", "res"));
            assertThat(held.granted()).isTrue();

            relay.cut();
            assertThat(cause(store.tryReserve(lock("other", "res2")))).startsWith("Neo4j unreachable: ");
            assertThatThrownBy(held::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not release locks [" + p + "res]").hasMessageContaining("Neo4j unreachable");
            // still held: the failed release changed nothing
            Neo4jGuardStore directStore = Neo4jGuardStore.builder().driver(direct).build();
            assertThat(directStore.tryReserve(lock("other", "res")).refusal()).containsInstanceOf(Refusal.LockHeld.class);

            relay.restore();
            held.release();
            held.release();
            assertThat(directStore.tryReserve(lock("other", "res")).granted()).isTrue();
        }
    }
}
