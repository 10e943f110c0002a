/** Micrometer metrics of the Runbook engine: {@link dev.runbook.micrometer.RunbookMetrics}. */
package dev.runbook.micrometer;
