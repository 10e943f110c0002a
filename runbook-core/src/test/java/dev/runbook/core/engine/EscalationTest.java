package dev.runbook.core.engine;

import static dev.runbook.core.engine.EngineTestSupport.failing;
import static dev.runbook.core.engine.EngineTestSupport.oomIncident;
import static dev.runbook.core.engine.EngineTestSupport.recorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code on_failure: escalate}: after the rollback, the next matching runbook gets the incident. */
class EscalationTest {
    private final TestClock clock = new TestClock();
    private final List<Map<String, Object>> seen = new ArrayList<>();
    /** Real steps and rollbacks as they happen, {@code runbook:step}. */
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Execution> finished = new CopyOnWriteArrayList<>();
    /** Execution ids as listeners see them start: the first run's, then each escalation's. */
    private final List<String> startedIds = new CopyOnWriteArrayList<>();

    private final ExecutionListener listener = new ExecutionListener() {
        @Override
        public void executionStarted(String executionId, dev.runbook.core.model.Incident incident,
                                     dev.runbook.core.match.MatchReport match) {
            startedIds.add(executionId);
        }

        @Override
        public void stepFinished(String executionId, String runbookId, StepResult r) {
            if (!r.dryRun()) {
                events.add(runbookId + ":" + r.name());
            }
        }

        @Override
        public void rollbackStarted(String executionId, String runbookId, String reason) {
            events.add(runbookId + ":rollback");
        }

        @Override
        public void executionFinished(Execution e) {
            finished.add(e);
        }
    };

    /** Same trigger for all: the trigger order falls back to ids, so a- runs before b- before c-. */
    private static Runbook.Builder runbook(String id) {
        return Runbook.builder(id).trigger(Trigger.builder().rootCauseReason("OOMKilled").minConfidence(0.8).build());
    }

    /** A runbook whose fix fails and escalates, with a rollback. */
    private static Runbook escalating(String id) {
        return runbook(id)
                .step(ActionStep.builder("prepare", "record").param("by", id).build())
                .step(ActionStep.builder("fix", "boom").onFailure(OnFailure.ESCALATE).build())
                .rollbackStep(ActionStep.builder("undo", "record").param("undo", id).build())
                .build();
    }

    private static Runbook succeeding(String id) {
        return runbook(id).step(ActionStep.builder("fix", "record").param("by", id).build()).build();
    }

    private RunbookEngine.Builder engine(Runbook... runbooks) {
        var b = RunbookEngine.builder().discoverActions(false).clock(clock)
                .sleeper(new EngineTestSupport.RecordingSleeper(clock)).listener(listener)
                .actions(recorder("record", seen), failing("boom", "too small"));
        for (Runbook r : runbooks) {
            b.runbook(r);
        }
        return b;
    }

    @Test
    void theNextRunbookRunsAfterTheFirstOnesRollbackAndTheRecordLinksThem() {
        try (var engine = engine(escalating("a-cheap"), succeeding("b-bigger")).build()) {
            Execution e = engine.handle(oomIncident("i1"));

            assertThat(events).containsExactly("a-cheap:prepare", "a-cheap:fix", "a-cheap:rollback", "a-cheap:undo",
                    "b-bigger:fix");
            assertThat(e.runbookId()).isEqualTo("a-cheap");
            assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(e.error().orElseThrow()).isEqualTo("step 'fix' failed: too small; escalated to runbook b-bigger");
            Execution next = e.escalatedTo().orElseThrow();
            assertThat(next.runbookId()).isEqualTo("b-bigger");
            assertThat(next.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(next.id()).isNotEqualTo(e.id());
            assertThat(next.incidentId()).isEqualTo("i1");
            assertThat(next.guardDecisions()).isNotEmpty().allMatch(d -> d.allowed());
            assertThat(e.chain()).extracting(Execution::runbookId).containsExactly("a-cheap", "b-bigger");
            // listeners see every execution of the chain, the first one last, with its link
            assertThat(finished).extracting(Execution::runbookId).containsExactly("b-bigger", "a-cheap");
            assertThat(finished.get(1)).isEqualTo(e);
        }
    }

    @Test
    void theDepthLimitEndsTheChain() {
        try (var engine = engine(escalating("a-cheap"), escalating("b-bigger"), succeeding("c-biggest"))
                .maxEscalationDepth(1).build()) {
            Execution e = engine.handle(oomIncident("i1"));

            assertThat(e.chain()).extracting(Execution::runbookId).containsExactly("a-cheap", "b-bigger");
            Execution last = e.chain().get(1);
            assertThat(last.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(last.error().orElseThrow()).endsWith("not escalated: the escalation depth limit (1) is reached");
            assertThat(events).doesNotContain("c-biggest:fix");
        }
        events.clear();
        try (var engine = engine(escalating("a-cheap"), escalating("b-bigger"), succeeding("c-biggest")).build()) {
            Execution e = engine.handle(oomIncident("i2"));
            assertThat(e.chain()).extracting(Execution::runbookId).containsExactly("a-cheap", "b-bigger", "c-biggest");
            assertThat(e.chain().get(2).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(events).containsExactly("a-cheap:prepare", "a-cheap:fix", "a-cheap:rollback", "a-cheap:undo",
                    "b-bigger:prepare", "b-bigger:fix", "b-bigger:rollback", "b-bigger:undo", "c-biggest:fix");
        }
        assertThatThrownBy(() -> RunbookEngine.builder().maxEscalationDepth(-1))
                .hasMessageContaining("maxEscalationDepth must not be negative, got -1");
    }

    @Test
    void aGuardOfTheNextRunbookCanRefuseItWhichEndsTheChainWithTheRefusalRecorded() {
        Runbook strict = runbook("b-bigger").safety(Safety.builder().minConfidence(0.99).build())
                .step(ActionStep.builder("fix", "record").param("by", "b").build()).build();
        try (var engine = engine(escalating("a-cheap"), strict).build()) {
            Execution e = engine.handle(oomIncident("i1"));

            Execution next = e.escalatedTo().orElseThrow();
            assertThat(next.status()).isEqualTo(ExecutionStatus.DENIED);
            assertThat(next.denial().orElseThrow().guard()).isEqualTo("confidence");
            assertThat(next.escalatedTo()).isEmpty();
            assertThat(events).doesNotContain("b-bigger:fix");
            assertThat(finished).extracting(Execution::status)
                    .containsExactly(ExecutionStatus.DENIED, ExecutionStatus.ROLLED_BACK);
        }
    }

    @Test
    void withNoOtherMatchingRunbookTheFailureStandsAndSaysWhy() {
        Runbook other = Runbook.builder("image").trigger(Trigger.builder().rootCauseReason("ImagePullBackOff").build())
                .step(ActionStep.builder("fix", "record").build()).build();
        try (var engine = engine(escalating("a-cheap"), other).build()) {
            Execution e = engine.handle(oomIncident("i1"));

            assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(e.escalatedTo()).isEmpty();
            assertThat(e.error().orElseThrow()).endsWith("not escalated: no other runbook matches incident i1");
            assertThat(finished).hasSize(1);
        }
    }

    @Test
    void aFailedRollbackNeverEscalates() {
        Runbook badUndo = runbook("a-cheap")
                .step(ActionStep.builder("fix", "boom").onFailure(OnFailure.ESCALATE).build())
                .rollbackStep(ActionStep.builder("undo", "boom").build())
                .build();
        try (var engine = engine(badUndo, succeeding("b-bigger")).build()) {
            Execution e = engine.handle(oomIncident("i1"));
            assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLBACK_FAILED);
            assertThat(e.escalatedTo()).isEmpty();
            assertThat(events).doesNotContain("b-bigger:fix");
        }
    }

    @Test
    void aPlanDoesNotEscalate() {
        try (var engine = engine(escalating("a-cheap"), succeeding("b-bigger")).build()) {
            Execution e = engine.plan(oomIncident("i1"));
            assertThat(e.status()).isEqualTo(ExecutionStatus.PLANNED);
            assertThat(e.escalatedTo()).isEmpty();
        }
    }

    /** b-bigger's fix blocks (until interrupted) once {@code started} is counted down; its rollback is recorded. */
    private static Runbook blocking(String id) {
        return runbook(id).step(ActionStep.builder("fix", "block").build())
                .rollbackStep(ActionStep.builder("undo", "record").param("undo", id).build())
                .build();
    }

    private static FakeCluster.Simple blocker(CountDownLatch started) {
        CountDownLatch never = new CountDownLatch(1);
        return new FakeCluster.Simple("block", true, ParamSchema.open()) {
            @Override
            public ActionResult execute(ActionContext ctx) throws InterruptedException {
                if (ctx.dryRun()) {
                    return ActionResult.empty();
                }
                started.countDown();
                never.await();
                return ActionResult.empty();
            }
        };
    }

    @Test
    @Timeout(20)
    void anEscalatedRunIsListedAndCancelledByItsOwnIdTheParentsIdOrTheIncidentsOnceAndRollsBack() throws Exception {
        for (String by : List.of("child", "parent", "incident")) {
            events.clear();
            startedIds.clear();
            CountDownLatch started = new CountDownLatch(1);
            try (var engine = engine(escalating("a-cheap"), blocking("b-bigger")).actions(blocker(started)).build()) {
                var future = engine.handleAsync(oomIncident("i1"));
                assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
                String parent = startedIds.get(0);
                String child = startedIds.get(1);
                // both are running: the first waits for the run it handed to
                assertThat(engine.runningExecutions()).containsExactlyInAnyOrder(parent, child);

                String key = switch (by) {
                    case "child" -> child;
                    case "parent" -> parent;
                    default -> "i1";
                };
                assertThat(engine.cancel(key)).as("cancel by %s", by).isEqualTo(1);
                engine.cancel(key); // asked again (it may have ended by now): still one cancellation, one rollback

                Execution e = future.get(5, TimeUnit.SECONDS);
                Execution next = e.escalatedTo().orElseThrow();
                assertThat(next.id()).isEqualTo(child);
                assertThat(next.status()).as("by %s", by).isEqualTo(ExecutionStatus.CANCELLED);
                assertThat(events).as("by %s", by).containsExactly("a-cheap:prepare", "a-cheap:fix",
                        "a-cheap:rollback", "a-cheap:undo", "b-bigger:fix", "b-bigger:rollback", "b-bigger:undo");
                assertThat(engine.runningExecutions()).isEmpty();
                assertThat(engine.cancel(child)).isZero();
            }
        }
    }

    @Test
    @Timeout(20)
    void closingCancelsARunningEscalationOnceAndWaitsForItsRollback() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        var engine = engine(escalating("a-cheap"), blocking("b-bigger")).actions(blocker(started))
                .closeGrace(Duration.ZERO).build();
        var future = engine.handleAsync(oomIncident("i1"));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        engine.close();

        // close() returned only after the chain ended: the rollback has run, once
        assertThat(engine.runningExecutions()).isEmpty();
        assertThat(events).containsExactly("a-cheap:prepare", "a-cheap:fix", "a-cheap:rollback", "a-cheap:undo",
                "b-bigger:fix", "b-bigger:rollback", "b-bigger:undo");
        Execution e = future.get(5, TimeUnit.SECONDS);
        assertThat(e.escalatedTo().orElseThrow().status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(finished).extracting(Execution::runbookId).containsExactly("b-bigger", "a-cheap");
    }

    /** The failure notification's message: the runbook's error as the record states it. */
    private static Runbook notifying(Runbook rb) {
        return rb.toBuilder().notifications(new dev.runbook.core.model.Notifications(List.of(), List.of(
                new dev.runbook.core.model.Notification("test", dev.runbook.core.model.ParamValue.mapOf(
                        Map.of("message", "{{ error_message }}")))))).build();
    }

    /** A notifier on channel {@code test} that keeps what it is sent and calls {@code onSend} first. */
    private static dev.runbook.core.notify.Notifier notifier(List<String> sent, Runnable onSend) {
        return new dev.runbook.core.notify.Notifier() {
            @Override
            public String channel() {
                return "test";
            }

            @Override
            public void send(dev.runbook.core.notify.NotificationMessage message) {
                onSend.run();
                sent.add(String.valueOf(message.params().get("message")));
            }
        };
    }

    @Test
    void anEscalationWhoseIdIsRunningNeverRunsAndTheRecordAndNotificationSaySo() {
        // a supplier that repeats: the escalation would get the id of the run handing to it; this is found before the
        // record, the journal and the failure notification are written, so none of them says it escalated
        List<String> sent = new CopyOnWriteArrayList<>();
        List<Execution> journaled = new CopyOnWriteArrayList<>();
        var journal = new InMemoryExecutionJournal();
        try (var engine = engine(notifying(escalating("a-cheap")), succeeding("b-bigger")).executionIds(() -> "same")
                .notifier(notifier(sent, () -> { })).journal(EngineTestSupport.onFinished(journal, journaled::add)).build()) {
            Execution e = engine.handle(oomIncident("i1"));
            assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);
            assertThat(e.escalatedTo()).isEmpty();
            String said = "step 'fix' failed: too small; not escalated: runbook b-bigger could not be started: "
                    + "execution id 'same' is already running (incident i1)";
            assertThat(e.error().orElseThrow()).startsWith(said);
            assertThat(sent).singleElement().asString().startsWith(said);
            assertThat(journaled).singleElement().satisfies(j -> assertThat(j.error().orElseThrow()).startsWith(said));
            assertThat(finished).containsExactly(e);
            assertThat(events).doesNotContain("b-bigger:fix");
            assertThat(engine.runningExecutions()).isEmpty();
        }
    }

    @Test
    @Timeout(20)
    void aCancellationWhileTheFirstRunNotifiesEndsTheEscalationBeforeItStartsAnything() throws Exception {
        // the failure notification of the first run blocks until the incident is cancelled: the escalation, already
        // registered, is the run asked to stop, and ends at once without a guard decision or a step
        List<String> sent = new CopyOnWriteArrayList<>();
        CountDownLatch notifying = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        Runnable waitForCancel = () -> {
            notifying.countDown();
            try {
                assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        };
        try (var engine = engine(notifying(escalating("a-cheap")), succeeding("b-bigger"))
                .notifier(notifier(sent, waitForCancel)).build()) {
            var future = engine.handleAsync(oomIncident("i1"));
            assertThat(notifying.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(engine.runningExecutions()).hasSize(2);
            assertThat(engine.cancel("i1")).as("the chain is one execution at a time").isEqualTo(1);
            cancelled.countDown();

            Execution e = future.get(5, TimeUnit.SECONDS);
            assertThat(e.error().orElseThrow()).endsWith("escalated to runbook b-bigger");
            assertThat(sent).singleElement().asString().endsWith("escalated to runbook b-bigger");
            Execution next = e.escalatedTo().orElseThrow();
            assertThat(next.status()).isEqualTo(ExecutionStatus.CANCELLED);
            assertThat(next.error()).hasValue("cancelled before it started (escalated to from runbook a-cheap)");
            assertThat(next.guardDecisions()).isEmpty();
            assertThat(events).doesNotContain("b-bigger:fix");
            assertThat(engine.runningExecutions()).isEmpty();
        }
    }
}
