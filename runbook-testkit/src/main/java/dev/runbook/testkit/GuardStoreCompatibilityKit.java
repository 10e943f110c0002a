package dev.runbook.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.guard.CounterClaim;
import dev.runbook.core.guard.GuardStore;
import dev.runbook.core.guard.LockClaim;
import dev.runbook.core.guard.PauseClaim;
import dev.runbook.core.guard.PauseState;
import dev.runbook.core.guard.Refusal;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.guard.ReservationRequest;
import dev.runbook.core.guard.SpacingClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link GuardStore} must do: sliding-window counters, exclusive expiring locks, renewable leases,
 * spacings, all-or-nothing requests, refusals as facts, and exact counts with many threads racing. A store's test
 * extends it and returns the store:
 *
 * <pre>{@code
 * class MyGuardStoreCompatibilityTest extends GuardStoreCompatibilityKit {
 *     protected GuardStore newStore() { return new MyGuardStore(dataSource); }
 *     protected int racingThreads() { return 200; }        // optional: fewer threads for a slow backend
 * }
 * }</pre>
 *
 * <p>Time is driven through {@link ReservationRequest#now()} (hours in a test, no waiting): a store with a clock of
 * its own (a database's) runs the kit in a mode that follows the request's time. Keys are made unique per test, so
 * one shared database can serve every test; {@link #newStore()} may return the same store each time.
 */
public abstract class GuardStoreCompatibilityKit {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final AtomicInteger RUN = new AtomicInteger();

    /** Creates a kit; subclasses supply the store. */
    protected GuardStoreCompatibilityKit() {
    }

    /**
     * A store to test; may be shared between tests.
     *
     * @return the store
     */
    protected abstract GuardStore newStore();

    /**
     * Threads racing in the concurrency test.
     *
     * @return 1000 by default
     */
    protected int racingThreads() {
        return 1000;
    }

    private final String prefix = "kit" + RUN.incrementAndGet() + "-" + System.nanoTime() + ":";

    private ReservationRequest counter(String owner, Instant now, String key, int limit) {
        return new ReservationRequest(owner, now, List.of(),
                List.of(new CounterClaim(prefix + key, HOUR, limit, 1, "limit " + limit + " for " + key)), List.of());
    }

    /** A counter counts the events of its last window only. */
    @Test
    public void countersAreSlidingWindows() {
        GuardStore store = newStore();
        assertThat(store.tryReserve(counter("a", T0, "c", 2)).granted()).isTrue();
        assertThat(store.tryReserve(counter("b", T0.plusSeconds(60), "c", 2)).granted()).isTrue();
        Reservation third = store.tryReserve(counter("c", T0.plusSeconds(120), "c", 2));
        assertThat(third.granted()).isFalse();
        assertThat(third.denialReason()).hasValue("limit 2 for c reached: 2 in the last 1h");
        assertThat(store.tryReserve(counter("d", T0.plus(HOUR).plusSeconds(1), "c", 2)).granted()).isTrue();
    }

    /** Cancelling a reservation takes its counts back; releasing it keeps them. */
    @Test
    public void cancelUncountsAndReleaseKeepsTheCount() {
        GuardStore store = newStore();
        Reservation r1 = store.tryReserve(counter("a", T0, "k", 1));
        r1.cancel();
        Reservation r2 = store.tryReserve(counter("b", T0, "k", 1));
        assertThat(r2.granted()).isTrue();
        r2.release();
        assertThat(store.tryReserve(counter("c", T0, "k", 1)).granted()).isFalse();
    }

    /** A lock has one holder, is freed by its holder's release and expires after its ttl; a late release frees nothing. */
    @Test
    public void locksAreExclusiveReleasableAndExpire() {
        GuardStore store = newStore();
        var lock = new LockClaim(prefix + "res", Duration.ofMinutes(5), "resource r");
        Reservation a = store.tryReserve(new ReservationRequest("owner-a", T0, List.of(lock), List.of(), List.of()));
        assertThat(a.granted()).isTrue();
        Reservation b = store.tryReserve(new ReservationRequest("owner-b", T0, List.of(lock), List.of(), List.of()));
        assertThat(b.denialReason()).hasValue("resource r already has an active execution (owner-a)");
        a.release();
        Reservation c = store.tryReserve(new ReservationRequest("owner-c", T0, List.of(lock), List.of(), List.of()));
        assertThat(c.granted()).isTrue();
        // owner-c dies without releasing: the lock expires
        Reservation d = store.tryReserve(new ReservationRequest("owner-d", T0.plus(Duration.ofMinutes(6)),
                List.of(lock), List.of(), List.of()));
        assertThat(d.granted()).isTrue();
        // c's late release must not free d's lock
        c.release();
        Reservation e = store.tryReserve(new ReservationRequest("owner-e", T0.plus(Duration.ofMinutes(7)),
                List.of(lock), List.of(), List.of()));
        assertThat(e.granted()).isFalse();
    }

    /** A refusal is a {@link Refusal} fact (limit reached with the count observed, lock held with its holder). */
    @Test
    public void refusalsAreFactsThatCoreWords() {
        GuardStore store = newStore();
        var claim = new CounterClaim(prefix + "facts", HOUR, 1, 1, "max_executions_per_hour 1 for runbook r");
        assertThat(store.tryReserve(new ReservationRequest("a", T0, List.of(), List.of(claim), List.of())).granted()).isTrue();
        Reservation r = store.tryReserve(new ReservationRequest("b", T0.plusSeconds(1), List.of(), List.of(claim), List.of()));
        assertThat(r.refusal()).hasValueSatisfying(f -> {
            assertThat(f).isInstanceOf(Refusal.LimitReached.class);
            assertThat(((Refusal.LimitReached) f).observed()).isEqualTo(1);
            assertThat(((Refusal.LimitReached) f).claim()).isEqualTo(claim);
        });
        var lock = new LockClaim(prefix + "facts-lock", HOUR, "resource r");
        assertThat(store.tryReserve(new ReservationRequest("holder", T0, List.of(lock), List.of(), List.of())).granted()).isTrue();
        Reservation held = store.tryReserve(new ReservationRequest("other", T0, List.of(lock), List.of(), List.of()));
        assertThat(held.refusal()).hasValue(new Refusal.LockHeld(lock, "holder"));
    }

    /** A renewed lock outlives its ttl; a holder that lost its lock learns it on the next renewal. */
    @Test
    public void aRenewedLeaseOutlivesItsTtlAndALostOneSaysSo() {
        GuardStore store = newStore();
        var lock = new LockClaim(prefix + "lease", Duration.ofMinutes(1), "resource lease");
        Reservation a = store.tryReserve(new ReservationRequest("owner-a", T0, List.of(lock), List.of(), List.of()));
        assertThat(a.granted()).isTrue();
        // renewed every 40 s, the lease outlives its 1 minute ttl
        assertThat(a.renew(T0.plusSeconds(40))).isTrue();
        assertThat(a.renew(T0.plusSeconds(80))).isTrue();
        Reservation b = store.tryReserve(new ReservationRequest("owner-b", T0.plusSeconds(130), List.of(lock), List.of(),
                List.of()));
        assertThat(b.granted()).isFalse();
        // a holder that stops renewing loses the lock after its ttl, and its next renewal reports the loss
        Reservation c = store.tryReserve(new ReservationRequest("owner-c", T0.plusSeconds(141), List.of(lock), List.of(),
                List.of()));
        assertThat(c.granted()).isTrue();
        assertThat(a.renew(T0.plusSeconds(142))).isFalse();
        a.release();
        assertThat(store.tryReserve(new ReservationRequest("owner-d", T0.plusSeconds(143), List.of(lock), List.of(),
                List.of())).granted()).isFalse();
    }

    /** A spacing refuses an event sooner than its minimum spacing after the last one. */
    @Test
    public void spacingsRefuseEventsTooCloseTogether() {
        GuardStore store = newStore();
        var spacing = new SpacingClaim(prefix + "sp", Duration.ofSeconds(5), "min_action_spacing 5s");
        assertThat(store.tryReserve(new ReservationRequest("a", T0, List.of(), List.of(), List.of(spacing))).granted()).isTrue();
        Reservation early = store.tryReserve(new ReservationRequest("b", T0.plusSeconds(4), List.of(), List.of(), List.of(spacing)));
        assertThat(early.denialReason()).hasValueSatisfying(r -> assertThat(r).startsWith("min_action_spacing 5s not yet elapsed"));
        assertThat(store.tryReserve(new ReservationRequest("c", T0.plusSeconds(5), List.of(), List.of(), List.of(spacing))).granted())
                .isTrue();
    }

    /** A refused request takes none of its claims. */
    @Test
    public void aRequestIsAllOrNothing() {
        GuardStore store = newStore();
        var ok = new CounterClaim(prefix + "ok", HOUR, 10, 1, "ok");
        var full = new CounterClaim(prefix + "full", HOUR, 0, 1, "full");
        var lock = new LockClaim(prefix + "l", HOUR, "lock");
        Reservation r = store.tryReserve(new ReservationRequest("a", T0, List.of(lock), List.of(ok, full), List.of()));
        assertThat(r.granted()).isFalse();
        // neither the lock nor the first counter was taken
        assertThat(store.tryReserve(new ReservationRequest("b", T0, List.of(lock), List.of(), List.of())).granted()).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(store.tryReserve(new ReservationRequest("c" + i, T0, List.of(), List.of(ok), List.of())).granted()).isTrue();
        }
    }

    /**
     * Of {@link #racingThreads()} threads racing for a limit of 5, exactly 5 are granted.
     *
     * @throws Exception when a thread cannot be joined
     */
    @Test
    @Timeout(120)
    public void exactUnderConcurrency() throws Exception {
        GuardStore store = newStore();
        int n = racingThreads();
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger granted = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String owner = "o" + i;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (store.tryReserve(counter(owner, T0, "race", 5)).granted()) {
                    granted.incrementAndGet();
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(granted.get()).isEqualTo(5);
    }

    // ---- auto-pause (safety.pause_after); self-contained so the kit can move modules as a whole ----

    /**
     * A second store instance on the same data as {@code first}: a shared store builds a new instance on the same
     * database; a store of one process has only {@code first}.
     */
    protected GuardStore sameDataAs(GuardStore first) {
        return first;
    }

    private PauseClaim pauseClaim(String name, int failures) {
        return new PauseClaim(prefix + "pause:" + name, failures, HOUR, "pause_after " + failures + " for " + name);
    }

    private static ReservationRequest pauseCheck(String owner, Instant now, PauseClaim claim, LockClaim... locks) {
        return new ReservationRequest(owner, now, List.of(locks), List.of(), List.of(), List.of(claim));
    }

    @Test
    public void aPauseFollowsTheNthFailureWithinTheWindowAndRefusesWithItsExecutions() {
        GuardStore store = newStore();
        PauseClaim claim = pauseClaim("n", 3);
        assertThat(store.recordFailure(claim, "e1", T0)).isEmpty();
        assertThat(store.recordFailure(claim, "e2", T0.plusSeconds(600))).isEmpty();
        assertThat(store.tryReserve(pauseCheck("a", T0.plusSeconds(900), claim)).granted()).isTrue();
        assertThat(store.pauseState(claim.key())).isEmpty();

        var paused = store.recordFailure(claim, "e3", T0.plusSeconds(1200));
        assertThat(paused).hasValueSatisfying(p -> {
            assertThat(p.key()).isEqualTo(claim.key());
            assertThat(p.pausedAt()).isEqualTo(T0.plusSeconds(1200));
            assertThat(p.executions()).containsExactly("e1", "e2", "e3");
            assertThat(p.description()).isEqualTo(claim.description());
        });
        assertThat(store.pauseState(claim.key())).isEqualTo(paused);

        // a pause refuses the whole request first, and takes nothing of it
        LockClaim lock = new LockClaim(prefix + "paused-lock", HOUR, "resource r");
        Reservation refused = store.tryReserve(pauseCheck("b", T0.plusSeconds(1300), claim, lock));
        assertThat(refused.granted()).isFalse();
        assertThat(refused.refusal()).containsInstanceOf(Refusal.Paused.class);
        assertThat(((Refusal.Paused) refused.refusal().orElseThrow()).executions()).containsExactly("e1", "e2", "e3");
        assertThat(refused.denialReason().orElseThrow()).contains("e1, e2, e3").contains(claim.description());
        assertThat(store.tryReserve(new ReservationRequest("c", T0.plusSeconds(1300), List.of(lock), List.of(),
                List.of())).granted()).isTrue();
        // a request without the claim is not this pause's business
        assertThat(store.tryReserve(counter("d", T0.plusSeconds(1300), "other", 5)).granted()).isTrue();

        // further failures while paused pause nothing anew
        assertThat(store.recordFailure(claim, "e4", T0.plusSeconds(1400))).isEmpty();
        assertThat(store.pauseState(claim.key())).isEqualTo(paused);
    }

    @Test
    public void failuresSpreadBeyondTheWindowDoNotPause() {
        GuardStore store = newStore();
        PauseClaim claim = pauseClaim("spread", 3);
        assertThat(store.recordFailure(claim, "e1", T0)).isEmpty();
        assertThat(store.recordFailure(claim, "e2", T0.plusSeconds(2400))).isEmpty();
        // e1 is more than an hour old now: two within the window
        assertThat(store.recordFailure(claim, "e3", T0.plus(HOUR).plusSeconds(1))).isEmpty();
        assertThat(store.tryReserve(pauseCheck("a", T0.plus(HOUR).plusSeconds(2), claim)).granted()).isTrue();
        assertThat(store.pauseState(claim.key())).isEmpty();
        // e2, e3 and e4 fall within one hour
        assertThat(store.recordFailure(claim, "e4", T0.plus(HOUR).plusSeconds(1800)))
                .hasValueSatisfying(p -> assertThat(p.executions()).containsExactly("e2", "e3", "e4"));
    }

    @Test
    public void resumeLiftsThePauseAndForgetsTheFailuresThatCausedIt() {
        GuardStore store = newStore();
        PauseClaim claim = pauseClaim("resume", 2);
        store.recordFailure(claim, "e1", T0);
        assertThat(store.recordFailure(claim, "e2", T0.plusSeconds(60))).isPresent();
        assertThat(store.tryReserve(pauseCheck("a", T0.plusSeconds(120), claim)).granted()).isFalse();

        assertThat(store.resume(claim.key(), "alice", T0.plusSeconds(180))).isTrue();
        assertThat(store.pauseState(claim.key())).isEmpty();
        assertThat(store.tryReserve(pauseCheck("b", T0.plusSeconds(240), claim)).granted()).isTrue();
        assertThat(store.resume(claim.key(), "alice", T0.plusSeconds(250))).isFalse();
        // e1 and e2 no longer count: one new failure is one, the second pauses again
        assertThat(store.recordFailure(claim, "e3", T0.plusSeconds(300))).isEmpty();
        assertThat(store.recordFailure(claim, "e4", T0.plusSeconds(360)))
                .hasValueSatisfying(p -> assertThat(p.executions()).containsExactly("e3", "e4"));
        assertThat(store.resume(pauseClaim("never-paused", 1).key(), "bob", T0)).isFalse();
    }

    @Test
    @Timeout(120)
    public void racingFailuresPauseExactlyOnce() throws Exception {
        GuardStore store = newStore();
        PauseClaim claim = pauseClaim("race", 5);
        int n = Math.min(racingThreads(), 64);
        CountDownLatch go = new CountDownLatch(1);
        List<PauseState> pauses = java.util.Collections.synchronizedList(new ArrayList<>());
        List<RuntimeException> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String execution = "e" + i;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    store.recordFailure(claim, execution, T0).ifPresent(pauses::add);
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        assertThat(pauses).hasSize(1);
        assertThat(pauses.get(0).executions()).hasSize(5).doesNotHaveDuplicates();
        assertThat(store.pauseState(claim.key())).contains(pauses.get(0));
    }

    @Test
    public void aPauseIsSharedByStoreInstancesOnOneDatabase() {
        GuardStore a = newStore();
        GuardStore b = sameDataAs(a);
        PauseClaim claim = pauseClaim("shared", 2);
        a.recordFailure(claim, "e1", T0);
        assertThat(b.recordFailure(claim, "e2", T0.plusSeconds(1)))
                .hasValueSatisfying(p -> assertThat(p.executions()).containsExactly("e1", "e2"));
        assertThat(a.tryReserve(pauseCheck("x", T0.plusSeconds(2), claim)).refusal())
                .containsInstanceOf(Refusal.Paused.class);
        assertThat(a.pauseState(claim.key())).isEqualTo(b.pauseState(claim.key())).isPresent();
        assertThat(b.resume(claim.key(), "carol", T0.plusSeconds(3))).isTrue();
        assertThat(a.tryReserve(pauseCheck("y", T0.plusSeconds(4), claim)).granted()).isTrue();
        assertThat(a.pauseState(claim.key())).isEmpty();
    }
}
