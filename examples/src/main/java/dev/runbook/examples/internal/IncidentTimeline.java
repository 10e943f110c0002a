package dev.runbook.examples.internal;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionListener;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.match.RunbookMatch;
import dev.runbook.core.model.Incident;
import dev.runbook.neo4j.Neo4jIncidentLoader;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * How the demo tells the handling of an incident: the incident as loaded, what the matcher decided and why, each
 * step as it finishes, the guards' decisions, the notifications, the changes and the result. For api it also plays
 * kg-builder's part, recording in the graph the OOM kill that recurs after the change, so that verification fails
 * and the change is rolled back.
 */
public final class IncidentTimeline implements ExecutionListener {
    private final Consumer<String> out;
    private final RcaGraph graph;
    private final String apiId;
    /** The incident being handled, for the progress listener (incidents are handled one at a time). */
    private final AtomicReference<String> current = new AtomicReference<>("");

    /**
     * Prints through {@code out}, one line per call.
     *
     * @param apiId the incident whose change does not help: its pod is OOM-killed again
     */
    public IncidentTimeline(Consumer<String> out, RcaGraph graph, String apiId) {
        this.out = out;
        this.graph = graph;
        this.apiId = apiId;
    }

    /** Loads the incident from the graph, explains the match, has the engine handle it and prints the outcome. */
    public Execution handle(RunbookEngine engine, Neo4jIncidentLoader loader, String incidentId) {
        line("");
        Incident i = loader.load(incidentId);
        line("Incident " + i.incidentId() + " loaded from Neo4j: " + i.symptomReason() + " on "
                + i.resource().kind() + " " + i.resource().namespace() + "/" + i.resource().name()
                + " (controller " + i.resource().controller().orElse("?") + ", container "
                + i.resource().containerName().orElse("?") + "), root cause " + i.rootCauseReason()
                + String.format(Locale.ROOT, " (confidence %.2f)", i.rcaConfidence()));
        MatchReport report = engine.explain(i);
        for (RunbookMatch m : report.matches()) {
            line("  match    " + m.runbook().id() + ": " + m.why());
        }
        for (RunbookMatch m : report.rejected()) {
            line("  no match " + m.runbook().id() + ": " + readable(m.why()));
        }
        current.set(i.incidentId());
        Execution e = engine.handle(i);
        line("  guards, in order:");
        for (GuardDecision d : e.guardDecisions()) {
            line("    " + (d.allowed() ? "allow " : "DENY  ") + d.guard() + ": " + d.reason());
        }
        e.notifications().forEach(n -> line("  notify   " + n.channel() + (n.sent() ? " sent" : " NOT sent ("
                + n.error().orElse("") + ")")));
        e.actionsTaken().forEach(a -> line("  changed  " + a));
        line("  result   " + e.status() + e.error().map(err -> ": " + err).orElse(""));
        return e;
    }

    /** Prints each step as it finishes; for api, records in the graph the OOM kill that recurs after the change. */
    @Override
    public void stepFinished(String executionId, String runbookId, StepResult s) {
        String phase = s.dryRun() ? "dry run " : "step    ";
        line("  " + phase + " " + mark(s) + " " + s.name() + " [" + s.action() + "] " + detail(s));
        if (!s.dryRun() && current.get().equals(apiId) && s.action().equals("k8s_set_resources")
                && s.status() == dev.runbook.core.engine.StepStatus.SUCCEEDED
                && s.name().equals("Update Deployment memory limit")) {
            // api leaks: its new pod is OOM-killed again. kg-builder would record that event in the graph;
            // the demo writes it now, 10 minutes after the symptom: inside the window check_neo4j looks at.
            graph.recurrence(apiId, apiId + "-again", "OOMKilled", Instant.now());
            line("  (graph)  api's new pod OOMKilled again: kg-builder records " + apiId + "-again");
        }
    }

    /** The matcher's reason, without the expression engine's internals for an attribute the incident lacks. */
    private static String readable(String why) {
        return why.replaceAll("could not be evaluated: no value named '(\\w+)'.*?while evaluating '[^']*'",
                "not evaluated (the incident has no attribute $1)");
    }

    private static String mark(StepResult s) {
        return switch (s.status()) {
            case SUCCEEDED -> "ok  ";
            case FAILED -> "FAIL";
            case SKIPPED -> "skip";
            case NOT_RUN_IN_DRY_RUN -> "n/a ";
        };
    }

    private static String detail(StepResult s) {
        if (s.error().isPresent()) {
            return s.error().get();
        }
        if (!s.summary().isEmpty()) {
            return s.summary();
        }
        return s.output().map(o -> "-> " + o).orElse("");
    }

    private void line(String text) {
        out.accept(text);
    }
}
