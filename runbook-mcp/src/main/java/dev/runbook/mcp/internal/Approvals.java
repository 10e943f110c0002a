package dev.runbook.mcp.internal;

import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.mcp.MutationPolicy;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Who approves a change, as the {@link MutationPolicy} says: approved in the configured approver's or the client's
 * name, refused, or asked of the client's user through MCP elicitation. The engine is built once for every client,
 * so its approval guard asks this object, which reads the caller of the call being handled.
 */
public final class Approvals {
    private final MutationPolicy policy;
    private final Optional<String> approver;
    private final Clock clock;
    private final Supplier<Caller> current;

    /**
     * @param current the caller of the execution asking (the engine asks on the thread that called it)
     */
    public Approvals(MutationPolicy policy, Optional<String> approver, Clock clock, Supplier<Caller> current) {
        this.policy = policy;
        this.approver = approver;
        this.clock = clock;
        this.current = current;
    }

    /** Wires the policy into the engine's approval guard. */
    public void configure(RunbookEngine.Builder b) {
        switch (policy) {
            // a policy decision, recorded as such, as before: no gateway is asked
            case ALLOW -> b.approvalPolicy(req -> Optional.of(decide(current.get(), req)));
            case DENY, ASK_CLIENT -> b.approvalGateway(req -> CompletableFuture.completedFuture(
                    decide(current.get(), req)));
        }
    }

    private ApprovalDecision decide(Caller caller, ApprovalRequest req) {
        return decide(caller, "runbook " + req.runbookId(), req.incident().resource().key(), req.plannedSteps());
    }

    /**
     * The decision on a change for this caller: {@code what} (such as {@code runbook mcp-restart-container}) on
     * {@code target}, {@code plan} one line per step.
     */
    public ApprovalDecision decide(Caller caller, String what, String target, List<String> plan) {
        String who = approver.orElse("mcp-client:" + caller.clientName());
        return switch (policy) {
            case ALLOW -> ApprovalDecision.approve(who, "mutations allowed by the server's policy (--allow-mutations)",
                    clock.instant());
            case DENY -> ApprovalDecision.deny("mcp-server", "the server refuses every mutating call (--approval deny); "
                    + "restart it with --allow-mutations or --approval ask to allow them", clock.instant());
            case ASK_CLIENT -> caller.exchange().map(ex -> ask(ex, caller, who, what, target, plan))
                    .orElseGet(() -> ApprovalDecision.deny("mcp-server", "no MCP client to ask for approval of " + what
                            + "; start the server with --allow-mutations to approve changes in the server's name",
                            clock.instant()));
        };
    }

    private ApprovalDecision ask(McpSyncServerExchange ex, Caller caller, String who, String what, String target,
                                 List<String> plan) {
        var caps = ex.getClientCapabilities();
        if (caps == null || caps.elicitation() == null) {
            return ApprovalDecision.deny("mcp-server", "mutating tools need approval and client '" + caller.clientName()
                    + "' cannot be asked (it does not support elicitation); start the server with --allow-mutations "
                    + "to approve calls in the client's name", clock.instant());
        }
        String message = "Approve " + what + " for " + target + "?\n"
                + String.join("\n", plan);
        var schema = Map.<String, Object>of("type", "object", "properties", Map.of("approve", Map.of("type", "boolean",
                "description", "approve this change")), "required", List.of("approve"));
        McpSchema.ElicitResult r = ex.createElicitation(McpSchema.ElicitRequest.builder().message(message)
                .requestedSchema(schema).build());
        boolean ok = r.action() == McpSchema.ElicitResult.Action.ACCEPT && r.content() != null
                && Boolean.TRUE.equals(r.content().get("approve"));
        return ok ? ApprovalDecision.approve(who, "approved by the client's user when asked", clock.instant())
                : ApprovalDecision.deny(who, "the client's user did not approve (" + r.action() + ")", clock.instant());
    }
}
