package dev.runbook.core.engine;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Stops every new execution of an engine at once, with a reason, until released. Thread-safe. */
public final class KillSwitch {
    private final AtomicReference<String> reason = new AtomicReference<>();

    /** Engages the switch; new executions are denied with this reason. */
    public void engage(String why) {
        reason.set(why == null || why.isBlank() ? "kill switch engaged" : why);
    }

    /** Releases the switch. */
    public void release() {
        reason.set(null);
    }

    /** The reason, while engaged. */
    public Optional<String> engaged() {
        return Optional.ofNullable(reason.get());
    }
}
