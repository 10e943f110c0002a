package dev.runbook.core.action.builtin.internal;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.action.WaitCondition;
import dev.runbook.core.action.WaitConditionProvider;
import dev.runbook.core.internal.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code wait}: waits a fixed {@code duration}, or until a {@code condition} from a
 * {@link WaitConditionProvider} holds, polling through {@link ActionContext#sleep}.
 */
final class WaitAction extends BaseAction {
    private static final Logger LOG = LoggerFactory.getLogger(WaitAction.class);

    private final List<WaitConditionProvider> configured;

    WaitAction(List<WaitConditionProvider> configured) {
        super("wait", "Waits a fixed duration, or until a condition (such as pod/NAME ready) holds",
                ParamSchema.of(
                        ParamSpec.optional("duration", ParamType.DURATION, "how long to wait (give this or condition)"),
                        ParamSpec.optional("condition", ParamType.STRING,
                                "what to wait for, for instance pod/web-1 ready (give this or duration)"),
                        ParamSpec.withDefault("timeout", ParamType.DURATION, 300L,
                                "how long to wait for the condition before failing"),
                        ParamSpec.withDefault("poll_interval", ParamType.DURATION, 2L,
                                "how often to check the condition")),
                false);
        this.configured = List.copyOf(configured);
    }

    @Override
    public ActionResult execute(ActionContext ctx) throws Exception {
        Optional<Duration> duration = Optional.ofNullable((Duration) ctx.params().get("duration"));
        Optional<String> condition = ctx.optionalString("condition");
        if (duration.isPresent() == condition.isPresent()) {
            throw ActionException.permanent("wait needs exactly one of the parameters 'duration' and 'condition', got "
                    + (duration.isPresent() ? "both" : "neither"));
        }
        return duration.isPresent() ? waitFor(ctx, duration.get()) : waitUntil(ctx, condition.get());
    }

    private ActionResult waitFor(ActionContext ctx, Duration d) throws Exception {
        if (d.isNegative()) {
            throw ActionException.permanent("parameter 'duration' must not be negative, got " + d);
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("duration_ms", d.toMillis());
        if (ctx.dryRun()) {
            out.put("dry_run", true);
            out.put("waited_ms", 0L);
            return new ActionResult(Optional.of(out), List.of(), "dry run: would wait " + Durations.human(d));
        }
        if (ctx.deadline().isPresent()) {
            Duration left = ctx.remaining(d);
            if (d.compareTo(left) > 0) {
                throw ActionException.permanent("parameter 'duration' (" + Durations.human(d)
                        + ") is longer than the time left before the step's deadline (" + Durations.human(left)
                        + "); raise the step's timeout or wait less");
            }
        }
        ctx.sleep(d);
        out.put("waited_ms", d.toMillis());
        return new ActionResult(Optional.of(out), List.of(), "waited " + Durations.human(d));
    }

    private ActionResult waitUntil(ActionContext ctx, String text) throws Exception {
        if (text.isBlank()) {
            throw ActionException.permanent("parameter 'condition' must not be blank");
        }
        Duration timeout = positive(ctx.duration("timeout"), "timeout");
        Duration poll = positive(ctx.duration("poll_interval"), "poll_interval");
        WaitCondition condition = resolve(text.trim());
        var out = new LinkedHashMap<String, Object>();
        out.put("condition", condition.description());
        if (ctx.dryRun()) {
            out.put("dry_run", true);
            out.put("skipped", true);
            return new ActionResult(Optional.of(out), List.of(),
                    "dry run: skipped waiting for condition '" + condition.description() + "'");
        }
        Instant start = ctx.clock().instant();
        Duration limit = timeout;
        boolean cutByDeadline = false;
        if (ctx.deadline().isPresent() && ctx.remaining(timeout).compareTo(timeout) < 0) {
            limit = ctx.remaining(timeout);
            cutByDeadline = true;
        }
        Instant end = start.plus(limit);
        long polls = 0;
        String lastError = null;
        while (true) {
            if (ctx.cancelled()) {
                throw new InterruptedException("cancelled while waiting for condition '" + text + "'");
            }
            Duration left = nonNegative(Duration.between(ctx.clock().instant(), end));
            polls++;
            boolean met;
            try {
                met = condition.awaitMet(ctx, left);
            } catch (ActionException e) {
                if (!e.retryable()) {
                    throw e;
                }
                met = false;
                lastError = e.getMessage();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                met = false;
                lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                ctx.logger().debug("checking condition '{}' failed: {}", text, lastError);
            }
            Instant now = ctx.clock().instant();
            if (met) {
                out.put("met", true);
                out.put("waited_ms", Duration.between(start, now).toMillis());
                out.put("polls", polls);
                return new ActionResult(Optional.of(out), List.of(),
                        "condition '" + condition.description() + "' met after "
                                + Durations.human(Duration.between(start, now)));
            }
            if (!now.isBefore(end)) {
                var msg = new StringBuilder("condition '").append(text).append("' not met within ")
                        .append(Durations.human(limit));
                if (cutByDeadline) {
                    msg.append(" (stopped at the step's deadline; timeout was ").append(Durations.human(timeout))
                            .append(')');
                }
                condition.lastObserved().ifPresent(o -> msg.append("; last observed: ").append(o));
                if (lastError != null) {
                    msg.append("; last error: ").append(lastError);
                }
                throw ActionException.retryable(msg.toString());
            }
            Duration untilEnd = Duration.between(now, end);
            ctx.sleep(poll.compareTo(untilEnd) < 0 ? poll : untilEnd);
        }
    }

    private WaitCondition resolve(String text) throws ActionException {
        var asked = new ArrayList<String>();
        for (WaitConditionProvider p : providers()) {
            asked.add(p.getClass().getName());
            Optional<WaitCondition> c;
            try {
                c = p.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ActionException("invalid condition '" + text + "' (parameter 'condition'): "
                        + e.getMessage(), false, e);
            }
            if (c.isPresent()) {
                return c.get();
            }
        }
        throw ActionException.permanent("no wait condition provider understands condition '" + text
                + "' (parameter 'condition'); conditions on Kubernetes resources (pod/NAME ready, "
                + "deployment/NAME available, node/NAME ready) are added by the runbook-k8s module: put it on the class "
                + "path, or register a WaitConditionProvider with BuiltinActionsConfig.custom().waitConditionProvider(...)"
                + (asked.isEmpty() ? " (no provider is installed)" : " (providers asked: " + String.join(", ", asked) + ")"));
    }

    private List<WaitConditionProvider> providers() {
        var out = new ArrayList<>(configured);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = WaitAction.class.getClassLoader();
        }
        var it = ServiceLoader.load(WaitConditionProvider.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.warn("ignoring a WaitConditionProvider that cannot be loaded: {}", e.getMessage());
            }
        }
        return out;
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
