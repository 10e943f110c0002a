package dev.runbook.core.engine.faults;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Actions that misbehave the way real I/O does, for the fault-injection suite: one that ignores interrupts
 * (a blocking socket read, a docker-java call), one that blocks until interrupted, and a recorder. Every
 * change they make is appended to one shared event log, so a test can check what happened in which order.
 */
final class FaultActions {
    /** What happened, in order: {@code write:<step>:<attempt>}, {@code undo:<value>}, ... */
    final List<String> events = new CopyOnWriteArrayList<>();
    final AtomicInteger live = new AtomicInteger();
    final AtomicInteger maxLive = new AtomicInteger();
    final AtomicInteger attemptsStarted = new AtomicInteger();

    static Incident incident(String id, String pod) {
        return Incident.builder(id).symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.95)
                .resource(new ResourceRef("Pod", pod, "default", Optional.empty(), Optional.of("web"), Optional.of("app")))
                .cluster("prod").build();
    }

    /**
     * A mutating action deaf to interrupts: it blocks on {@code release} whatever happens to its thread, then
     * writes. {@code started} counts down when an attempt begins.
     */
    Action deaf(String name, CountDownLatch started, CountDownLatch release) {
        return new Base(name, true) {
            @Override
            public ActionResult execute(ActionContext ctx) {
                if (ctx.dryRun()) {
                    return ActionResult.empty();
                }
                enter();
                try {
                    started.countDown();
                    boolean interrupted = false;
                    while (true) {
                        try {
                            release.await();
                            break;
                        } catch (InterruptedException e) {
                            interrupted = true; // deaf: keeps waiting, as blocking I/O does
                        }
                    }
                    events.add("write:" + ctx.stepName() + ":" + ctx.attempt() + (interrupted ? ":after-interrupt" : ""));
                    return ActionResult.empty().withSummary("wrote " + ctx.stepName());
                } finally {
                    live.decrementAndGet();
                }
            }
        };
    }

    /** A deaf action that busy-holds its thread for {@code millis} of real time, then writes (the 1.5 s case). */
    Action deafFor(String name, long millis) {
        return new Base(name, true) {
            @Override
            public ActionResult execute(ActionContext ctx) {
                if (ctx.dryRun()) {
                    return ActionResult.empty();
                }
                enter();
                try {
                    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                    while (System.nanoTime() < end) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(Math.max(1, end - System.nanoTime()));
                        } catch (InterruptedException e) {
                            // ignored, like a blocking socket read
                        }
                    }
                    events.add("write:" + ctx.stepName() + ":" + ctx.attempt());
                    return ActionResult.empty().withSummary("wrote " + ctx.stepName());
                } finally {
                    live.decrementAndGet();
                }
            }
        };
    }

    /** A mutating action that blocks until interrupted (it honours interrupts), then fails. */
    Action blocking(String name, CountDownLatch started) {
        return new Base(name, true) {
            @Override
            public ActionResult execute(ActionContext ctx) throws InterruptedException {
                if (ctx.dryRun()) {
                    return ActionResult.empty();
                }
                enter();
                try {
                    started.countDown();
                    new CountDownLatch(1).await();
                    throw new IllegalStateException("unreachable");
                } finally {
                    live.decrementAndGet();
                }
            }
        };
    }

    /** A mutating action that records {@code undo:<value>} and touches nothing else. */
    Action undo(String name) {
        return new Base(name, true) {
            @Override
            public ActionResult execute(ActionContext ctx) {
                if (!ctx.dryRun()) {
                    events.add("undo:" + ctx.params().getOrDefault("value", ""));
                }
                return ActionResult.empty().withSummary("undid " + ctx.stepName());
            }
        };
    }

    /** A mutating action that writes at once, touching {@code Deployment/default/<name param>}. */
    Action write(String name) {
        return new Base(name, true) {
            @Override
            public ActionResult execute(ActionContext ctx) throws ActionException {
                String target = String.valueOf(ctx.params().getOrDefault("name", "web"));
                if (!ctx.dryRun()) {
                    events.add("write:" + ctx.stepName() + ":" + ctx.attempt());
                }
                return ActionResult.empty().touching(new TouchedResource("Deployment", "default", target, "written"))
                        .withSummary((ctx.dryRun() ? "would write " : "wrote ") + target);
            }
        };
    }

    private void enter() {
        attemptsStarted.incrementAndGet();
        int now = live.incrementAndGet();
        maxLive.accumulateAndGet(now, Math::max);
    }

    abstract static class Base implements Action {
        private final String name;
        private final boolean mutating;

        Base(String name, boolean mutating) {
            this.name = name;
            this.mutating = mutating;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "fault-injection stand-in " + name;
        }

        @Override
        public ParamSchema schema() {
            return ParamSchema.open();
        }

        @Override
        public boolean mutating() {
            return mutating;
        }
    }
}
