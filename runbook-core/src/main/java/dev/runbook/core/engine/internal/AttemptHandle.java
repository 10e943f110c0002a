package dev.runbook.core.engine.internal;

import dev.runbook.core.action.ActionResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One attempt of an action, running on an engine-owned thread. The engine waits for it with the step's
 * timeout, interrupts it, gives it a grace period, and when it still runs, abandons it: the handle then
 * tells whether its thread has ended, which is what retries, the rollback and the locks wait on.
 */
final class AttemptHandle {
    private final String step;
    private final int number;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final List<Runnable> onEnd = new ArrayList<>();
    private Thread thread;
    private volatile ActionResult result;
    private volatile Throwable failure;

    private AttemptHandle(String step, int number) {
        this.step = step;
        this.number = number;
    }

    /** Starts {@code body} on {@code threads}. */
    static AttemptHandle start(Executor threads, String step, int number, Callable<ActionResult> body) {
        AttemptHandle h = new AttemptHandle(step, number);
        threads.execute(() -> h.runOn(body));
        return h;
    }

    /**
     * Runs {@code body} on the calling thread and returns the ended attempt: for an action that only works in
     * memory ({@link dev.runbook.core.action.Action#inMemory()}), which cannot block, so needs no thread to be
     * timed out on. The caller's interrupt status is left as the action left it.
     */
    static AttemptHandle runHere(String step, int number, Callable<ActionResult> body) {
        AttemptHandle h = new AttemptHandle(step, number);
        try {
            h.result = body.call();
        } catch (Throwable t) { // NOPMD: whatever the action throws is this attempt's outcome
            h.failure = t;
        } finally {
            h.ended.countDown();
        }
        return h;
    }

    private void runOn(Callable<ActionResult> body) {
        synchronized (this) {
            thread = Thread.currentThread();
        }
        try {
            result = body.call();
        } catch (Throwable t) { // NOPMD: whatever the action throws is this attempt's outcome
            failure = t;
        } finally {
            List<Runnable> callbacks;
            synchronized (this) {
                // Ended and callbacks taken under one lock, so a callback added by whenEnded is never lost.
                thread = null;
                ended.countDown();
                callbacks = List.copyOf(onEnd);
                onEnd.clear();
            }
            // An interrupt aimed at this attempt must not leak into the pool thread's next task.
            Thread.interrupted();
            callbacks.forEach(Runnable::run);
        }
    }

    /** Waits up to {@code d} for the attempt to end. */
    boolean await(Duration d) throws InterruptedException {
        // Most steps are short: spin briefly before parking, so the result costs no thread wake-up.
        long start = System.nanoTime();
        long spin = Math.min(LaneThreads.SPIN_NANOS, d.toNanos());
        long waited;
        while (ended.getCount() > 0 && (waited = System.nanoTime() - start) < spin) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LaneThreads.spinOnce(waited);
        }
        return ended.await(d.toNanos() - (System.nanoTime() - start), TimeUnit.NANOSECONDS);
    }

    /** Waits up to {@code d}, ignoring interrupts (the caller is already stopping). */
    boolean awaitIgnoringInterrupts(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                return ended.await(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                if (left <= 0) {
                    return !alive();
                }
            }
        }
    }

    /** Interrupts the attempt's thread, if it still runs this attempt. */
    synchronized void interrupt() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Whether the attempt's thread is still in the action. */
    boolean alive() {
        return ended.getCount() > 0;
    }

    /** Runs {@code r} when the attempt ends (at once when it already has). */
    void whenEnded(Runnable r) {
        synchronized (this) {
            if (alive()) {
                onEnd.add(r);
                return;
            }
        }
        r.run();
    }

    /** What the action returned, once ended. */
    Optional<ActionResult> result() {
        return Optional.ofNullable(result);
    }

    /** What the action threw, once ended. */
    Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** {@code step 'x' attempt 2}, for messages. */
    String describe() {
        return "attempt " + number + " of step '" + step + "'";
    }
}
