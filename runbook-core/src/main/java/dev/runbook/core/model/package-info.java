/**
 * The immutable runbook model that every front end (YAML, Markdown, Java DSL) produces and the engine
 * runs: {@link dev.runbook.core.model.Runbook} with its {@link dev.runbook.core.model.Trigger},
 * {@link dev.runbook.core.model.Safety} and {@link dev.runbook.core.model.StepGraph}, and the
 * {@link dev.runbook.core.model.Incident} it is run for. Records, immutable collections, no nulls.
 */
package dev.runbook.core.model;
