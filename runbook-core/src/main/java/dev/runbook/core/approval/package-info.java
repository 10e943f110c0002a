/** Approval of executions: the asynchronous {@link dev.runbook.core.approval.ApprovalGateway} SPI and policies that decide some approvals themselves. */
package dev.runbook.core.approval;
