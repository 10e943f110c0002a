/**
 * The stages of the Java DSL that {@link dev.runbook.dsl.Runbooks#runbook(String)} starts. Each stage offers only
 * what may come next, so that required things cannot be forgotten: a step needs an action (or a branch) before
 * its options, a branch needs its {@code then} steps, and {@code build()} appears only once the runbook has a
 * step. The header comes first, then the steps, then notifications, then rollback steps.
 */
package dev.runbook.dsl.fluent;
