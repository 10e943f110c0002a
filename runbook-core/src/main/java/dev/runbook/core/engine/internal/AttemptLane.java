package dev.runbook.core.engine.internal;

import java.util.concurrent.Executor;

/**
 * The threads one execution's attempts run on, one after another: the thread of the previous attempt when it is
 * free, else an idle engine thread, else a new one ({@link LaneThreads}). Attempts of one execution never overlap,
 * so a thread still busy when the next attempt comes holds an abandoned attempt (it ignored its interrupt): that
 * thread is left to it and the attempt gets another.
 */
final class AttemptLane implements Executor {
    private final LaneThreads threads;
    private volatile LaneThreads.Worker current;

    AttemptLane(LaneThreads threads) {
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        LaneThreads.Worker w = current;
        if (w != null) {
            // The previous attempt may have just signalled its end and not yet be idle: wait a moment for it; a
            // thread still busy after that holds an abandoned attempt.
            long start = System.nanoTime();
            long waited;
            while (w.state.get() == LaneThreads.BUSY && (waited = System.nanoTime() - start) < LaneThreads.SPIN_NANOS) {
                LaneThreads.spinOnce(waited);
            }
            if (w.state.compareAndSet(LaneThreads.IDLE, LaneThreads.BUSY)) {
                w.hand(task);
                return;
            }
        }
        LaneThreads.Worker shared = threads.takeIdle();
        if (shared != null) {
            current = shared;
            shared.hand(task);
            return;
        }
        current = threads.start(task);
    }

    /**
     * Whether the lane's last thread is waiting for work and offered to other executions (tests). It turns idle a
     * moment before it joins the idle threads, so a test that waited for idle alone could miss it there.
     */
    boolean hasIdleThread() {
        LaneThreads.Worker w = current;
        return w != null && w.state.get() == LaneThreads.IDLE && threads.offered(w);
    }

    /** The execution ended; its thread stays available to other executions for a while. */
    void close() {
        current = null;
    }
}
