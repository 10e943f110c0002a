package dev.runbook.neo4j.internal;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.Sleeper;
import dev.runbook.core.retry.Backoff;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.neo4j.driver.Driver;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.exceptions.ClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail's bounded buffer and its single writer thread. An execution stays in the buffer until the
 * transaction that wrote it committed, so an outage loses nothing: the writer retries on the project's
 * {@link Backoff} (exponential, jittered) and drains the buffer when Neo4j is back. When the buffer is full the caller waits up to the offer timeout
 * for room, then the oldest buffered execution is dropped and counted (logged with the running total).
 */
public final class AuditWriter {
    private static final Logger LOG = LoggerFactory.getLogger("dev.runbook.neo4j.audit");

    /**
     * Settings.
     *
     * @param backoff the waits between failed writes (the project's jittered {@link Backoff})
     * @param random  the jitter's randomness
     * @param sleeper how the writer waits; empty: on its own condition, so {@link #close()} cuts a long wait short
     */
    public record Settings(Driver driver, Optional<String> database, AuditRecords records, int capacity, int batchSize,
                           Duration offerTimeout, Backoff backoff, RandomGenerator random, Optional<Sleeper> sleeper,
                           Duration closeTimeout) {
    }

    private record Entry(long seq, Execution execution) {
    }

    private final Settings cfg;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Entry> buffer = new ArrayDeque<>();
    private final Thread thread;
    private long lastSeq;
    private long writtenUpTo;
    private long written;
    private long dropped;
    private long failedAttempts;
    private boolean closing;
    private long closeDeadline;
    private boolean schemaReady;

    public AuditWriter(Settings settings) {
        this.cfg = settings;
        this.thread = new Thread(this::run, "runbook-neo4j-audit-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Buffers an execution; waits up to the offer timeout when full, then drops the oldest. */
    public void offer(Execution execution) {
        lock.lock();
        try {
            if (closing) {
                dropped++;
                LOG.warn("audit trail closed: execution {} not recorded ({} dropped so far)", execution.id(), dropped);
                return;
            }
            long deadline = System.nanoTime() + cfg.offerTimeout().toNanos();
            while (buffer.size() >= cfg.capacity()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    Entry oldest = buffer.pollFirst();
                    dropped++;
                    LOG.warn("audit buffer full ({} executions, Neo4j unreachable for long?): dropped the oldest, "
                            + "execution {}; {} dropped so far", cfg.capacity(), oldest.execution().id(), dropped);
                    break;
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    deadline = 0;
                }
            }
            buffer.addLast(new Entry(++lastSeq, execution));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until everything offered so far is written; false if the timeout passed first. */
    public boolean flush(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long target = lastSeq;
            long left = timeout.toNanos();
            while (writtenUpTo < target && !buffer.isEmpty()) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Executions waiting to be written. */
    public int pending() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    /** Executions written. */
    public long written() {
        lock.lock();
        try {
            return written;
        } finally {
            lock.unlock();
        }
    }

    /** Executions dropped because the buffer was full (or offered after close). */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Write attempts that failed (and were retried). */
    public long failedAttempts() {
        lock.lock();
        try {
            return failedAttempts;
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking executions, writes what is buffered (retrying up to the close timeout), stops the thread. */
    public void close() {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            closeDeadline = System.nanoTime() + cfg.closeTimeout().toNanos();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(cfg.closeTimeout().plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        int left = pending();
        if (left > 0) {
            LOG.error("audit trail closed with {} execution(s) not written to Neo4j (close timeout {})", left,
                    cfg.closeTimeout());
        }
    }

    private void run() {
        int failuresInRow = 0;
        while (true) {
            List<Entry> batch;
            lock.lock();
            try {
                while (buffer.isEmpty() && !closing) {
                    changed.awaitUninterruptibly();
                }
                if (buffer.isEmpty()) {
                    return;
                }
                batch = new ArrayList<>(Math.min(cfg.batchSize(), buffer.size()));
                for (Entry e : buffer) {
                    if (batch.size() == cfg.batchSize()) {
                        break;
                    }
                    batch.add(e);
                }
            } finally {
                lock.unlock();
            }
            try {
                write(batch);
                failuresInRow = 0;
                lock.lock();
                try {
                    long upTo = batch.get(batch.size() - 1).seq();
                    // the head may have been dropped meanwhile; remove only what this batch wrote
                    while (!buffer.isEmpty() && buffer.peekFirst().seq() <= upTo) {
                        buffer.pollFirst();
                    }
                    writtenUpTo = upTo;
                    written += batch.size();
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            } catch (RuntimeException ex) {
                failuresInRow++;
                // attempt n + 1 follows the n-th failure in a row
                Duration wait = cfg.backoff().delayBefore(failuresInRow + 1, Optional.empty(), cfg.random());
                lock.lock();
                try {
                    failedAttempts++;
                    if (failedAttempts == 1 || Long.bitCount(failedAttempts) == 1) {
                        LOG.warn("audit write of {} execution(s) failed (attempt {}), {} buffered, retrying in {} ms: {}",
                                batch.size(), failedAttempts, buffer.size(), wait.toMillis(), ex.toString());
                    }
                } finally {
                    lock.unlock();
                }
                if (!pause(wait)) {
                    return;
                }
            }
        }
    }

    /** Waits before the next write; false when closing and the close timeout has passed. */
    private boolean pause(Duration wait) {
        lock.lock();
        try {
            long until = System.nanoTime() + wait.toNanos();
            while (true) {
                long now = System.nanoTime();
                if (closing && now - closeDeadline > 0) {
                    return false;
                }
                if (cfg.sleeper().isPresent()) {
                    break;
                }
                long left = until - now;
                if (closing) {
                    left = Math.min(left, closeDeadline - now);
                }
                if (left <= 0) {
                    return true;
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException ie) {
                    return false;
                }
            }
        } finally {
            lock.unlock();
        }
        try {
            cfg.sleeper().get().sleep(wait);
            return true;
        } catch (InterruptedException ie) {
            return false;
        }
    }

    private void write(List<Entry> batch) {
        SessionConfig.Builder sc = SessionConfig.builder();
        cfg.database().ifPresent(sc::withDatabase);
        try (var session = cfg.driver().session(sc.build())) {
            if (!schemaReady) {
                for (String stmt : AuditRecords.schemaStatements()) {
                    try {
                        session.run(stmt).consume();
                    } catch (ClientException e) {
                        // no schema privilege: MERGE still keeps ids unique from this single writer
                        LOG.warn("audit trail could not create its constraints ({}); continuing without them", e.getMessage());
                        break;
                    }
                }
                schemaReady = true;
            }
            List<Execution> executions = batch.stream().map(Entry::execution).toList();
            session.executeWrite(tx -> {
                cfg.records().write(tx, executions);
                return null;
            });
        }
    }
}
