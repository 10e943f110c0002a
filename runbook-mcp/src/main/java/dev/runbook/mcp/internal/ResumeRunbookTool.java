package dev.runbook.mcp.internal;

import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.engine.RunbookEngine;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code resume_runbook} tool: {@code status} reads a runbook's auto-pause ({@code safety.pause_after}) from the
 * engine's guard store; {@code resume} lifts it, a change, so it needs approval as every change does
 * ({@link dev.runbook.mcp.MutationPolicy}). Modelled on the {@code kill_switch} tool.
 */
public final class ResumeRunbookTool {
    /** The tool's name. */
    public static final String NAME = "resume_runbook";
    static final String DESCRIPTION = "A runbook's auto-pause (safety.pause_after): 'status' says whether it is paused "
            + "and by which failed executions; 'resume' lets it run again on every engine sharing the guard store. "
            + "Resuming needs approval.";
    static final ParamSchema SCHEMA = ParamSchema.of(
            ParamSpec.required("runbook", ParamType.STRING, "the runbook's id"),
            ParamSpec.optional("action", ParamType.STRING, "status (default) or resume"));
    private static final Logger LOG = LoggerFactory.getLogger(ResumeRunbookTool.class);

    private final RunbookEngine engine;
    private final Approvals approvals;

    public ResumeRunbookTool(RunbookEngine engine, Approvals approvals) {
        this.engine = engine;
        this.approvals = approvals;
    }

    CallToolResult call(Caller caller, Map<String, Object> args) {
        Map<String, Object> p = SCHEMA.apply(args);
        String runbook = ((String) p.get("runbook")).strip();
        String action = p.get("action") == null ? "status" : (String) p.get("action");
        if (runbook.isEmpty()) {
            throw new IllegalArgumentException("'runbook' must name a runbook id");
        }
        if (!List.of("status", "resume").contains(action)) {
            throw new IllegalArgumentException("'action' must be status or resume, got '" + action + "'");
        }
        if (action.equals("status")) {
            return Results.of(state(runbook), false);
        }
        ApprovalDecision d = approvals.decide(caller, "resume runbook " + runbook, "runbook-mcp",
                List.of("resume: let runbook " + runbook + " run again after its auto-pause"));
        if (!d.approved()) {
            var out = state(runbook);
            out.put("refused_by", Map.of("guard", "approval", "reason", d.reason()));
            out.put("approval", Plain.approval(d));
            return Results.of(out, true, "DENIED: refused by guard 'approval': " + d.reason());
        }
        boolean was = engine.resume(runbook, d.approver() + " through MCP");
        LOG.warn("runbook {} resumed by {} for client {} (was paused: {})", runbook, d.approver(), caller.clientName(), was);
        var out = state(runbook);
        out.put("was_paused", was);
        out.put("approval", Plain.approval(d));
        return Results.of(out, false);
    }

    private Map<String, Object> state(String runbook) {
        var m = new LinkedHashMap<String, Object>();
        m.put("runbook", runbook);
        var pause = engine.pauseState(runbook);
        m.put("paused", pause.isPresent());
        pause.ifPresent(s -> {
            m.put("paused_at", s.pausedAt().toString());
            m.put("executions", s.executions());
            m.put("reason", s.reason());
        });
        return m;
    }
}
