/**
 * Neo4j for runbooks: {@link dev.runbook.neo4j.Neo4jIncidentLoader} reads an incident and its root cause from
 * the RCA graph ({@link dev.runbook.neo4j.GraphSchema}); {@link dev.runbook.neo4j.Neo4jActions} contributes the
 * read-only {@code check_neo4j} action; {@link dev.runbook.neo4j.Neo4jAuditTrail} records executions and
 * {@link dev.runbook.neo4j.AuditQueries} reports on them; {@link dev.runbook.neo4j.Neo4jGuardStore} shares
 * rate limits, dedupe and locks between replicas. See the module's README.
 */
package dev.runbook.neo4j;
