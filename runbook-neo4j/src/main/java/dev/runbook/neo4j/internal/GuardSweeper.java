package dev.runbook.neo4j.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.neo4j.driver.exceptions.TransientException;
import org.slf4j.Logger;

/**
 * The Neo4j guard store's housekeeping: deletes a bounded number of stale keys (no live lock, nothing left to count)
 * after a release or cancel, so the graph does not grow with every resource ever seen. A decision never sweeps: it
 * only notes its grant's time, which sweeps measure staleness with.
 */
public final class GuardSweeper {
    /** How often, in decision time, stale keys are swept when there is no backlog. */
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final GuardCalls calls;
    private final Logger log;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    /** The latest grant's time (decision time), what sweeps measure staleness with; null before the first. */
    private final AtomicReference<Instant> latestGrant = new AtomicReference<>();
    /** When the last sweep ran (decision time), null before the first. */
    private volatile Instant lastSweep;
    /** Whether the last sweep hit its bound: stale keys are left, so the next release sweeps again. */
    private volatile boolean sweepBacklog;

    /** @param log the store's logger, so sweeps log under the store's name */
    public GuardSweeper(GuardCalls calls, Logger log) {
        this.calls = calls;
        this.log = log;
    }

    /** Notes the time of a grant (on the decision path: one atomic update, no statement). */
    public void granted(Instant at) {
        latestGrant.accumulateAndGet(at, (a, b) -> a == null || b.isAfter(a) ? b : a);
    }

    /**
     * A sweep is a transaction of its own, so it stays off decisions and most releases: it follows a release or cancel
     * once per {@link #SWEEP_EVERY} of decision time, and every one while the last sweep found more stale keys than it
     * may delete.
     */
    private boolean sweepDue(Instant now) {
        Instant last = lastSweep;
        return last == null || sweepBacklog || now.isBefore(last) || !now.isBefore(last.plus(SWEEP_EVERY));
    }

    /**
     * Deletes a bounded number of stale keys when a sweep is due, measured at the latest grant's time (read from the
     * store's clock, so never later than the present: no key is swept early); one sweep per store at a time, and a
     * failure costs nothing.
     */
    public void sweepIfDue() {
        Instant now = latestGrant.get();
        if (now == null || !sweepDue(now) || !sweeping.compareAndSet(false, true)) {
            return;
        }
        lastSweep = now;
        try (var session = calls.session()) {
            int deleted = session.executeWrite(tx -> GuardTransactions.sweep(tx, now));
            sweepBacklog = deleted >= GuardTransactions.SWEEP_KEYS;
            if (deleted > 0) {
                log.debug("deleted {} stale guard keys", deleted);
            }
        } catch (TransientException e) {
            // another host sweeping the same keys; they are left for a later sweep
            log.debug("stale guard keys not swept this time: {}", e.toString());
        } catch (RuntimeException e) {
            log.warn("could not delete stale guard keys (the graph keeps them until a later sweep): {}",
                    Neo4jErrors.describe(e));
        } finally {
            sweeping.set(false);
        }
    }
}
