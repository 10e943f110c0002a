package dev.runbook.temporal;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * {@code flaky_change}, a change that fails its first {@code fail_times} real calls of a step (retryable or not, as
 * {@code retryable} says) and outputs a token fixed at the step's first attempt; with {@code hold: true} its first
 * real call waits, deaf to interrupts, until the test releases it (a worker that stops answering).
 */
final class FlakyActions implements ActionProvider {
    /** Real calls, as "step#attempt". */
    final List<String> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    /** Forgets every call, for a second run. */
    void reset() {
        counts.clear();
        calls.clear();
    }

    @Override
    public List<Action> actions() {
        return List.of(new Flaky());
    }

    private final class Flaky implements Action {
        @Override
        public String name() {
            return "flaky_change";
        }

        @Override
        public String description() {
            return "a change that fails its first calls";
        }

        @Override
        public ParamSchema schema() {
            return ParamSchema.of(ParamSpec.required("fail_times", ParamType.INTEGER, "real calls that fail"),
                    ParamSpec.required("retryable", ParamType.BOOLEAN, "whether those failures may be retried"),
                    ParamSpec.optional("hold", ParamType.BOOLEAN, "hold the first real call"));
        }

        @Override
        public boolean mutating() {
            return true;
        }

        @Override
        public ActionResult execute(ActionContext ctx) throws ActionException {
            if (ctx.dryRun()) {
                return ActionResult.of("dry");
            }
            int n = counts.merge(ctx.stepName(), 1, Integer::sum);
            calls.add(ctx.stepName() + "#" + ctx.attempt());
            String token = ctx.fixedAtFirstAttempt("token", () -> "token-" + n);
            if (n == 1 && ctx.bool("hold", false)) {
                held.countDown();
                boolean released = false;
                while (!released) {
                    try {
                        release.await();
                        released = true;
                    } catch (InterruptedException e) {
                        // keep holding
                    }
                }
            }
            if (n <= ctx.integer("fail_times")) {
                throw new ActionException("call " + n + " failed", ctx.bool("retryable", true));
            }
            return new ActionResult(Optional.of(token), List.of(), "changed with " + token);
        }
    }
}
