package dev.runbook.core.engine.internal;

import dev.runbook.core.compile.CompiledRunbook;
import dev.runbook.core.engine.NotificationResult;
import dev.runbook.core.notify.NotificationMessage;
import dev.runbook.core.notify.Notifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a runbook's success or failure notifications; a failing notifier is recorded, never thrown. */
final class Notifications {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

    private Notifications() {
    }

    static List<NotificationResult> send(RunContext ctx, CompiledRunbook crb, boolean success, Variables vars) {
        var list = success ? crb.onSuccess() : crb.onFailure();
        var out = new ArrayList<NotificationResult>();
        for (CompiledRunbook.CompiledNotification n : list) {
            String channel = n.notification().channel();
            Map<String, Object> rendered;
            try {
                rendered = n.params().renderAllowingMissing(vars.view());
            } catch (RuntimeException e) {
                out.add(new NotificationResult(channel, "", false, Optional.of("could not render: " + e.getMessage())));
                continue;
            }
            Object m = rendered.get("message");
            out.add(deliver(ctx, crb, channel, rendered, m == null ? "" : m.toString(), success));
        }
        return out;
    }

    /**
     * Says that this execution's failure paused the runbook: to each channel of the runbook's failure notifications
     * (its params rendered, {@code message} replaced by {@code text}), or, when it has none, to every registered
     * notifier with just the message.
     */
    static List<NotificationResult> sendPaused(RunContext ctx, CompiledRunbook crb, Variables vars, String text) {
        var out = new ArrayList<NotificationResult>();
        var channels = new java.util.LinkedHashMap<String, Map<String, Object>>();
        for (CompiledRunbook.CompiledNotification n : crb.onFailure()) {
            Map<String, Object> rendered;
            try {
                rendered = new java.util.LinkedHashMap<>(n.params().renderAllowingMissing(vars.view()));
            } catch (RuntimeException e) {
                rendered = new java.util.LinkedHashMap<>();
            }
            rendered.put("message", text);
            channels.putIfAbsent(n.notification().channel(), rendered);
        }
        if (channels.isEmpty()) {
            ctx.cfg.notifiers().keySet().forEach(c -> channels.put(c, Map.of("message", text)));
        }
        channels.forEach((channel, params) -> out.add(deliver(ctx, crb, channel, params, text, false)));
        return out;
    }

    private static NotificationResult deliver(RunContext ctx, CompiledRunbook crb, String channel,
                                              Map<String, Object> rendered, String message, boolean success) {
        Notifier notifier = ctx.cfg.notifiers().get(channel);
        if (notifier == null) {
            String why = "no notifier for channel '" + channel + "'; register one with RunbookEngine.builder().notifier(...)";
            LOG.warn("execution {}: {}", ctx.id, why);
            return new NotificationResult(channel, message, false, Optional.of(why));
        }
        try {
            notifier.send(new NotificationMessage(channel, StepRunner.withoutNulls(rendered), success, ctx.id,
                    crb.runbook().id(), ctx.incident.incidentId()));
            return new NotificationResult(channel, message, true, Optional.empty());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("execution {}: notification to {} failed", ctx.id, channel, e);
            return new NotificationResult(channel, message, false, Optional.of(Messages.rootMessage(e)));
        }
    }
}
