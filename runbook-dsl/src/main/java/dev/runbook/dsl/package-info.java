/**
 * Loading runbooks from files: {@link dev.runbook.dsl.RunbookLoader} reads YAML runbook files strictly and
 * reports every problem as {@code file:line:col: message}; {@link dev.runbook.dsl.RunbookSchema} gives the JSON
 * Schema of the format for editors. The format is described in the module's README.
 */
package dev.runbook.dsl;
