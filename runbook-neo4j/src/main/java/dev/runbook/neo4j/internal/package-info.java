/** Implementation of runbook-neo4j: query text, value conversion, the audit writer, the guard store's statements, calls, sweeps and reservations, and journal records. */
package dev.runbook.neo4j.internal;
