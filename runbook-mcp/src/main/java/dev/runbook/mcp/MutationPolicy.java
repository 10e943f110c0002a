package dev.runbook.mcp;

/**
 * Who approves the executor tools ({@code restart-container}, {@code scale-service}, {@code update-env-vars},
 * {@code rollback-deployment}, {@code execute-runbook} and the mutating action tools such as {@code kubectl_patch}).
 * Every mutating call asks for approval through the engine's
 * approval guard, and the decision (approver and reason) is recorded in the execution.
 */
public enum MutationPolicy {
    /**
     * Approved without asking ({@code --allow-mutations}), in the name of the configured approver or the MCP client
     * that called the tool (the name it gave in its initialize request). Every other guard still applies.
     */
    ALLOW,
    /**
     * The default: the server asks the MCP client's user through elicitation. A client that does not support
     * elicitation gets a refusal from the approval guard saying how to allow mutations.
     */
    ASK_CLIENT,
    /** Every mutating call is refused by the approval guard: a read-only server. */
    DENY
}
