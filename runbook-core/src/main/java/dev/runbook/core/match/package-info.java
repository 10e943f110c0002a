/** Matching incidents to runbooks, with an explanation for every runbook considered. */
package dev.runbook.core.match;
