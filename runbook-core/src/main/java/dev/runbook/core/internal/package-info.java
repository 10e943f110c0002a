/**
 * The one home of pieces every Runbook module shares: {@link dev.runbook.core.internal.Json} (one JSON writer and
 * parser, one NaN and depth policy), {@link dev.runbook.core.internal.Durations} (one duration format) and
 * {@link dev.runbook.core.internal.Suggestions} (one did-you-mean). Not API for hosts: no compatibility promise.
 * Other modules may use exactly these three classes (core's {@code ModuleRules} names them); anything else added here
 * stays core's own.
 */
package dev.runbook.core.internal;
