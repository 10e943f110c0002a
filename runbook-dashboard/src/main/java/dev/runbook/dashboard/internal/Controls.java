package dev.runbook.dashboard.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.runbook.core.approval.PendingApprovals;
import dev.runbook.core.engine.KillSwitch;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The controls: the kill switch, and approving or denying a waiting execution, each recorded with who did it. */
final class Controls {
    private static final Logger LOG = LoggerFactory.getLogger(Controls.class);
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._@'+-]{1,100}");
    private static final int MAX_REASON = 500;

    private Controls() {
    }

    /** The name given with the token: letters, digits, spaces and {@code . _ @ ' + -}, at most 100. */
    static String name(Map<String, Object> body) throws Http.BadRequest {
        Object v = body.get("name");
        String name = v instanceof String s ? s.strip() : "";
        if (!NAME.matcher(name).matches()) {
            throw new Http.BadRequest(400, "name: give your name (letters, digits, spaces and . _ @ ' + -, at most "
                    + "100), got '" + Views.clip(String.valueOf(v == null ? "" : v)) + "'");
        }
        return name;
    }

    private static String reason(Map<String, Object> body, String dflt) throws Http.BadRequest {
        Object v = body.get("reason");
        if (v == null || (v instanceof String s && s.isBlank())) {
            return dflt;
        }
        if (!(v instanceof String s) || s.length() > MAX_REASON || s.chars().anyMatch(c -> c < 0x20)) {
            throw new Http.BadRequest(400, "reason: one line of text of at most " + MAX_REASON + " characters");
        }
        return s.strip();
    }

    static void killSwitch(HttpExchange ex, KillSwitch ks, Map<String, Object> body, String who)
            throws IOException, Http.BadRequest {
        Object engage = body.get("engage");
        if (!(engage instanceof Boolean on)) {
            throw new Http.BadRequest(400, "engage: true to stop new executions, false to release; got "
                    + Views.clip(String.valueOf(engage)));
        }
        if (on) {
            String why = reason(body, "engaged from the dashboard") + " (" + who + ")";
            ks.engage(why);
            LOG.warn("dashboard: kill switch engaged by {}: {}", who, why);
        } else {
            ks.release();
            LOG.warn("dashboard: kill switch released by {}", who);
        }
        Http.json(ex, 200, Map.of("engaged", ks.engaged().isPresent(), "reason", ks.engaged().orElse(""), "by", who));
    }

    static void answer(HttpExchange ex, Optional<PendingApprovals> approvals, String executionId,
                       Map<String, Object> body, String who) throws IOException, Http.BadRequest {
        if (approvals.isEmpty()) {
            throw new Http.BadRequest(404, "approvals are not answered here: the host gave the dashboard no "
                    + "PendingApprovals (DashboardServer.builder().approvals(...))");
        }
        Object decision = body.get("decision");
        if (!"approve".equals(decision) && !"deny".equals(decision)) {
            throw new Http.BadRequest(400, "decision: 'approve' or 'deny', got '"
                    + Views.clip(String.valueOf(decision)) + "'");
        }
        boolean approve = decision.equals("approve");
        String reason = reason(body, (approve ? "approved" : "denied") + " from the dashboard");
        boolean answered = approve ? approvals.get().approve(executionId, who, reason)
                : approvals.get().deny(executionId, who, reason);
        if (!answered) {
            throw new Http.BadRequest(404, "no approval waits for execution " + Views.clip(executionId)
                    + " (answered already, or timed out)");
        }
        LOG.info("dashboard: execution {} {} by {}: {}", executionId, approve ? "approved" : "denied", who, reason);
        Http.json(ex, 200, Map.of("executionId", executionId, "decision", decision, "approver", who));
    }
}
