package dev.runbook.neo4j;

import dev.runbook.core.guard.GuardStore;
import dev.runbook.testkit.GuardStoreCompatibilityKit;
import org.junit.jupiter.api.BeforeEach;
import org.neo4j.driver.Driver;

/**
 * Core's guard store kit against {@link Neo4jGuardStore} on the shared harness, 1,000 racing threads included.
 * The kit moves time through {@code ReservationRequest.now()} (hours in a test, no waiting), so the store runs in
 * {@link Neo4jGuardStore.TimeSource#REQUEST} mode here; the database clock, the default, is tested in
 * {@link Neo4jGuardStoreDatabaseTimeTest} and {@link SkewedClocksSharedGuardsTest}.
 */
@Neo4jTest
class Neo4jGuardStoreCompatibilityTest extends GuardStoreCompatibilityKit {
    private Driver driver;

    @BeforeEach
    void connect(Driver driver) {
        this.driver = driver;
    }

    @Override
    protected GuardStore newStore() {
        return Neo4jGuardStore.builder().driver(driver).timeSource(Neo4jGuardStore.TimeSource.REQUEST).build();
    }

    /** A new store instance on the same database: what two replicas of a host have. */
    @Override
    protected GuardStore sameDataAs(GuardStore first) {
        return newStore();
    }
}
