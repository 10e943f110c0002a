package dev.runbook.neo4j;

import dev.runbook.core.action.ActionResult;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.neo4j.driver.Driver;

/**
 * The runbook of the crash test, shared by the child JVM ({@link CrashHost}) and the recovering parent: read the
 * memory limit over HTTP, then set it (a mutating POST); the rollback POSTs the value read before the change.
 * Journal and guard store are Neo4j's, on database time.
 */
final class CrashRunbook {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private CrashRunbook() {
    }

    static Runbook runbook(String prefix) {
        return Runbook.builder(prefix + "memory-fix").trigger(Trigger.builder().rootCauseReason("OOMKilled").build())
                .safety(Safety.builder().maxExecutionsPerHour(2).build())
                .step(ActionStep.builder("read", "http_read").outputVar("old").build())
                .step(ActionStep.builder("patch", "http_patch").param("memory", "512Mi").build())
                .rollbackStep(ActionStep.builder("revert", "http_patch").param("memory", "{{ old }}").build())
                .build();
    }

    static Incident incident(String prefix, String id) {
        return Incident.builder(prefix + id).rootCause("OOMKilled", 0.9).resource("Pod", "default", prefix + "web").build();
    }

    /** An engine on the harness with the HTTP resource at {@code port}; its locks and journal lease last {@code ttl}. */
    static RunbookEngine.Builder engine(Driver driver, int port, String prefix, String owner, Duration ttl) {
        URI uri = URI.create("http://127.0.0.1:" + port + "/memory");
        ScriptedAction read = new ScriptedAction("http_read", false, ctx -> ActionResult.of(
                HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body()));
        ScriptedAction patch = new ScriptedAction("http_patch", true, ctx -> {
            String value = String.valueOf(ctx.params().get("memory"));
            if (ctx.dryRun()) {
                return ActionResult.empty().withSummary("would set memory " + value);
            }
            int code = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(value)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (code != 204) {
                throw new IllegalStateException("setting memory " + value + " got HTTP " + code);
            }
            return ActionResult.empty().withSummary("set memory " + value);
        });
        return RunbookEngine.builder().discoverActions(false).runbook(runbook(prefix)).actions(read, patch).owner(owner)
                .lockTtl(ttl)
                .journal(Neo4jExecutionJournal.builder().driver(driver).build())
                .guardStore(Neo4jGuardStore.builder().driver(driver).build());
    }
}
