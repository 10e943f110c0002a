/**
 * The {@code runbook} command line: {@code validate}, {@code schema}, {@code explain} and {@code plan}. The entry
 * point is {@link dev.runbook.cli.RunbookCli}; everything else is in {@code .internal}.
 */
package dev.runbook.cli;
