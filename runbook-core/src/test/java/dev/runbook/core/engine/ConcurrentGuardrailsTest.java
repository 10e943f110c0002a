package dev.runbook.core.engine;

import static dev.runbook.core.engine.EngineTestSupport.oomIncident;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConcurrentGuardrailsTest {

    @Test
    @Timeout(60)
    void aThousandThreadsOnOneResourceGetExactlyFiveExecutions() throws Exception {
        TestClock clock = new TestClock();
        AtomicInteger applied = new AtomicInteger();
        var act = new FakeCluster.Simple("bump", true, dev.runbook.core.action.ParamSchema.open()) {
            @Override
            public dev.runbook.core.action.ActionResult execute(dev.runbook.core.action.ActionContext ctx) {
                if (!ctx.dryRun()) {
                    applied.incrementAndGet();
                }
                return dev.runbook.core.action.ActionResult.empty();
            }
        };
        Runbook rb = Runbook.builder("oom-v1").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().maxExecutionsPerHour(5).dryRunFirst(true).build())
                .step(ActionStep.builder("bump", "bump").build()).build();
        RunbookEngine engine = RunbookEngine.builder().discoverActions(false).clock(clock).runbook(rb).actions(act).build();

        int threads = 1000;
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        var results = new ConcurrentLinkedQueue<Execution>();
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String incident = "incident-" + i;
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                results.add(engine.handle(oomIncident(incident, "web-1", 0.9)));
            });
            t.start();
            all.add(t);
        }
        ready.await();
        go.countDown();
        for (Thread t : all) {
            t.join();
        }

        Map<ExecutionStatus, Long> byStatus = results.stream()
                .collect(Collectors.groupingBy(Execution::status, Collectors.counting()));
        assertThat(results).hasSize(threads);
        assertThat(byStatus.get(ExecutionStatus.SUCCEEDED)).isEqualTo(5);
        assertThat(byStatus.get(ExecutionStatus.DENIED)).isEqualTo(threads - 5);
        assertThat(applied.get()).isEqualTo(5);
        // every denial says which guard refused and why
        Map<String, Long> guards = results.stream().filter(e -> e.status() == ExecutionStatus.DENIED)
                .map(e -> e.denial().orElseThrow().guard())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(guards.keySet()).isSubsetOf("dedupe", "rate_limit");
        assertThat(results).filteredOn(e -> e.status() == ExecutionStatus.DENIED)
                .allSatisfy(e -> assertThat(e.denial().orElseThrow().reason())
                        .matches("(resource Pod/default/web-1 already has an active execution.*"
                                + "|max_executions_per_hour 5 for runbook oom-v1 reached: 5 in the last 1h)"));
    }
}
