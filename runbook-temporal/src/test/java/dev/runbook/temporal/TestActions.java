package dev.runbook.temporal;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.action.TouchedResource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two small actions whose calls the tests count: {@code set_marker}, a change, and {@code probe}, a read whose first
 * call can be held (as a step still running on a worker that is then shut down) until the test releases it.
 */
final class TestActions implements ActionProvider {
    /** Real (not dry-run) calls of {@code set_marker}, by step name then value. */
    final List<String> changes = new CopyOnWriteArrayList<>();
    /** Calls of {@code probe}, by step name. */
    final Map<String, AtomicInteger> probes = new ConcurrentHashMap<>();
    /** Counted down when a held probe has started. */
    final CountDownLatch probeHeld = new CountDownLatch(1);
    /** Counted down by the test to let the held probe end. */
    final CountDownLatch releaseProbe = new CountDownLatch(1);
    /** Whether the first real (not dry-run) call of {@code probe} is held. */
    volatile boolean holdFirstProbe;
    private final java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public List<Action> actions() {
        return List.of(new SetMarker(), new Probe());
    }

    private final class SetMarker implements Action {
        @Override
        public String name() {
            return "set_marker";
        }

        @Override
        public String description() {
            return "records a change";
        }

        @Override
        public ParamSchema schema() {
            return ParamSchema.of(ParamSpec.required("target", ParamType.STRING, "what is changed"),
                    ParamSpec.required("value", ParamType.STRING, "the new value"));
        }

        @Override
        public boolean mutating() {
            return true;
        }

        @Override
        public List<TouchedResource> declaredTargets(Map<String, Object> params, dev.runbook.core.model.Incident incident) {
            return List.of(new TouchedResource("Marker", "test", String.valueOf(params.get("target")), "set"));
        }

        @Override
        public ActionResult execute(ActionContext ctx) {
            String line = ctx.stepName() + "=" + ctx.string("value");
            if (!ctx.dryRun()) {
                changes.add(line);
            }
            return new ActionResult(java.util.Optional.of(ctx.string("value")), List.of(), (ctx.dryRun() ? "would set " : "set ")
                    + line);
        }
    }

    private final class Probe implements Action {
        @Override
        public String name() {
            return "probe";
        }

        @Override
        public String description() {
            return "reads nothing; may be held";
        }

        @Override
        public ParamSchema schema() {
            return ParamSchema.of();
        }

        @Override
        public boolean mutating() {
            return false;
        }

        @Override
        public ActionResult execute(ActionContext ctx) {
            int n = probes.computeIfAbsent(ctx.stepName(), k -> new AtomicInteger()).incrementAndGet();
            if (!ctx.dryRun() && holdFirstProbe && held.compareAndSet(false, true)) {
                probeHeld.countDown();
                // a worker that stops answering: deaf to interrupts until the test lets it go
                boolean released = false;
                while (!released) {
                    try {
                        releaseProbe.await();
                        released = true;
                    } catch (InterruptedException e) {
                        // keep holding
                    }
                }
                return ActionResult.of("late");
            }
            return ActionResult.of("ok");
        }
    }
}
