package dev.runbook.temporal;

import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.temporal.internal.ApprovalWorkflowImpl;
import dev.runbook.temporal.internal.ExecutionWorkflowImpl;
import dev.runbook.temporal.internal.StepActivitiesImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A worker process's part: registers the execution and approval workflows and the step activity on one task queue
 * ({@link TaskQueues#forCluster} of the cluster this worker can reach), and runs steps with an engine's actions,
 * guard store and listeners. Give that engine the same runbooks and guard store as the engines that plan.
 *
 * <pre>{@code
 * try (var workers = RunbookWorkers.builder().client(client).engine(engine).cluster("prod-eu").build()) {
 *     workers.start();
 *     ... // until the process ends
 * }
 * }</pre>
 */
public final class RunbookWorkers implements AutoCloseable {
    private final WorkerFactory factory;
    private final String taskQueue;
    private final Duration shutdownWait;

    private RunbookWorkers(Builder b) {
        this.factory = WorkerFactory.newInstance(b.client);
        this.taskQueue = b.taskQueue;
        this.shutdownWait = b.shutdownWait;
        Worker worker = factory.newWorker(taskQueue, WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(b.maxConcurrentSteps).build());
        worker.registerWorkflowImplementationTypes(ExecutionWorkflowImpl.class, ApprovalWorkflowImpl.class);
        worker.registerActivitiesImplementations(new StepActivitiesImpl(b.engine.stepExecutor()));
    }

    /** A builder; {@link Builder#client} and {@link Builder#engine} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts polling the task queue. */
    public RunbookWorkers start() {
        factory.start();
        return this;
    }

    /** The task queue served. */
    public String taskQueue() {
        return taskQueue;
    }

    /**
     * Stops at once: steps running here are interrupted and the server hands them, after their timeout, to another
     * worker of the queue (only those safe to run again; see {@link TemporalBackend}).
     */
    @Override
    public void close() {
        factory.shutdownNow();
        factory.awaitTermination(shutdownWait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Builds {@link RunbookWorkers}. */
    public static final class Builder {
        private WorkflowClient client;
        private RunbookEngine engine;
        private String taskQueue = TaskQueues.forCluster(TaskQueues.DEFAULT_CLUSTER);
        private int maxConcurrentSteps = 20;
        private Duration shutdownWait = Duration.ofSeconds(10);

        private Builder() {
        }

        /** The Temporal client. */
        public Builder client(WorkflowClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** The engine whose actions, guard store and listeners run the steps. */
        public Builder engine(RunbookEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** Serves the queue of this cluster's incidents ({@link TaskQueues#forCluster}); the default cluster by default. */
        public Builder cluster(String cluster) {
            this.taskQueue = TaskQueues.forCluster(Objects.requireNonNull(cluster, "cluster"));
            return this;
        }

        /** Serves this task queue, for a host that chose its own {@link TemporalBackend.Builder#taskQueues}. */
        public Builder taskQueue(String queue) {
            if (Objects.requireNonNull(queue, "taskQueue").isBlank()) {
                throw new IllegalArgumentException("taskQueue must not be blank");
            }
            this.taskQueue = queue;
            return this;
        }

        /** How many steps this worker runs at once (default 20). */
        public Builder maxConcurrentSteps(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConcurrentSteps must be at least 1, got " + n);
            }
            this.maxConcurrentSteps = n;
            return this;
        }

        /** How long {@link #close()} waits for the worker's threads (default 10 s). */
        public Builder shutdownWait(Duration wait) {
            this.shutdownWait = Objects.requireNonNull(wait, "shutdownWait");
            return this;
        }

        /**
         * The workers, registered but not polling until {@link RunbookWorkers#start()}.
         *
         * @throws IllegalStateException without a client or an engine
         */
        public RunbookWorkers build() {
            if (client == null || engine == null) {
                throw new IllegalStateException("RunbookWorkers needs " + (client == null ? "a WorkflowClient: client(...)"
                        : "an engine: engine(...)"));
            }
            return new RunbookWorkers(this);
        }
    }
}
