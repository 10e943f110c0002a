package dev.runbook.core.compile;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.compile.internal.BodyKey;
import dev.runbook.core.compile.internal.Chains;
import dev.runbook.core.compile.internal.Chains.ChainRef;
import dev.runbook.core.compile.internal.HostNames;
import dev.runbook.core.compile.internal.IncidentPaths;
import dev.runbook.core.compile.internal.NameSets;
import dev.runbook.core.compile.internal.Scopes;
import dev.runbook.core.compile.internal.StepChecks;
import dev.runbook.core.expression.CompiledExpression;
import dev.runbook.core.expression.CompiledTemplate;
import dev.runbook.core.expression.ExpressionCompiler;
import dev.runbook.core.expression.ExpressionException;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Ids;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Step;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles the body of one runbook (its parameters, steps, rollback and notifications), tracking which variables are
 * in scope at each step and which names the runbook defines, reads from the host or keeps secret. One per distinct
 * body of a library; not thread-safe. Apart from {@link RunbookCompiler}, which builds the library around it, and in
 * this package because the {@link CompiledParams} trees it builds are not public.
 */
final class BodyCompiler {
    /**
     * A compiled body (as compiled for the first runbook that has it) with its chains and the problems found in it,
     * under that runbook's id.
     */
    record Body(CompiledRunbook compiled, List<ChainRef> chains, List<Problem> problems) {
        Body {
            chains = List.copyOf(chains);
            problems = List.copyOf(problems);
        }
    }

    private final Runbook rb;
    private final List<Problem> problems;
    private final Set<String> libraryIds;
    private final NameSets names;
    private final ActionRegistry registry;
    private final ExpressionCompiler expressions;
    private final Set<String> hostParameters;
    private final List<ChainRef> chains = new ArrayList<>();
    // The three sets below start as the shared empty set and are made at their first name: most runbooks have no
    // secret and no output, and a library's build makes one such compiler per distinct body.
    private Set<String> secrets = Set.of();
    private Set<String> allOutputs = Set.of();
    /**
     * Names the runbook or the engine define somewhere, maybe not in scope where read: never the host's. Starts as
     * the shared {@link Scopes#RESERVED} set and is copied at the first name the runbook adds (most add none).
     */
    private Set<String> knownElsewhere = Scopes.RESERVED;
    private Set<String> actionNames = Set.of();
    /** Host parameters the runbook reads, each with the first field reading it. */
    private Map<String, String> hostRefs = Map.of();
    private int mutating;

    BodyCompiler(Runbook rb, Set<String> libraryIds, NameSets names, ActionRegistry registry,
                 ExpressionCompiler expressions, Set<String> hostParameters) {
        this.rb = rb;
        this.problems = new ArrayList<>();
        this.libraryIds = libraryIds;
        this.names = names;
        this.registry = registry;
        this.expressions = expressions;
        this.hostParameters = hostParameters;
    }

    private void knowElsewhere(String name) {
        if (knownElsewhere == Scopes.RESERVED) {
            knownElsewhere = new HashSet<>(Scopes.RESERVED);
        }
        knownElsewhere.add(name);
    }

    private void secret(String name) {
        if (secrets.isEmpty()) {
            secrets = new HashSet<>();
        }
        secrets.add(name);
    }

    private void problem(String path, String message) {
        problems.add(new Problem(rb.id(), path, message));
    }

    /** Everything but the id and the trigger: what runbooks with equal {@link BodyKey}s share. */
    Body compileBody() {
        var roots = new LinkedHashSet<>(Scopes.BASE_ROOTS);
        var paramNames = rb.parameters().isEmpty() ? Set.<String>of() : new HashSet<String>();
        for (Parameter p : rb.parameters()) {
            knowElsewhere(p.name());
        }
        for (int i = 0; i < rb.parameters().size(); i++) {
            Parameter p = rb.parameters().get(i);
            String path = "parameters[" + i + "]";
            boolean usable = Scopes.checkVariableName(p.name(), path + ".name", "parameter", expressions, rb.id(),
                    problems);
            if (!paramNames.add(p.name())) {
                problem(path + ".name", "duplicate parameter " + Ids.quote(p.name()));
            }
            if (usable) {
                roots.add(p.name());
            }
            if (p.secret()) {
                secret(p.name());
            }
        }
        collectOutputs(rb.steps().steps());
        StepChecks.checkStepNames(rb.steps().steps(), "steps", rb.id(), problems);
        StepChecks.checkStepNames(rb.rollback(), "rollback", rb.id(), problems);

        var steps = compileSteps(rb.steps().steps(), "steps", roots);
        // The scopes after the steps are built only when something reads them: most runbooks have no rollback
        // or notifications, and a library compiles every runbook.
        boolean failurePart = !rb.rollback().isEmpty() || !rb.notifications().onFailure().isEmpty();
        Set<String> failureRoots = Set.of();
        if (failurePart) {
            failureRoots = new LinkedHashSet<>(roots);
            failureRoots.addAll(allOutputs);
            failureRoots.addAll(Scopes.FAILURE_ROOTS);
        }
        int mutatingInSteps = mutating;
        var rollback = compileSteps(rb.rollback(), "rollback", failureRoots);
        mutating = mutatingInSteps;
        Set<String> successRoots = Set.of();
        if (!rb.notifications().onSuccess().isEmpty()) {
            successRoots = new LinkedHashSet<>(roots);
            successRoots.addAll(allOutputs);
        }
        var onSuccess = compileNotifications(rb.notifications().onSuccess(), "notification.on_success", successRoots);
        var onFailure = compileNotifications(rb.notifications().onFailure(), "notification.on_failure", failureRoots);
        return new Body(new CompiledRunbook(rb, steps, rollback, onSuccess, onFailure, names.of(allOutputs),
                names.of(secrets), mutating, names.of(actionNames), hostRefs), chains, problems);
    }

    /** The output variables of these steps and the steps nested in them, walked without a flattened copy. */
    private void collectOutputs(List<Step> steps) {
        for (Step s : steps) {
            if (s instanceof ActionStep a) {
                if (a.outputVar().isPresent()) {
                    String v = a.outputVar().get();
                    knowElsewhere(v);
                    // Reported where the step is compiled; an unusable name must not become a root.
                    if (Ids.variableNameProblem("output_var", v).isEmpty()
                            && ExpressionCompiler.variableNameProblem(v).isEmpty()) {
                        if (allOutputs.isEmpty()) {
                            allOutputs = new LinkedHashSet<>();
                        }
                        allOutputs.add(v);
                    }
                }
            } else if (s instanceof BranchStep b) {
                collectOutputs(b.then());
                collectOutputs(b.otherwise());
            }
        }
    }

    /** Compiles a sequence; {@code roots} grows with each step's output variable. */
    private List<CompiledStep> compileSteps(List<Step> steps, String base, Set<String> roots) {
        if (steps.isEmpty()) {
            return List.of();
        }
        var out = new ArrayList<CompiledStep>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            String path = base + "[" + i + "]";
            Step s = steps.get(i);
            Optional<CompiledExpression> when = s.when().flatMap(w -> expression(w, path + ".when", roots));
            if (s instanceof ActionStep a) {
                compileAction(a, path, roots, when).ifPresent(out::add);
                a.outputVar().ifPresent(v -> {
                    if (Scopes.checkVariableName(v, path + ".output_var", "output_var", expressions, rb.id(),
                            problems)) {
                        roots.add(v);
                    }
                });
            } else {
                BranchStep b = (BranchStep) s;
                Optional<CompiledExpression> cond = expression(b.condition(), path + ".if", roots);
                var thenRoots = new LinkedHashSet<>(roots);
                var then = compileSteps(b.then(), path + ".then", thenRoots);
                var elseRoots = new LinkedHashSet<>(roots);
                var otherwise = compileSteps(b.otherwise(), path + ".else", elseRoots);
                // After the branch, outputs of either side are defined (null when that side did not run).
                roots.addAll(thenRoots);
                roots.addAll(elseRoots);
                if (b.then().isEmpty() && b.otherwise().isEmpty()) {
                    problem(path, "branch '" + b.name() + "' has neither then nor else steps");
                }
                cond.ifPresent(c -> out.add(new CompiledStep.Branch(b, c, when, then, otherwise)));
            }
        }
        return out;
    }

    /** The compiled step; empty when its action is unknown (a problem reported: the runbook is not built). */
    private Optional<CompiledStep> compileAction(ActionStep a, String path, Set<String> roots,
                                                 Optional<CompiledExpression> when) {
        Optional<Action> action = Optional.empty();
        Optional<String> target = Optional.empty();
        ParamSchema schema;
        boolean chain = a.action().equals(RunbookCompiler.CHAIN_ACTION);
        if (chain) {
            schema = RunbookCompiler.CHAIN_SCHEMA;
            mutating++;
            target = Chains.checkTarget(a, path, libraryIds, chains, rb.id(), problems);
        } else {
            action = registry.find(a.action());
            if (action.isEmpty()) {
                StepChecks.unknownAction(a.action(), path, registry, rb.id(), problems);
                schema = ParamSchema.open();
            } else {
                schema = action.get().schema();
                if (actionNames.isEmpty()) {
                    actionNames = new HashSet<>(4);
                }
                actionNames.add(action.get().name());
                if (action.get().mutating()) {
                    mutating++;
                }
            }
        }
        String paramsPath = path + ".params";
        StepChecks.checkParams(a.params(), schema, paramsPath, action.isPresent() || chain, rb.id(), problems);
        CompiledParams params = params(a.params(), paramsPath, roots);
        StepChecks.checkTimeout(a, path, rb.id(), problems);
        Optional<CompiledExpression> expect = a.expect().flatMap(e -> expectExpression(e, path + ".expect", roots));
        if (chain) {
            return Optional.of(new CompiledStep.Chain(a, target, params, when));
        }
        return action.map(act -> new CompiledStep.Call(a, act, params, when, expect));
    }

    private List<CompiledRunbook.CompiledNotification> compileNotifications(List<Notification> list, String base,
                                                                          Set<String> roots) {
        if (list.isEmpty()) {
            return List.of();
        }
        var out = new ArrayList<CompiledRunbook.CompiledNotification>();
        for (Notification n : list) {
            out.add(new CompiledRunbook.CompiledNotification(n, params(n.params(), base + "." + n.channel(), roots)));
        }
        return out;
    }

    private CompiledParams params(ParamValue.MapValue tree, String path, Set<String> roots) {
        return new CompiledParams((CompiledParams.MapNode) node(tree, path, roots));
    }

    private CompiledParams.Node node(ParamValue v, String path, Set<String> roots) {
        if (v instanceof ParamValue.MapValue m) {
            // Kept for the engine's life, once per step of the library: a map of one entry (the usual step of
            // one parameter) is the smallest immutable map; larger ones keep their order at their exact size.
            if (m.entries().isEmpty()) {
                return new CompiledParams.MapNode(Map.of());
            }
            if (m.entries().size() == 1) {
                var only = m.entries().entrySet().iterator().next();
                return new CompiledParams.MapNode(Map.of(only.getKey(),
                        node(only.getValue(), path + "." + only.getKey(), roots)));
            }
            var out = new LinkedHashMap<String, CompiledParams.Node>((int) (m.entries().size() / 0.75f) + 1);
            m.entries().forEach((k, x) -> out.put(k, node(x, path + "." + k, roots)));
            return new CompiledParams.MapNode(java.util.Collections.unmodifiableMap(out));
        }
        if (v instanceof ParamValue.ListValue l) {
            var out = new ArrayList<CompiledParams.Node>();
            for (int i = 0; i < l.items().size(); i++) {
                out.add(node(l.items().get(i), path + "[" + i + "]", roots));
            }
            return new CompiledParams.ListNode(List.copyOf(out));
        }
        if (v instanceof ParamValue.Scalar s && s.value() instanceof String text && text.contains("{{")) {
            try {
                var r = HostNames.compile(text, roots, hostParameters, knownElsewhere, expressions::compileTemplate);
                CompiledTemplate t = r.compiled();
                checkScope(t.referencedRoots(), t.referencedPaths(), r.unknown(), roots, path, text);
                return new CompiledParams.Leaf(t, CompiledParams.intersects(t.referencedRoots(), secrets));
            } catch (ExpressionException e) {
                problem(path, e.getMessage());
                return new CompiledParams.Literal(text);
            }
        }
        return new CompiledParams.Literal(v.toPlain());
    }

    private Optional<CompiledExpression> expression(String source, String path, Set<String> roots) {
        try {
            var r = HostNames.compile(source, roots, hostParameters, knownElsewhere, expressions::compileExpression);
            CompiledExpression c = r.compiled();
            checkScope(c.referencedRoots(), c.referencedPaths(), r.unknown(), roots, path, source);
            return Optional.of(c);
        } catch (ExpressionException e) {
            problem(path, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Reports paths into the incident that it lacks, warns about names taken as host parameters, and notes
     * every host parameter read (masked in records, as secrets are: they are often credentials).
     */
    private void checkScope(Set<String> referenced, Set<List<String>> paths, Set<String> unknown, Set<String> roots,
                            String path, String source) {
        IncidentPaths.check(paths, path, source, rb.id(), problems);
        for (String name : unknown) {
            problems.add(new Problem(rb.id(), path, "unknown variable '" + name + "' (known: "
                    + String.join(", ", new java.util.TreeSet<>(roots)) + ") in '" + source + "': the host must supply it;"
                    + " declare it in parameters: or as a host parameter", Problem.Severity.WARNING));
        }
        for (String name : referenced) {
            if (!roots.contains(name) && (unknown.contains(name) || hostParameters.contains(name))) {
                if (hostRefs.isEmpty()) {
                    hostRefs = new LinkedHashMap<>(); // made at the first: most runbooks read no host value
                }
                hostRefs.putIfAbsent(name, path);
                secret(name);
            }
        }
    }

    private Optional<CompiledExpression> expectExpression(String source, String path, Set<String> roots) {
        Set<String> allowed;
        try {
            allowed = Scopes.expectScope(source, roots, expressions, path, rb.id(), problems);
        } catch (ExpressionException e) {
            problem(path, e.getMessage());
            return Optional.empty();
        }
        return allowed == null ? Optional.empty() : expression(source, path, allowed);
    }
}
