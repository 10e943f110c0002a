package dev.runbook.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AttemptLaneTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final LaneThreads threads = new LaneThreads(pool);

    @AfterEach
    void stop() {
        threads.shutdown();
        pool.shutdownNow();
    }

    /** Waits (bounded by the test's timeout) until the lane's thread is back waiting for work. */
    private static void awaitIdle(AttemptLane lane) {
        while (!lane.hasIdleThread()) {
            Thread.onSpinWait();
        }
    }

    private static CompletableFuture<Thread> runOn(AttemptLane lane) {
        var where = new CompletableFuture<Thread>();
        lane.execute(() -> where.complete(Thread.currentThread()));
        return where;
    }

    @Test
    @Timeout(10)
    void attemptsOneAfterAnotherRunOnOneThreadThatIsNotTheCallers() throws Exception {
        var lane = new AttemptLane(threads);
        Thread first = runOn(lane).get();
        awaitIdle(lane);
        Thread second = runOn(lane).get();
        awaitIdle(lane);
        Thread third = runOn(lane).get();
        assertThat(second).isSameAs(first).isNotSameAs(Thread.currentThread());
        assertThat(third).isSameAs(first);
        lane.close();
    }

    @Test
    @Timeout(10)
    void aThreadStillBusyWithAnAbandonedAttemptIsNeverHandedTheNextOne() throws Exception {
        var lane = new AttemptLane(threads);
        var started = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var deafThread = new CompletableFuture<Thread>();
        lane.execute(() -> {
            deafThread.complete(Thread.currentThread());
            started.countDown();
            while (true) {
                try {
                    release.await();
                    return;
                } catch (InterruptedException e) {
                    // deaf
                }
            }
        });
        started.await();
        Thread next = runOn(lane).get(5, TimeUnit.SECONDS);
        assertThat(next).isNotSameAs(deafThread.get());
        awaitIdle(lane);
        assertThat(runOn(lane).get(5, TimeUnit.SECONDS)).as("the new thread is the lane's from now on").isSameAs(next);
        release.countDown();
        lane.close();
    }

    @Test
    @Timeout(10)
    void anAttemptAfterCloseStillRuns() throws Exception {
        var lane = new AttemptLane(threads);
        runOn(lane).get();
        lane.close();
        // Nothing is handed to a thread that left: a late attempt still runs, on a thread of its own.
        assertThat(runOn(lane).get(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    @Timeout(10)
    void theNextExecutionTakesTheThreadAFinishedOneLeftIdle() throws Exception {
        var first = new AttemptLane(threads);
        Thread t = runOn(first).get();
        awaitIdle(first);
        first.close();
        var second = new AttemptLane(threads);
        assertThat(runOn(second).get(5, TimeUnit.SECONDS)).isSameAs(t);
    }
}
