package dev.runbook.core.engine.faults;

import dev.runbook.core.guard.GuardStore;
import dev.runbook.core.guard.InMemoryGuardStore;
import dev.runbook.core.guard.Refusal;
import dev.runbook.core.guard.Reservation;
import dev.runbook.core.guard.ReservationRequest;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An in-memory store that reports releases and renewals, and can be told to fail them (a test stand-in for a
 * store whose database goes away: named so, since a real one cannot fail on demand at these moments).
 */
final class CountingGuardStore implements GuardStore {
    final InMemoryGuardStore delegate = new InMemoryGuardStore();
    final CountDownLatch released = new CountDownLatch(1);
    final AtomicInteger releaseCalls = new AtomicInteger();
    final AtomicInteger renewals = new AtomicInteger();
    volatile CountDownLatch renewed = new CountDownLatch(1);
    volatile Supplier<RuntimeException> failReserve;
    volatile Supplier<RuntimeException> failRelease;

    @Override
    public Reservation tryReserve(ReservationRequest request) {
        if (failReserve != null) {
            throw failReserve.get();
        }
        Reservation r = delegate.tryReserve(request);
        if (!r.granted() || request.locks().isEmpty()) {
            return r;
        }
        return new Reservation() {
            @Override
            public boolean granted() {
                return true;
            }

            @Override
            public Optional<Refusal> refusal() {
                return Optional.empty();
            }

            @Override
            public void release() {
                releaseCalls.incrementAndGet();
                if (failRelease != null) {
                    throw failRelease.get();
                }
                r.release();
                released.countDown();
            }

            @Override
            public void cancel() {
                r.cancel();
            }

            @Override
            public boolean renew(Instant now) {
                boolean ok = r.renew(now);
                renewals.incrementAndGet();
                renewed.countDown();
                return ok;
            }
        };
    }
}
