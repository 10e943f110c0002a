package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testkit.TestClock;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.Sleeper;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import dev.runbook.core.retry.Backoff;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.exceptions.ServiceUnavailableException;

/** The audit writer retries an unreachable Neo4j on the project's jittered backoff, on the injected sleeper. */
class AuditRetryBackoffTest {

    private static Driver unreachable() {
        return (Driver) Proxy.newProxyInstance(Driver.class.getClassLoader(), new Class<?>[] {Driver.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "session" -> throw new ServiceUnavailableException("connection refused");
                    case "toString" -> "unreachable driver";
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void failedWritesWaitOnTheJitteredBackoffThroughTheInjectedSleeper() throws Exception {
        List<Duration> sleeps = new CopyOnWriteArrayList<>();
        CountDownLatch fiveWaits = new CountDownLatch(5);
        Sleeper recording = d -> {
            sleeps.add(d);
            fiveWaits.countDown();
            if (fiveWaits.getCount() == 0) {
                throw new InterruptedException("enough: the writer thread ends here");
            }
        };
        Neo4jAuditTrail trail = Neo4jAuditTrail.builder().driver(unreachable())
                .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)).random(new SplittableRandom(7))
                .sleeper(recording).closeTimeout(Duration.ZERO).build();
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false)
                .clock(new TestClock(Instant.parse("2025-06-01T00:00:00Z")))
                .runbook(Runbook.builder("audit-rb").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                        .step(ActionStep.builder("bump", "bump_memory").build()).build())
                .actions(new TestAction("bump_memory")).listener(trail).build()) {
            engine.handle(Incident.builder("i-1").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.9)
                    .resource("Pod", "default", "web-1").build());
            assertThat(fiveWaits.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            trail.close();
        }

        var b = new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(1), Backoff.Jitter.EQUAL, Integer.MAX_VALUE);
        var replay = new SplittableRandom(7);
        List<Duration> expected = List.of(b.delayBefore(2, Optional.empty(), replay), b.delayBefore(3, Optional.empty(), replay),
                b.delayBefore(4, Optional.empty(), replay), b.delayBefore(5, Optional.empty(), replay),
                b.delayBefore(6, Optional.empty(), replay));
        assertThat(sleeps).containsExactlyElementsOf(expected);
        assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(sleeps.get(3)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(sleeps.get(4)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(trail.failedAttempts()).isGreaterThanOrEqualTo(5);
    }
}
