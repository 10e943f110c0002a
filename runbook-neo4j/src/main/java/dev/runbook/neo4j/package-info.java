/**
 * Neo4j for runbooks: {@link dev.runbook.neo4j.Neo4jIncidentLoader} reads an incident and its root cause from
 * the RCA graph ({@link dev.runbook.neo4j.GraphSchema}); {@link dev.runbook.neo4j.Neo4jActions} contributes the
 * read-only {@code check_neo4j} action; {@link dev.runbook.neo4j.Neo4jAuditTrail} records executions and
 * {@link dev.runbook.neo4j.AuditQueries} reports on them; {@link dev.runbook.neo4j.Neo4jGuardStore} shares
 * rate limits, dedupe and leased locks between replicas, measured by the database's clock by default
 * ({@link dev.runbook.neo4j.Neo4jGuardStore.TimeSource}), failing closed when Neo4j cannot be reached, creating
 * its schema when built and deleting keys nobody uses any more; {@link dev.runbook.neo4j.Neo4jExecutionJournal}
 * journals running executions so that another replica recovers, exactly once, one whose host died. See the
 * module's README.
 */
package dev.runbook.neo4j;
