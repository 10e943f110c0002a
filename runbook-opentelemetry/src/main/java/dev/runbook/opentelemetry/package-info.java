/** OpenTelemetry traces of the Runbook engine: {@link dev.runbook.opentelemetry.RunbookTracing}. */
package dev.runbook.opentelemetry;
