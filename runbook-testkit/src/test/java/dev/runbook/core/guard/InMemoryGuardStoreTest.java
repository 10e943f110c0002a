package dev.runbook.core.guard;

import dev.runbook.testkit.GuardStoreCompatibilityKit;

/**
 * The in-memory store passes the guard store compatibility kit. Lives here, not in core, because the kit depends on
 * core (core's tests cannot depend on the kit's module without a cycle).
 */
class InMemoryGuardStoreTest extends GuardStoreCompatibilityKit {
    @Override
    protected GuardStore newStore() {
        return new InMemoryGuardStore();
    }
}
