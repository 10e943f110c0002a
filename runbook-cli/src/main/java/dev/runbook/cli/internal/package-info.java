/** The commands and their helpers; not an API. */
package dev.runbook.cli.internal;
