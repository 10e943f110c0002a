package dev.runbook.examples;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.notify.SlackNotifier;
import dev.runbook.dsl.RunbookLoader;
import dev.runbook.neo4j.Neo4jActions;
import dev.runbook.neo4j.Neo4jAuditTrail;
import dev.runbook.neo4j.Neo4jGuardStore;
import dev.runbook.neo4j.Neo4jIncidentLoader;
import java.net.URI;
import java.nio.file.Path;
import org.neo4j.driver.Driver;

/** The root README's embedding example, compiled with the tests (EmbeddingExampleTest runs it). */
final class EmbeddingExample {
    private EmbeddingExample() {
    }

    // --- README snippet starts ---
    static Execution remediate(Driver neo4j, String incidentId, URI slackWebhook) {
        var runbooks = RunbookLoader.builder().build()        // actions found through ServiceLoader
                .load(Path.of("runbooks")).runbooksOrThrow();    // every problem as file:line:col: message
        try (var audit = Neo4jAuditTrail.builder().driver(neo4j).build();
             var engine = RunbookEngine.builder()
                     .runbooks(runbooks)
                     .actionProvider(new Neo4jActions(neo4j))   // check_neo4j on the host's driver
                     .guardStore(Neo4jGuardStore.builder().driver(neo4j).build()) // limits shared by replicas
                     .notifier(new SlackNotifier(slackWebhook))
                     .listener(audit)                          // audit trail in the graph
                     .build()) {
            var incident = Neo4jIncidentLoader.builder().driver(neo4j).build().load(incidentId);
            Execution e = engine.handle(incident);             // match, guards, dry run, run, verify, notify
            System.out.println(e.status() + " " + e.guardDecisions() + " " + e.actionsTaken());
            return e;
        }
    }
    // --- README snippet ends ---
}
