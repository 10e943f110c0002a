package dev.runbook.core.engine.internal;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's own threads for action attempts. Handing an attempt to a parked pool thread costs a thread
 * wake-up (tens of microseconds on a virtual machine), so a thread that finished an attempt stays available:
 * it spins briefly (yielding the core when others need it), then parks, for up to a second, before it goes back
 * to the pool. {@link AttemptLane}s take their threads here.
 */
public final class LaneThreads {
    /** How long a thread spins for its next task, or the engine for a result, before parking. */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(30);
    /** How long an idle thread waits for another attempt before it goes back to the pool. */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int BUSY = 0;
    static final int IDLE = 1;
    static final int DONE = 2;

    private final ExecutorService pool;
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean shutdown;

    public LaneThreads(ExecutorService pool) {
        this.pool = pool;
    }

    /** An idle thread, now busy and about to be handed a task; null when none is idle. */
    Worker takeIdle() {
        Worker w;
        while ((w = idle.pollFirst()) != null) {
            w.queued.set(false);
            if (w.state.compareAndSet(IDLE, BUSY)) {
                return w;
            }
        }
        return null;
    }

    /** Whether {@code w} is among the idle threads other executions may take (tests; a linear scan). */
    boolean offered(Worker w) {
        return idle.contains(w);
    }

    /** A new thread from the pool running {@code first}. */
    Worker start(Runnable first) {
        Worker w = new Worker(first);
        pool.execute(w);
        return w;
    }

    /** No new attempts: idle threads leave now. */
    public void shutdown() {
        shutdown = true;
        pool.shutdown();
        for (Worker w : idle) {
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

    /** One pool thread running attempts one after another until it has been idle for a while. */
    final class Worker implements Runnable {
        final AtomicReference<Runnable> slot = new AtomicReference<>();
        final AtomicInteger state = new AtomicInteger(BUSY);
        /** Whether it sits in the idle queue (at most once). */
        final AtomicBoolean queued = new AtomicBoolean();
        volatile Thread thread;

        Worker(Runnable first) {
            slot.set(first);
        }

        /** Gives a task to this worker, which the caller has just made busy. */
        void hand(Runnable task) {
            slot.set(task);
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            while (true) {
                Runnable task = slot.getAndSet(null);
                if (task != null) {
                    task.run(); // AttemptHandle.runOn catches everything the action throws
                    state.set(IDLE);
                    if (queued.compareAndSet(false, true)) {
                        idle.offerFirst(this);
                    }
                } else if (!awaitTask() && state.compareAndSet(IDLE, DONE)) {
                    return;
                }
            }
        }

        /** Spins, then parks, until a task is handed over (true) or it has idled long enough (false). */
        private boolean awaitTask() {
            long start = System.nanoTime();
            while (true) {
                if (slot.get() != null) {
                    return true;
                }
                long waited = System.nanoTime() - start;
                if (state.get() == IDLE && (shutdown || waited > IDLE_NANOS)) {
                    return false;
                }
                if (waited < SPIN_NANOS) {
                    spinOnce(waited);
                } else {
                    LockSupport.parkNanos(this, Math.max(1, IDLE_NANOS - waited));
                }
            }
        }
    }
}
