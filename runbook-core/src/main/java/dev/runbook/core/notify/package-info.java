/** Notifications sent when an execution ends: the {@link dev.runbook.core.notify.Notifier} SPI and the Slack, Microsoft Teams and webhook notifiers. */
package dev.runbook.core.notify;
