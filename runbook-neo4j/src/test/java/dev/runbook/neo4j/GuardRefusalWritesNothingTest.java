package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.guard.CounterClaim;
import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.Refusal;
import dev.runbook.core.guard.ReservationRequest;
import dev.runbook.core.guard.SpacingClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.harness.Neo4j;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.storageengine.api.TransactionIdStore;

/**
 * A refused guard decision changes nothing in the database, so its commit writes no transaction-log entry (no
 * forced disk write: on this machine's disk a commit that writes costs about 3.5 ms of fsync, a refusal that writes
 * nothing a fraction of that). Checked with the database's last committed transaction id, which a commit that
 * changes something advances. The grant before the refusals does advance it, so the check can fail. Test classes
 * of this module run one after another, so no other test commits meanwhile.
 */
@Neo4jTest
class GuardRefusalWritesNothingTest {
    private final String p = "nowrite-" + UUID.randomUUID() + "-";

    /** The harness's own counter (SHOW DATABASES has no lastCommittedTxn in this edition). */
    private static long lastCommittedTransaction(Neo4j neo4j) {
        return ((GraphDatabaseAPI) neo4j.defaultDatabaseService()).getDependencyResolver()
                .resolveDependency(TransactionIdStore.class).getLastCommittedTransactionId();
    }

    @Test
    void refusalsCommitNoChangeWhileGrantsDo(Driver driver, Neo4j neo4j) {
        var store = Neo4jGuardStore.builder().driver(driver).retention(Duration.ofHours(1)).build();
        var lock = new LockClaim(p + "resource", Duration.ofMinutes(5), "resource Pod/default/web");
        var counter = new CounterClaim(p + "runbook-resource", Duration.ofHours(1), 5, 1, "max 5 per hour");
        var spacing = new SpacingClaim(p + "cooldown", Duration.ofMinutes(10), "cooldown 10m");

        long beforeGrant = lastCommittedTransaction(neo4j);
        var holder = store.tryReserve(new ReservationRequest("holder", Instant.now(), List.of(lock), List.of(counter),
                List.of(spacing)));
        assertThat(holder.granted()).isTrue();
        long afterGrant = lastCommittedTransaction(neo4j);
        assertThat(afterGrant).isGreaterThan(beforeGrant);

        for (int i = 0; i < 20; i++) {
            var refused = store.tryReserve(new ReservationRequest("other-" + i, Instant.now(), List.of(lock),
                    List.of(counter), List.of(spacing)));
            assertThat(refused.refusal()).containsInstanceOf(Refusal.LockHeld.class);
        }
        assertThat(lastCommittedTransaction(neo4j)).isEqualTo(afterGrant);
        holder.release();
    }
}
