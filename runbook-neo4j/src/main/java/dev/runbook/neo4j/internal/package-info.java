/** Implementation of runbook-neo4j: query text, value conversion, the audit writer, guard transactions and journal records. */
package dev.runbook.neo4j.internal;
