package dev.runbook.core.engine;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared fixtures for engine tests. */
final class EngineTestSupport {
    private EngineTestSupport() {
    }

    static Incident oomIncident(String id) {
        return oomIncident(id, "web-1", 0.92);
    }

    static Incident oomIncident(String id, String pod, double confidence) {
        return Incident.builder(id).symptomReason("CrashLoopBackOff").rootCause("OOMKilled", confidence)
                .resource(new ResourceRef("Pod", pod, "default", java.util.Optional.of("uid-" + pod),
                        java.util.Optional.of("web"), java.util.Optional.of("app")))
                .cluster("prod").build();
    }

    /** A sleeper that advances the test clock and records each wait. */
    static final class RecordingSleeper implements Sleeper {
        final TestClock clock;
        final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

        RecordingSleeper(TestClock clock) {
            this.clock = clock;
        }

        @Override
        public void sleep(Duration d) {
            sleeps.add(d);
            clock.advance(d);
        }
    }

    /** Fails the first {@code failures} calls (retryable), then succeeds with "ok". */
    static Action flaky(String name, int failures, AtomicInteger calls) {
        return new FakeCluster.Simple(name, false, ParamSchema.open()) {
            @Override
            public ActionResult execute(ActionContext ctx) throws ActionException {
                if (calls.incrementAndGet() <= failures) {
                    throw ActionException.retryable("transient failure " + calls.get());
                }
                return ActionResult.of("ok");
            }
        };
    }

    /** Always fails permanently with this message. */
    static Action failing(String name, String message) {
        return new FakeCluster.Simple(name, true, ParamSchema.open()) {
            @Override
            public ActionResult execute(ActionContext ctx) throws ActionException {
                if (ctx.dryRun()) {
                    return ActionResult.empty();
                }
                throw ActionException.permanent(message);
            }
        };
    }

    /** Records the params it got; output is its params. */
    static Action recorder(String name, List<java.util.Map<String, Object>> seen) {
        return new FakeCluster.Simple(name, false, ParamSchema.open()) {
            @Override
            public ActionResult execute(ActionContext ctx) {
                seen.add(ctx.params());
                return ActionResult.of(ctx.params());
            }
        };
    }

    /** {@code engine.recover()} once {@code go} opens: engines recovering at the same moment. */
    static List<Execution> recoverAfter(java.util.concurrent.CountDownLatch go, RunbookEngine engine) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return engine.recover();
    }

        /** A journal passing everything to {@code journal}, except that each final record goes to {@code onFinished} first. */
    static ExecutionJournal onFinished(ExecutionJournal journal, java.util.function.Consumer<Execution> onFinished) {
        return new ForwardingJournal(journal) {
            @Override
            public void finished(Execution execution) {
                onFinished.accept(execution);
                super.finished(execution);
            }
        };
    }

    /** Passes every call to {@code inner}; tests override the calls they watch. */
    static class ForwardingJournal implements ExecutionJournal {
        private final ExecutionJournal inner;

        ForwardingJournal(ExecutionJournal inner) {
            this.inner = inner;
        }

        @Override
        public void started(JournalStart start) {
            inner.started(start);
        }

        @Override
        public void intent(StepIntent intent) {
            inner.intent(intent);
        }

        @Override
        public void stepRecorded(String executionId, StepResult result, boolean rollback,
                                 java.util.Map<String, Object> variables) {
            inner.stepRecorded(executionId, result, rollback, variables);
        }

        @Override
        public void finished(Execution execution) {
            inner.finished(execution);
        }

        @Override
        public void renewLease(String executionId, String owner, java.time.Instant until) {
            inner.renewLease(executionId, owner, until);
        }

        @Override
        public List<JournaledExecution> orphans(java.time.Instant now) {
            return inner.orphans(now);
        }

        @Override
        public java.util.Optional<JournaledExecution> claim(String executionId, String newOwner, java.time.Instant now,
                                                            java.time.Instant leaseUntil) {
            return inner.claim(executionId, newOwner, now, leaseUntil);
        }
    }
}
