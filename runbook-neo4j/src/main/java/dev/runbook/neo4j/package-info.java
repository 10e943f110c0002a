/**
 * Incident context from the RCA graph, the check_neo4j action, the audit trail and a shared guard store on
 * Neo4j. This module is being built: so far it pins the driver and the in-process test database (see the
 * module's tests); the features come with the runbook-neo4j issue.
 */
package dev.runbook.neo4j;
