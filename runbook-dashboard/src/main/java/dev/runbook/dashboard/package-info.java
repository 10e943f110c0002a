/**
 * Seed 002's live incident dashboard, embedded next to the engine: {@link dev.runbook.dashboard.DashboardFeed}
 * hears the engine's events, {@link dev.runbook.dashboard.DashboardServer} serves the pages, the event stream, the
 * JSON API and the controls. Implementations live in {@code .internal}.
 */
package dev.runbook.dashboard;
