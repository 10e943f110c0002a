package dev.runbook.core.action.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.WaitCondition;
import dev.runbook.core.action.WaitConditionProvider;
import dev.runbook.testkit.TestActionContext;
import dev.runbook.testkit.TestClock;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaitActionTest {

    /** Understands {@code ready-after-N}, {@code never}, {@code broken} and {@code fatal}; counts checks. */
    static final class CountingConditions implements WaitConditionProvider {
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public Optional<WaitCondition> parse(String condition) {
            if (condition.startsWith("ready-after-")) {
                int n = Integer.parseInt(condition.substring("ready-after-".length()));
                return Optional.of(condition(condition, () -> checks.incrementAndGet() >= n));
            }
            if (condition.equals("never")) {
                return Optional.of(condition(condition, () -> {
                    checks.incrementAndGet();
                    return false;
                }));
            }
            if (condition.equals("broken")) {
                return Optional.of(condition(condition, () -> {
                    if (checks.incrementAndGet() < 3) {
                        throw new IllegalStateException("api unavailable");
                    }
                    return true;
                }));
            }
            if (condition.equals("fatal")) {
                return Optional.of(condition(condition, () -> {
                    checks.incrementAndGet();
                    throw ActionException.permanent("pod was deleted");
                }));
            }
            if (condition.startsWith("counter/")) {
                throw new IllegalArgumentException("counter conditions need a number");
            }
            return Optional.empty();
        }

        interface Check {
            boolean met() throws Exception;
        }

        private static WaitCondition condition(String text, Check check) {
            return new WaitCondition() {
                @Override
                public String description() {
                    return text;
                }

                @Override
                public boolean isMet(ActionContext ctx) throws Exception {
                    return check.met();
                }

                @Override
                public Optional<String> lastObserved() {
                    return Optional.of("still pending");
                }
            };
        }
    }

    /** Found through ServiceLoader on the context class loader (registered by a test). */
    public static final class ServiceLoadedConditions implements WaitConditionProvider {
        @Override
        public Optional<WaitCondition> parse(String condition) {
            return condition.equals("service-loaded ok") ? Optional.of(new WaitCondition() {
                @Override
                public String description() {
                    return "service-loaded ok";
                }

                @Override
                public boolean isMet(ActionContext ctx) {
                    return true;
                }
            }) : Optional.empty();
        }
    }

    private final CountingConditions conditions = new CountingConditions();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> out(dev.runbook.core.action.ActionResult result) {
        return (Map<String, Object>) result.output().orElseThrow();
    }

    private Action waitAction() {
        return new BuiltinActions(BuiltinActionsConfig.custom().waitConditionProvider(conditions).build()).actions()
                .stream().filter(a -> a.name().equals("wait")).findFirst().orElseThrow();
    }

    @Test
    void durationWaitAdvancesTheClockThroughSleep() throws Exception {
        var action = waitAction();
        var ctx = TestActionContext.builder(action).param("duration", "30s").build();

        var result = action.execute(ctx);

        assertThat(ctx.sleeps()).containsExactly(Duration.ofSeconds(30));
        assertThat(ctx.clock().instant()).isEqualTo(TestClock.DEFAULT_START.plusSeconds(30));
        assertThat(result.output()).contains(Map.of("duration_ms", 30_000L, "waited_ms", 30_000L));
        assertThat(action.mutating()).isFalse();
    }

    @Test
    void durationWaitWithinTheDeadlineWaits() throws Exception {
        var action = waitAction();
        var ctx = TestActionContext.builder(action).param("duration", 60).deadlineIn(Duration.ofSeconds(60)).build();
        action.execute(ctx);
        assertThat(ctx.totalSlept()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void durationWaitLongerThanTheDeadlineFailsWithoutWaiting() {
        var action = waitAction();
        var ctx = TestActionContext.builder(action).param("duration", "5m").deadlineIn(Duration.ofSeconds(90)).build();

        assertThatThrownBy(() -> action.execute(ctx)).isInstanceOf(ActionException.class)
                .hasMessageContaining("parameter 'duration' (5m)").hasMessageContaining("deadline (90s)")
                .matches(e -> !((ActionException) e).retryable());
        assertThat(ctx.sleeps()).isEmpty();
    }

    @Test
    void dryRunDurationWaitDoesNotWait() throws Exception {
        var action = waitAction();
        var ctx = TestActionContext.builder(action).param("duration", "10m").dryRun(true).build();
        var result = action.execute(ctx);
        assertThat(ctx.sleeps()).isEmpty();
        assertThat(out(result)).containsEntry("dry_run", true).containsEntry("waited_ms", 0L);
    }

    @Test
    void needsExactlyOneOfDurationAndCondition() {
        var action = waitAction();
        assertThatThrownBy(() -> action.execute(TestActionContext.builder(action).build()))
                .isInstanceOf(ActionException.class).hasMessageContaining("'duration'")
                .hasMessageContaining("'condition'").hasMessageContaining("neither");
        assertThatThrownBy(() -> action.execute(TestActionContext.builder(action).param("duration", 1)
                .param("condition", "never").build())).hasMessageContaining("both");
    }

    @Test
    void conditionWaitPollsUntilTheConditionHolds() throws Exception {
        var action = waitAction();
        var ctx = TestActionContext.builder(action).param("condition", "ready-after-3").build();

        var result = action.execute(ctx);

        assertThat(conditions.checks.get()).isEqualTo(3);
        assertThat(ctx.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(out(result)).containsEntry("met", true).containsEntry("polls", 3L)
                .containsEntry("waited_ms", 4_000L).containsEntry("condition", "ready-after-3");
        assertThat(result.summary()).isEqualTo("condition 'ready-after-3' met after 4s");
    }

    @Test
    void conditionWaitFailsRetryablyAfterTheTimeout() {
        var action = waitAction();
        var ctx = TestActionContext.builder(action).param("condition", "never").param("timeout", "10s")
                .param("poll_interval", "3s").build();

        assertThatThrownBy(() -> action.execute(ctx)).isInstanceOf(ActionException.class)
                .hasMessage("condition 'never' not met within 10s; last observed: still pending")
                .matches(e -> ((ActionException) e).retryable());
        assertThat(ctx.sleeps()).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(3),
                Duration.ofSeconds(1));
        assertThat(conditions.checks.get()).isEqualTo(5);
    }

    @Test
    void conditionWaitDefaultsToA300sTimeoutPolledEvery2s() {
        var action = waitAction();
        var ctx = TestActionContext.builder(action).param("condition", "never").build();

        assertThatThrownBy(() -> action.execute(ctx)).hasMessageStartingWith("condition 'never' not met within 5m");
        assertThat(ctx.totalSlept()).isEqualTo(Duration.ofSeconds(300));
        assertThat(ctx.sleeps()).hasSize(150).containsOnly(Duration.ofSeconds(2));
    }

    @Test
    void conditionWaitStopsAtTheStepDeadline() {
        var action = waitAction();
        var ctx = TestActionContext.builder(action).param("condition", "never").deadlineIn(Duration.ofSeconds(5))
                .build();

        // TestActionContext fails with an AssertionError if the action sleeps past the deadline.
        assertThatThrownBy(() -> action.execute(ctx)).isInstanceOf(ActionException.class)
                .hasMessageContaining("not met within 5s").hasMessageContaining("deadline");
        assertThat(ctx.totalSlept()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void errorsWhileCheckingAreRetriedAndPermanentFailuresEndTheWait() throws Exception {
        var action = waitAction();
        var ctx = TestActionContext.builder(action).param("condition", "broken").build();
        action.execute(ctx);
        assertThat(conditions.checks.get()).isEqualTo(3);

        var fatal = TestActionContext.builder(action).param("condition", "fatal").build();
        assertThatThrownBy(() -> action.execute(fatal)).hasMessage("pod was deleted");
        assertThat(fatal.sleeps()).isEmpty();
    }

    @Test
    void lastCheckingErrorIsReportedOnTimeout() {
        var action = waitAction();
        conditions.checks.set(-1_000);
        var ctx = TestActionContext.builder(action).param("condition", "broken").param("timeout", "4s").build();
        assertThatThrownBy(() -> action.execute(ctx)).hasMessageContaining("last error: IllegalStateException: api unavailable");
    }

    @Test
    void unknownConditionsNameTheConditionAndTheModuleThatAddsThem() {
        var action = waitAction();
        var ctx = TestActionContext.builder(action).param("condition", "pod/web-1 ready").build();

        assertThatThrownBy(() -> action.execute(ctx)).isInstanceOf(ActionException.class)
                .hasMessageContaining("'pod/web-1 ready'").hasMessageContaining("runbook-k8s")
                .hasMessageContaining("deployment/").hasMessageContaining("node/")
                .hasMessageContaining(CountingConditions.class.getName())
                .matches(e -> !((ActionException) e).retryable());
        assertThat(ctx.sleeps()).isEmpty();
    }

    @Test
    void malformedConditionsReportTheProvidersMessage() {
        var action = waitAction();
        var ctx = TestActionContext.builder(action).param("condition", "counter/x").build();
        assertThatThrownBy(() -> action.execute(ctx)).hasMessageContaining("invalid condition 'counter/x'")
                .hasMessageContaining("counter conditions need a number");
    }

    @Test
    void dryRunSkipsConditionWaits() throws Exception {
        var action = waitAction();
        var ctx = TestActionContext.builder(action).param("condition", "never").dryRun(true).build();

        var result = action.execute(ctx);

        assertThat(conditions.checks.get()).isZero();
        assertThat(ctx.sleeps()).isEmpty();
        assertThat(out(result)).containsEntry("skipped", true).containsEntry("dry_run", true);
        assertThat(result.summary()).contains("dry run", "skipped", "never");
    }

    @Test
    void cancellationEndsTheWait() {
        var action = waitAction();
        var ctx = TestActionContext.builder(action).param("condition", "never").cancelled(true).build();
        assertThatThrownBy(() -> action.execute(ctx)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void rejectsANonPositivePollInterval() {
        var action = waitAction();
        var ctx = TestActionContext.builder(action).param("condition", "never").param("poll_interval", 0).build();
        assertThatThrownBy(() -> action.execute(ctx)).hasMessageContaining("parameter 'poll_interval'");
    }

    @Test
    void findsProvidersThroughServiceLoaderOnTheContextClassLoader(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(WaitConditionProvider.class.getName()),
                ServiceLoadedConditions.class.getName() + "\n");
        var action = new BuiltinActions(BuiltinActionsConfig.ofDefaults()).actions().stream()
                .filter(a -> a.name().equals("wait")).findFirst().orElseThrow();
        var ctx = TestActionContext.builder(action).param("condition", "service-loaded ok").build();

        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (var loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            thread.setContextClassLoader(loader);
            assertThat(out(action.execute(ctx))).containsEntry("met", true);
        } finally {
            thread.setContextClassLoader(previous);
        }
        assertThatThrownBy(() -> action.execute(ctx)).hasMessageContaining("no provider is installed");
    }

    @Test
    void schemaDefaults() {
        var params = waitAction().schema().apply(Map.of("condition", "x"));
        assertThat(params).containsEntry("timeout", Duration.ofSeconds(300))
                .containsEntry("poll_interval", Duration.ofSeconds(2));
        assertThat(List.copyOf(waitAction().schema().names())).containsExactly("duration", "condition", "timeout",
                "poll_interval");
    }
}
