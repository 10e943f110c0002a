package dev.runbook.core.guard;

/** The in-memory store passes the guard store compatibility kit. */
class InMemoryGuardStoreTest extends GuardStoreCompatibilityKit {
    @Override
    protected GuardStore newStore() {
        return new InMemoryGuardStore();
    }
}
