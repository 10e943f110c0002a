package dev.runbook.cli.internal;

import dev.runbook.cli.RunbookCli;
import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.compile.RunbookValidationException;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.ExecutionView;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.engine.StepResult;
import dev.runbook.core.engine.StepStatus;
import dev.runbook.core.guard.GuardDecision;
import dev.runbook.core.expression.ExpressionCompiler;
import dev.runbook.core.match.MatchReport;
import dev.runbook.core.match.RunbookMatch;
import dev.runbook.core.match.RunbookMatcher;
import dev.runbook.core.model.Incident;
import dev.runbook.dsl.LoadResult;
import dev.runbook.dsl.LoadedRunbook;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runbook plan --incident FILE PATH...}: the engine's plan (guards, then the dry run of the best match);
 * changes nothing.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Shows what the engine would do for an incident: the guard decisions, then the dry run of the "
                + "matched runbook with each rendered step and the resources it would touch. Changes nothing.",
                "With a target (--kube-context, --neo4j-uri, --docker-host or their environment variables) the action "
                + "providers run their own dry run: read actions read, mutating actions only report. Without one, "
                + "no action is called: steps are rendered and shown as 'would call ACTION'.",
                "Exit 0 when the plan passes every guard, 1 when nothing matches, a guard denies or a file has "
                + "problems."})
public final class PlanCommand extends BaseCommand {
    static final String NO_TARGET_NOTE = "no target configured (--kube-context, --neo4j-uri, --docker-host or "
            + "RUNBOOK_K8S_CONTEXT, KUBECONFIG, RUNBOOK_NEO4J_URI, DOCKER_HOST): no action is called; read actions "
            + "produce no output, so later templates render with empty values";

    @Option(names = "--incident", required = true, paramLabel = "FILE", description = "the incident as JSON")
    Path incident;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "runbook files or folders")
    List<Path> paths;

    @Option(names = "--kube-context", paramLabel = "NAME",
            description = "kubeconfig context (env RUNBOOK_K8S_CONTEXT; property runbook.k8s.context)")
    String kubeContext;

    @Option(names = "--neo4j-uri", paramLabel = "URI",
            description = "Neo4j Bolt URI (env RUNBOOK_NEO4J_URI; property runbook.neo4j.uri)")
    String neo4jUri;

    @Option(names = "--neo4j-user", paramLabel = "USER",
            description = "Neo4j user (env RUNBOOK_NEO4J_USER; property runbook.neo4j.user)")
    String neo4jUser;

    @Option(names = "--neo4j-password", paramLabel = "PASSWORD",
            description = "Neo4j password (prefer env RUNBOOK_NEO4J_PASSWORD; property runbook.neo4j.password)")
    String neo4jPassword;

    @Option(names = "--docker-host", paramLabel = "URI",
            description = "Docker API, e.g. unix:///run/podman/podman.sock (env DOCKER_HOST; property DOCKER_HOST)")
    String dockerHost;

    @Option(names = "--call-providers",
            description = "call the providers' own dry run even with no target configured")
    boolean callProviders;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "a value for a runbook parameter")
    Map<String, String> params = new LinkedHashMap<>();

    public PlanCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    int run(Plugins plugins) {
        Incident inc = IncidentFile.read(incident);
        TargetConfig target = TargetConfig.resolve(env, kubeContext, neo4jUri, neo4jUser, neo4jPassword, dockerHost,
                callProviders);
        // Providers may read their configuration when they are created, so the properties are set first.
        try (TargetConfig.Applied applied = target.apply()) {
            List<ActionProvider> providers = plugins.providers();
            ActionRegistry registry = Plugins.registry(providers);
            LoadResult loaded = Library.load(paths, registry, true);
            if (!loaded.ok()) {
                return ProblemOutput.print(common, out(), loaded);
            }
            var builder = RunbookEngine.builder().discoverActions(false)
                    .runbooks(loaded.runbooks().stream().map(LoadedRunbook::runbook).toList());
            for (ActionProvider p : providers) {
                builder.actionProvider(target.callsProviders() ? p : NotCalled.wrap(p));
            }
            params.forEach(builder::parameter);
            Execution plan;
            try (RunbookEngine engine = builder.build()) {
                plan = engine.plan(inc);
            } catch (RunbookValidationException | IllegalStateException e) {
                throw new CliException(RunbookCli.EXIT_PROBLEMS, oneLine(e), e);
            }
            // The engine considers only runbooks indexed under the incident's reason; with no match, say why for all.
            MatchReport match = plan.status() == ExecutionStatus.NO_MATCH
                    ? RunbookMatcher.of(engineRunbooks(loaded), ExpressionCompiler.standard()).explainAll(inc)
                    : plan.match();
            print(plan, match, inc, registry, Reports.files(loaded), target);
            return plan.status() == ExecutionStatus.PLANNED ? RunbookCli.EXIT_OK : RunbookCli.EXIT_PROBLEMS;
        }
    }

    private static List<dev.runbook.core.model.Runbook> engineRunbooks(LoadResult loaded) {
        return loaded.runbooks().stream().map(LoadedRunbook::runbook).toList();
    }

    private void print(Execution plan, MatchReport match, Incident inc, ActionRegistry registry, Map<String, String> files,
                       TargetConfig target) {
        PrintWriter out = out();
        Optional<String> note = target.callsProviders() ? Optional.empty() : Optional.of(NO_TARGET_NOTE);
        if (common.json()) {
            out.println(JsonOut.write(JsonOut.obj(
                    "incident", inc.toMap(),
                    "status", plan.status().name(),
                    "runbook", plan.runbookId().isEmpty() ? null : plan.runbookId(),
                    "file", files.get(plan.runbookId()),
                    "target", JsonOut.obj("configured", !target.targets().isEmpty(), "targets", target.targets(),
                            "providers_called", target.callsProviders()),
                    "note", note,
                    "guards", JsonOut.list(plan.guardDecisions(), ExecutionView::guard),
                    "steps", JsonOut.list(plan.dryRunSteps(), (StepResult s) -> stepJson(s, registry)),
                    "touched", JsonOut.list(touched(plan), PlanCommand::touchedJson),
                    "error", plan.error(),
                    "match", JsonOut.obj(
                            "matches", JsonOut.list(match.matches(), m -> Reports.matchJson(m, files)),
                            "rejected", JsonOut.list(match.rejected(), m -> Reports.matchJson(m, files))))));
            out.flush();
            return;
        }
        out.println(TerminalText.escape(Reports.incidentLine(inc)));
        if (plan.status() == ExecutionStatus.NO_MATCH) {
            out.println("no runbook matches; nothing would run");
            for (RunbookMatch m : match.rejected()) {
                out.println(TerminalText.escape("  - " + m.runbook().id() + " (" + files.get(m.runbook().id())
                        + "): " + m.why()));
            }
            out.flush();
            return;
        }
        out.println(TerminalText.escape("runbook " + plan.runbookId() + " (" + files.get(plan.runbookId()) + ")"
                + match.matches().stream().findFirst().map(m -> ": " + m.why()).orElse("")));
        out.println("guards:");
        for (GuardDecision g : plan.guardDecisions()) {
            out.println(TerminalText.escape("  " + g));
        }
        if (!plan.dryRunSteps().isEmpty()) {
            out.println(TerminalText.escape("dry run"
                    + (target.targets().isEmpty() ? "" : " against " + String.join(", ", target.targets()))
                    + ":"));
            note.ifPresent(n -> out.println(TerminalText.escape("  note: " + n)));
            int i = 1;
            for (StepResult s : plan.dryRunSteps()) {
                out.println(TerminalText.escape("  " + i++ + ". " + s.name() + " [" + kind(s.action(), registry) + "] "
                        + outcome(s)));
                s.params().forEach((k, v) -> out.println(TerminalText.escape("       " + k + ": " + paramText(v))));
                s.output().ifPresent(o -> out.println(TerminalText.escape("       output: " + paramText(o))));
                for (TouchedResource t : s.touched()) {
                    out.println(TerminalText.escape("       touches " + t.key()
                            + (t.change().isEmpty() ? "" : ": " + t.change())));
                }
            }
            List<TouchedResource> all = touched(plan);
            out.println(TerminalText.escape("resources it would touch: " + (all.isEmpty() ? "none reported"
                    : String.join(", ", all.stream().map(TouchedResource::key).toList()))));
        }
        if (plan.status() == ExecutionStatus.PLANNED) {
            out.println("result: PLANNED (nothing was changed)");
        } else {
            out.println(TerminalText.escape("result: " + plan.status() + plan.error().map(e -> ": " + e).orElse("")
                    + " (nothing was changed)"));
        }
        out.flush();
    }

    private static String kind(String action, ActionRegistry registry) {
        Optional<Action> a = registry.find(action);
        return a.map(x -> action + ", " + (x.mutating() ? "mutating" : "read")).orElse(action);
    }

    private static String outcome(StepResult s) {
        return switch (s.status()) {
            case NOT_RUN_IN_DRY_RUN -> s.summary().isEmpty() ? "would call " + s.action() : s.summary();
            case SUCCEEDED -> "ok" + (s.summary().isEmpty() ? "" : ": " + s.summary());
            case SKIPPED -> "skipped";
            case FAILED -> "FAILED: " + s.error().orElse("");
        };
    }

    private static String paramText(Object v) {
        Object plain = ExecutionView.plain(v);
        if (plain instanceof String s) {
            // Multi-line text (queries, messages) stays readable but on one line per param.
            return s.strip().replace("\n", "\\n");
        }
        return JsonOut.compact(plain);
    }

    /** Core's step view ({@link ExecutionView#step}) plus what only a plan tells: is the action mutating, was it called. */
    private static Object stepJson(StepResult s, ActionRegistry registry) {
        var m = new LinkedHashMap<String, Object>(ExecutionView.step(s));
        m.put("mutating", registry.find(s.action()).map(Action::mutating).orElse(null));
        m.put("called", s.status() != StepStatus.NOT_RUN_IN_DRY_RUN && s.status() != StepStatus.SKIPPED
                && registry.find(s.action()).isPresent());
        return m;
    }

    private static Object touchedJson(TouchedResource t) {
        return JsonOut.obj("kind", t.kind(), "namespace", t.namespace(), "name", t.name(), "change", t.change());
    }

    private static List<TouchedResource> touched(Execution plan) {
        var seen = new LinkedHashMap<String, TouchedResource>();
        for (StepResult s : plan.dryRunSteps()) {
            s.touched().forEach(t -> seen.putIfAbsent(t.key(), t));
        }
        return List.copyOf(seen.values());
    }
}
