/**
 * Implementation of the expression package: the lexical sandbox ({@link
 * dev.runbook.core.expression.internal.Sandbox}), the parser to closures and the fast-path evaluators, template
 * parsing, the standard helpers and the defensive data copy. Not a public API.
 */
package dev.runbook.core.expression.internal;
