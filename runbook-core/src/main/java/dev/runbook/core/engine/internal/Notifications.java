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
            String message = m == null ? "" : m.toString();
            Notifier notifier = ctx.cfg.notifiers().get(channel);
            if (notifier == null) {
                String why = "no notifier for channel '" + channel + "'; register one with RunbookEngine.builder().notifier(...)";
                LOG.warn("execution {}: {}", ctx.id, why);
                out.add(new NotificationResult(channel, message, false, Optional.of(why)));
                continue;
            }
            try {
                notifier.send(new NotificationMessage(channel, StepRunner.withoutNulls(rendered), success, ctx.id,
                        crb.runbook().id(), ctx.incident.incidentId()));
                out.add(new NotificationResult(channel, message, true, Optional.empty()));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.warn("execution {}: notification to {} failed", ctx.id, channel, e);
                out.add(new NotificationResult(channel, message, false, Optional.of(Messages.rootMessage(e))));
            }
        }
        return out;
    }
}
