package dev.runbook.mcp.internal;

import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.engine.KillSwitch;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kill_switch} tool: {@code status} reads the engine's kill switch; {@code engage} and {@code release}
 * change it and so need approval as every change does ({@link dev.runbook.mcp.MutationPolicy}). It does not run
 * through the engine, whose kill switch, once engaged, would refuse its own release.
 */
public final class KillSwitchTool {
    /** The tool's name. */
    public static final String NAME = "kill_switch";
    static final String DESCRIPTION = "The engine's kill switch: 'status' reads it; 'engage' (with a 'reason') refuses "
            + "every new execution of every tool and runbook until 'release'. Engaging and releasing need approval.";
    static final ParamSchema SCHEMA = ParamSchema.of(
            ParamSpec.required("action", ParamType.STRING, "status, engage or release"),
            ParamSpec.optional("reason", ParamType.STRING, "why it is engaged (shown in every refusal)"));
    private static final Logger LOG = LoggerFactory.getLogger(KillSwitchTool.class);

    private final KillSwitch killSwitch;
    private final Approvals approvals;

    public KillSwitchTool(KillSwitch killSwitch, Approvals approvals) {
        this.killSwitch = killSwitch;
        this.approvals = approvals;
    }

    CallToolResult call(Caller caller, Map<String, Object> args) {
        Map<String, Object> p = SCHEMA.apply(args);
        String action = (String) p.get("action");
        String reason = p.get("reason") == null ? "" : ((String) p.get("reason")).strip();
        if (!List.of("status", "engage", "release").contains(action)) {
            throw new IllegalArgumentException("'action' must be status, engage or release, got '" + action + "'");
        }
        if (action.equals("engage") && reason.isEmpty()) {
            throw new IllegalArgumentException("'reason' is required to engage: every refusal shows it, e.g. "
                    + "\"incident review in progress\"");
        }
        if (action.equals("status")) {
            return Results.of(state(), false);
        }
        String plan = action.equals("engage") ? "engage: refuse every new execution (" + reason + ")"
                : "release: let executions run again";
        ApprovalDecision d = approvals.decide(caller, "kill switch " + action, "runbook-mcp", List.of(plan));
        if (!d.approved()) {
            var out = state();
            out.put("refused_by", Map.of("guard", "approval", "reason", d.reason()));
            out.put("approval", Plain.approval(d));
            return Results.of(out, true, "DENIED: refused by guard 'approval': " + d.reason());
        }
        if (action.equals("engage")) {
            killSwitch.engage(reason + " (engaged by " + d.approver() + " through MCP)");
        } else {
            killSwitch.release();
        }
        LOG.warn("kill switch {} by {} for client {}", action.equals("engage") ? "engaged" : "released",
                d.approver(), caller.clientName());
        var out = state();
        out.put("approval", Plain.approval(d));
        return Results.of(out, false);
    }

    private Map<String, Object> state() {
        var m = new LinkedHashMap<String, Object>();
        m.put("engaged", killSwitch.engaged().isPresent());
        killSwitch.engaged().ifPresent(r -> m.put("reason", r));
        return m;
    }
}
