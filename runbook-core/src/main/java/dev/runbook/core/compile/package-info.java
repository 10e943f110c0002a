/**
 * Checking and compiling runbooks: every template and expression is compiled once, every problem is
 * collected as a {@link dev.runbook.core.compile.Problem} located by field path.
 */
package dev.runbook.core.compile;
