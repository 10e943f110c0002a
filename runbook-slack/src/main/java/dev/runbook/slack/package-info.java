/**
 * Slack approvals: {@link dev.runbook.slack.SlackApprovalGateway} posts an approval message with Approve and Deny
 * buttons and waits for the click, which {@link dev.runbook.slack.SlackInteractionHandler} verifies (Slack's
 * request signature) and applies; {@link dev.runbook.slack.SlackCallbackServer} serves the handler for hosts
 * without an HTTP server.
 */
package dev.runbook.slack;
