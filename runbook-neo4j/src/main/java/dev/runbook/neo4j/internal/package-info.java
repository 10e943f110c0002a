/** Implementation of runbook-neo4j: query text, value conversion, the audit writer and guard transactions. */
package dev.runbook.neo4j.internal;
