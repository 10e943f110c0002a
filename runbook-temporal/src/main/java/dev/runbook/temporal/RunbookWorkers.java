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
        var factoryOptions = io.temporal.worker.WorkerFactoryOptions.newBuilder();
        b.workflowCacheSize.ifPresent(factoryOptions::setWorkflowCacheSize);
        this.factory = WorkerFactory.newInstance(b.client, factoryOptions.build());
        this.taskQueue = b.taskQueue;
        this.shutdownWait = b.shutdownWait;
        var options = WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(b.maxConcurrentSteps);
        b.deadlockDetection.ifPresent(d -> options.setDefaultDeadlockDetectionTimeout(d.toMillis()));
        Worker worker = factory.newWorker(taskQueue, options.build());
        if (b.workflows) {
            worker.registerWorkflowImplementationTypes(ExecutionWorkflowImpl.class, ApprovalWorkflowImpl.class);
        }
        if (b.steps) {
            worker.registerActivitiesImplementations(new StepActivitiesImpl(b.engine.stepExecutor()));
        }
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
        private java.util.Optional<Duration> deadlockDetection = java.util.Optional.empty();
        private java.util.Optional<Integer> workflowCacheSize = java.util.Optional.empty();
        private boolean workflows = true;
        private boolean steps = true;

        private Builder() {
        }

        /**
         * Whether this worker runs the workflows and whether it runs the steps (default both). A host may keep
         * workflow workers, which touch nothing, apart from step workers, which need the cluster and the actions.
         *
         * @throws IllegalArgumentException when it would run neither
         */
        public Builder roles(boolean runWorkflows, boolean runSteps) {
            if (!runWorkflows && !runSteps) {
                throw new IllegalArgumentException("a worker must run workflows, steps or both");
            }
            this.workflows = runWorkflows;
            this.steps = runSteps;
            return this;
        }

        /**
         * How many running workflows this worker keeps in memory (default Temporal's). 0 keeps none: every workflow
         * task replays the history, and no task waits for this worker's sticky queue after it is gone.
         */
        public Builder workflowCacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("workflowCacheSize must not be negative, got " + size);
            }
            this.workflowCacheSize = java.util.Optional.of(size);
            return this;
        }

        /**
         * How long a workflow task may run without yielding before Temporal reports a potential deadlock and retries
         * the task (default Temporal's, 1 s). A worker on a busy host loading the workflow's classes for the first
         * time may need more.
         */
        public Builder deadlockDetectionTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "deadlockDetectionTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("deadlockDetectionTimeout must be positive, got " + timeout);
            }
            this.deadlockDetection = java.util.Optional.of(timeout);
            return this;
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
