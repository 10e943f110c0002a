/**
 * Implementation of the Java DSL's stages: drafts that collect a runbook as it is written and check each value
 * as it comes, and the stage classes that expose only the next legal calls.
 */
package dev.runbook.dsl.fluent.internal;
