package dev.runbook.testkit;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ActionContext} for tests of actions. Parameters go through the action's
 * {@link dev.runbook.core.action.ParamSchema#apply} like the engine's do; {@link #sleep} advances a
 * {@link TestClock} instead of sleeping (and fails the test with an {@link AssertionError} when an action
 * sleeps past its deadline or sleeps a negative time); the cancelled flag can be flipped at any time.
 *
 * <pre>{@code
 * var ctx = TestActionContext.builder(action).param("duration", "30s").build();
 * action.execute(ctx);
 * assertThat(ctx.clock().instant()).isEqualTo(TestClock.DEFAULT_START.plusSeconds(30));
 * }</pre>
 */
public final class TestActionContext implements ActionContext {
    private final String executionId;
    private final Runbook runbook;
    private final String stepName;
    private final Incident incident;
    private final Map<String, Object> params;
    private final Map<String, Object> variables;
    private final boolean dryRun;
    private final TestClock clock;
    private final Logger logger;
    private final Optional<Instant> deadline;
    private final AtomicBoolean cancelled;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<Consumer<Duration>> sleepListeners;
    private final int attempt;
    private final Map<String, Object> fixedAtFirst;

    private TestActionContext(Builder b, Map<String, Object> params) {
        this.executionId = b.executionId;
        this.runbook = b.runbook;
        this.stepName = b.stepName;
        this.incident = b.incident;
        this.params = params;
        var vars = new LinkedHashMap<String, Object>(b.variables);
        vars.putIfAbsent("incident", b.incident.toMap());
        this.variables = Collections.unmodifiableMap(vars);
        this.dryRun = b.dryRun;
        this.clock = b.clock;
        this.logger = LoggerFactory.getLogger("runbook.action." + b.action.name());
        this.deadline = Optional.ofNullable(b.deadline);
        this.cancelled = new AtomicBoolean(b.cancelled);
        this.sleepListeners = List.copyOf(b.sleepListeners);
        this.attempt = b.attempt;
        this.fixedAtFirst = b.fixedAtFirst;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    /** The values this step's attempts fixed so far (hand it to {@link Builder#retry} to make a retry). */
    public Map<String, Object> fixedAtFirstAttemptValues() {
        return fixedAtFirst;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T fixedAtFirstAttempt(String key, java.util.function.Supplier<T> first) {
        return (T) fixedAtFirst.computeIfAbsent(key, k -> first.get());
    }

    /** A builder for running this action. */
    public static Builder builder(Action action) {
        return new Builder(action);
    }

    /**
     * The incident contexts use unless told otherwise: pod {@code payments/payments-api-7d9f8b6c5-x2k4q}
     * (container {@code api}, deployment {@code payments-api}) in CrashLoopBackOff caused by OOMKilled.
     */
    public static Incident sampleIncident() {
        return Incident.builder("evt-oom-0001")
                .symptomReason("CrashLoopBackOff")
                .rootCause("OOMKilled", 0.92)
                .resource(ResourceRef.of("Pod", "payments", "payments-api-7d9f8b6c5-x2k4q")
                        .withController("payments-api").withContainerName("api"))
                .cluster("prod-eu-1")
                .eventTime(TestClock.DEFAULT_START.minusSeconds(60))
                .labels(Map.of("team", "payments"))
                .attribute("memory_limit", "256Mi")
                .attribute("memory_percent", 99.2)
                .build();
    }

    @Override
    public String executionId() {
        return executionId;
    }

    @Override
    public Runbook runbook() {
        return runbook;
    }

    @Override
    public String stepName() {
        return stepName;
    }

    @Override
    public Incident incident() {
        return incident;
    }

    @Override
    public Map<String, Object> params() {
        return params;
    }

    @Override
    public Map<String, Object> variables() {
        return variables;
    }

    @Override
    public boolean dryRun() {
        return dryRun;
    }

    /** The test clock; advance it to simulate time passing outside {@link #sleep}. */
    @Override
    public TestClock clock() {
        return clock;
    }

    @Override
    public Logger logger() {
        return logger;
    }

    @Override
    public Optional<Instant> deadline() {
        return deadline;
    }

    @Override
    public boolean cancelled() {
        return cancelled.get();
    }

    /** Marks the execution cancelled: later {@link #sleep} calls throw {@link InterruptedException}. */
    public void cancel() {
        cancelled.set(true);
    }

    /**
     * Advances the clock by {@code duration} at once, after telling the sleep listeners.
     *
     * @throws InterruptedException when cancelled
     * @throws AssertionError       when the duration is negative or the sleep would end past the deadline
     */
    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        if (cancelled.get()) {
            throw new InterruptedException("execution " + executionId + " was cancelled");
        }
        if (duration.isNegative()) {
            throw new AssertionError("action slept a negative duration: " + duration);
        }
        if (deadline.isPresent() && clock.instant().plus(duration).isAfter(deadline.get())) {
            throw new AssertionError("action slept " + duration + " from " + clock.instant()
                    + ", past its deadline " + deadline.get());
        }
        sleeps.add(duration);
        sleepListeners.forEach(l -> l.accept(duration));
        clock.advance(duration);
    }

    /** Every duration passed to {@link #sleep}, in order. */
    public List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    /** The total time slept. */
    public Duration totalSlept() {
        return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }

    /** Builds {@link TestActionContext}s. */
    public static final class Builder {
        private final Action action;
        private String executionId = "exec-test-1";
        private Runbook runbook = Runbook.builder("test-runbook").name("Test runbook").build();
        private String stepName = "step-1";
        private Incident incident = sampleIncident();
        private final Map<String, Object> rawParams = new LinkedHashMap<>();
        private final Map<String, Object> variables = new LinkedHashMap<>();
        private boolean dryRun;
        private TestClock clock = new TestClock();
        private Instant deadline;
        private boolean cancelled;
        private final List<Consumer<Duration>> sleepListeners = new ArrayList<>();
        private int attempt = 1;
        private Map<String, Object> fixedAtFirst = new java.util.concurrent.ConcurrentHashMap<>();

        private Builder(Action action) {
            this.action = Objects.requireNonNull(action, "action");
        }

        /** Replaces the parameters (as rendered, before the schema converts them). */
        public Builder params(Map<String, ?> params) {
            rawParams.clear();
            rawParams.putAll(params);
            return this;
        }

        /** Adds one parameter (as rendered). */
        public Builder param(String name, Object value) {
            rawParams.put(name, value);
            return this;
        }

        /** The incident (default {@link TestActionContext#sampleIncident()}). */
        public Builder incident(Incident incident) {
            this.incident = Objects.requireNonNull(incident, "incident");
            return this;
        }

        /** The variables visible to the step; {@code incident} is added from the incident unless given. */
        public Builder variables(Map<String, ?> variables) {
            this.variables.clear();
            this.variables.putAll(variables);
            return this;
        }

        /** Adds one variable. */
        public Builder variable(String name, Object value) {
            variables.put(name, value);
            return this;
        }

        /** Whether this is a dry run (default false). */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** The clock (default a new {@link TestClock} at {@link TestClock#DEFAULT_START}). */
        public Builder clock(TestClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The attempt's deadline (default none). */
        public Builder deadline(Instant deadline) {
            this.deadline = Objects.requireNonNull(deadline, "deadline");
            return this;
        }

        /** A deadline this long after the clock's current time. */
        public Builder deadlineIn(Duration duration) {
            return deadline(clock.instant().plus(duration));
        }

        /** Whether the execution starts out cancelled (default false). */
        public Builder cancelled(boolean cancelled) {
            this.cancelled = cancelled;
            return this;
        }

        /** Called on every {@link TestActionContext#sleep} before the clock advances (to change state "meanwhile"). */
        public Builder onSleep(Consumer<Duration> listener) {
            sleepListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The runbook (default an empty one with id {@code test-runbook}). */
        public Builder runbook(Runbook runbook) {
            this.runbook = Objects.requireNonNull(runbook, "runbook");
            return this;
        }

        /** The execution id (default {@code exec-test-1}). */
        public Builder executionId(String executionId) {
            this.executionId = Objects.requireNonNull(executionId, "executionId");
            return this;
        }

        /** The step name (default {@code step-1}). */
        public Builder stepName(String stepName) {
            this.stepName = Objects.requireNonNull(stepName, "stepName");
            return this;
        }

        /**
         * Makes this context a retry: attempt {@code n} of a step whose earlier attempts fixed {@code values}
         * through {@link ActionContext#fixedAtFirstAttempt} (share the map of the first attempt's context).
         */
        public Builder retry(int n, Map<String, Object> values) {
            if (n < 1) {
                throw new IllegalArgumentException("attempt must be at least 1, got " + n);
            }
            this.attempt = n;
            this.fixedAtFirst = Objects.requireNonNull(values, "values");
            return this;
        }

        /** The action this context is for. */
        public Action action() {
            return action;
        }

        /**
         * The context, with the parameters checked and converted by the action's schema.
         *
         * @throws dev.runbook.core.action.ParamException when they do not fit it
         */
        public TestActionContext build() {
            return new TestActionContext(this, action.schema().apply(rawParams));
        }
    }
}
