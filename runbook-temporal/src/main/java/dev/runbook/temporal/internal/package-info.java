/** The workflows, activities and their payloads behind {@link dev.runbook.temporal.TemporalBackend}. */
package dev.runbook.temporal.internal;
