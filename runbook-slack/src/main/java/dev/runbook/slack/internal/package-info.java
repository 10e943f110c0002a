/** The Slack module's implementation: the Web API client, signature checks, messages and pending approvals. Not API. */
package dev.runbook.slack.internal;
