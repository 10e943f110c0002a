package dev.runbook.core.engine.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine-owned thread that one execution's attempts run on, one after another. Handing each attempt to a
 * parked pool thread costs a thread wake-up per step (tens of microseconds on a busy host); a lane keeps its
 * thread for the next attempt, spinning briefly before it parks, so a run of short steps pays no wake-up.
 *
 * <p>Attempts of one execution never overlap, so a lane whose thread is still busy when the next attempt comes
 * holds an abandoned attempt (it ignored its interrupt): that thread is left to it and the attempt gets a new
 * thread. Closing the lane (the execution ended) lets its thread go back to the pool.
 */
final class AttemptLane implements Executor {
    /**
     * How long a thread spins for its next task, or the engine for a result, before parking. Spinning yields, so
     * on a host with more runnable threads than cores it hands the core over instead of burning it.
     */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(30);
    /** How long an idle lane thread waits for the next attempt before it goes back to the pool. */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int BUSY = 0;
    private static final int IDLE = 1;
    private static final int DONE = 2;

    private final ExecutorService threads;
    private volatile Worker current;
    private volatile boolean closed;

    AttemptLane(ExecutorService threads) {
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        Worker w = current;
        if (w != null) {
            // The previous attempt may have just signalled its end and not yet be idle: wait a moment for it; a
            // thread still busy after that holds an abandoned attempt.
            long start = System.nanoTime();
            long waited;
            while (w.state.get() == BUSY && (waited = System.nanoTime() - start) < SPIN_NANOS) {
                spinOnce(waited);
            }
            if (w.state.compareAndSet(IDLE, BUSY)) {
                w.slot.set(task);
                LockSupport.unpark(w.thread);
                return;
            }
        }
        Worker fresh = new Worker(task);
        current = fresh;
        threads.execute(fresh);
    }

    /** Whether the lane has a thread waiting for its next attempt. */
    boolean hasIdleThread() {
        Worker w = current;
        return w != null && w.state.get() == IDLE;
    }

    /** The execution ended: an idle thread leaves now, a busy one (an abandoned attempt) when its attempt ends. */
    void close() {
        closed = true;
        Worker w = current;
        if (w != null && w.state.compareAndSet(IDLE, DONE)) {
            LockSupport.unpark(w.thread);
        }
    }

    /** One turn of a spin-wait: busy for the first microseconds, then yielding the core. */
    static void spinOnce(long waitedNanos) {
        if (waitedNanos < 2_000) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** One pool thread serving this lane until it idles out, the lane closes or the lane moved on without it. */
    private final class Worker implements Runnable {
        final AtomicReference<Runnable> slot = new AtomicReference<>();
        final AtomicInteger state = new AtomicInteger(BUSY);
        volatile Thread thread;

        Worker(Runnable first) {
            slot.set(first);
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            while (true) {
                Runnable task = slot.getAndSet(null);
                if (task != null) {
                    task.run(); // AttemptHandle.runOn catches everything the action throws
                    if (closed || current != this || !state.compareAndSet(BUSY, IDLE)) {
                        state.set(DONE);
                        return;
                    }
                } else if (!awaitTask() && (state.get() == DONE || state.compareAndSet(IDLE, DONE))) {
                    return;
                }
            }
        }

        /** Spins, then parks, until a task is handed over (true) or the lane has no more use for this thread. */
        private boolean awaitTask() {
            long start = System.nanoTime();
            while (true) {
                if (slot.get() != null) {
                    return true;
                }
                if (state.get() == DONE) {
                    return false;
                }
                long waited = System.nanoTime() - start;
                if (state.get() == IDLE && (closed || current != this || waited > IDLE_NANOS)) {
                    return false;
                }
                if (waited < SPIN_NANOS) {
                    spinOnce(waited);
                } else {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
        }
    }
}
