package dev.runbook.core.compile;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.compile.internal.BodyKey;
import dev.runbook.core.compile.internal.Chains;
import dev.runbook.core.compile.internal.Chains.ChainRef;
import dev.runbook.core.compile.internal.IncidentPaths;
import dev.runbook.core.compile.internal.NameSets;
import dev.runbook.core.compile.internal.Scopes;
import dev.runbook.core.expression.ExpressionCompiler;
import dev.runbook.core.expression.ExpressionException;
import dev.runbook.core.model.Ids;
import dev.runbook.core.model.Runbook;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks runbooks and compiles their templates and expressions once, so that executions never parse.
 * Collects every problem of every runbook: unknown actions (with a did-you-mean), parameters that do not
 * fit the action's schema, template and expression syntax errors and sandbox refusals, variables that no
 * step, parameter or the incident defines, paths into {@code incident} that it cannot have (with a did-you-mean),
 * ids and names outside their alphabets ({@link Ids}), duplicate ids and step names, and chaining cycles. A variable
 * that nothing defines and that is no typo of a known name is taken as a host parameter: a
 * {@link Problem.Severity#WARNING}, listed in {@link CompiledRunbook#hostParameters()}.
 *
 * <p>Variables in scope: {@code incident}, {@code execution} ({@code id}, {@code runbook_id},
 * {@code runbook_version}, {@code dry_run}), the runbook's parameters, and the output variables of the
 * steps before; rollback steps and failure notifications also see {@code error_message} and
 * {@code failed_step}; an {@code expect} also sees {@code result} and the result's columns.
 */
public final class RunbookCompiler {
    /** The chaining action, run by the engine itself: {@link ActionRegistry#CHAIN_ACTION}, where it is reserved. */
    public static final String CHAIN_ACTION = ActionRegistry.CHAIN_ACTION;

    /** Its parameters. */
    public static final ParamSchema CHAIN_SCHEMA = ParamSchema.of(
            ParamSpec.required("runbook", ParamType.STRING, "id of the runbook to run"),
            ParamSpec.optional("params", ParamType.MAP, "values for the chained runbook's parameters"));

    private final ActionRegistry registry;
    private final ExpressionCompiler expressions;
    private final Set<String> hostParameters;

    /** A compiler that resolves actions in this registry and compiles with these expressions. */
    public RunbookCompiler(ActionRegistry registry, ExpressionCompiler expressions) {
        this(registry, expressions, Set.of());
    }

    /**
     * A compiler that also accepts these names in templates and expressions: values the host application supplies
     * to every runbook (registry credentials). A name that nothing defines and that is no typo of a known name is
     * taken as one more host parameter, with a {@link Problem.Severity#WARNING}; either way the runbook lists it in
     * {@link CompiledRunbook#hostParameters()}.
     *
     * @throws IllegalArgumentException when a name cannot be a variable, naming it
     */
    public RunbookCompiler(ActionRegistry registry, ExpressionCompiler expressions, Set<String> hostParameters) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.expressions = Objects.requireNonNull(expressions, "expressions");
        for (String name : hostParameters) {
            hostParameterProblem(name).ifPresent(m -> {
                throw new IllegalArgumentException(m);
            });
        }
        this.hostParameters = Set.copyOf(hostParameters);
    }

    /** Why this name cannot be a host parameter (not a usable variable name, or a built-in variable's). */
    public static Optional<String> hostParameterProblem(String name) {
        Objects.requireNonNull(name, "name");
        Optional<String> bad = Ids.variableNameProblem("host parameter", name)
                .or(() -> ExpressionCompiler.variableNameProblem(name).map(m -> "host parameter '" + name + "': " + m));
        if (bad.isEmpty() && Scopes.RESERVED.contains(name)) {
            bad = Optional.of("host parameter '" + name + "' is a built-in variable; choose another name");
        }
        return bad;
    }

    /** Every problem of these runbooks, errors and warnings (empty when they are fine). */
    public List<Problem> validate(Collection<Runbook> runbooks) {
        var problems = new ArrayList<Problem>();
        compileInto(runbooks, problems);
        return List.copyOf(problems);
    }

    /**
     * Compiles these runbooks as one library (chained runbooks must be among them).
     *
     * Warnings do not stop it: the names they are about are in {@link CompiledRunbook#hostParameters()}.
     *
     * @throws RunbookValidationException with every error found
     */
    public Map<String, CompiledRunbook> compileAll(Collection<Runbook> runbooks) {
        var problems = new ArrayList<Problem>();
        var out = compileInto(runbooks, problems);
        var errors = problems.stream().filter(Problem::isError).toList();
        if (!errors.isEmpty()) {
            throw new RunbookValidationException(errors);
        }
        return out;
    }

    private Map<String, CompiledRunbook> compileInto(Collection<Runbook> runbooks, List<Problem> problems) {
        // sized once: a library of 100,000 runbooks would otherwise rehash each map about 17 times
        int capacity = Math.max(16, (int) (runbooks.size() / 0.75f) + 1);
        var out = new LinkedHashMap<String, CompiledRunbook>(capacity);
        var ids = new HashSet<String>(capacity);
        for (Runbook rb : runbooks) {
            if (!ids.add(rb.id())) {
                problems.add(new Problem(rb.id(), "id", "duplicate runbook id " + Ids.quote(rb.id())
                        + ": every runbook needs its own id (bump the -vN suffix for a new version)"));
            }
        }
        var chains = new LinkedHashMap<String, List<ChainRef>>();
        // Libraries stamped from templates repeat bodies: each distinct body compiles once (its compiled steps are
        // immutable, so runbooks share them) and its problems are reported again under each runbook's id.
        var bodies = new HashMap<BodyKey, BodyCompiler.Body>();
        var names = new NameSets();
        for (Runbook rb : runbooks) {
            Ids.runbookIdProblem(rb.id()).ifPresent(m -> problems.add(new Problem(rb.id(), "id", m)));
            var key = BodyKey.of(rb);
            BodyCompiler.Body body = bodies.get(key);
            if (body == null) {
                body = new BodyCompiler(rb, ids, names, registry, expressions, hostParameters).compileBody();
                bodies.put(key, body);
            }
            for (Problem p : body.problems()) {
                problems.add(p.runbookId().equals(rb.id()) ? p
                        : new Problem(rb.id(), p.path(), p.message(), p.severity()));
            }
            if (rb.trigger().when().isPresent()) {
                triggerWhen(rb, rb.trigger().when().get(), problems);
            }
            CompiledRunbook compiled = body.compiled().runbook() == rb ? body.compiled() : body.compiled().withRunbook(rb);
            out.putIfAbsent(rb.id(), compiled);
            if (!body.chains().isEmpty()) {
                chains.put(rb.id(), body.chains()); // a runbook that chains nothing is on no cycle
            }
        }
        Chains.findCycles(chains, problems);
        return out;
    }

    /** The trigger's condition sees only the incident, as the matcher compiles it. */
    private void triggerWhen(Runbook rb, String source, List<Problem> problems) {
        try {
            IncidentPaths.check(expressions.compileExpression(source, Set.of("incident")).referencedPaths(),
                    "trigger.when", source, rb.id(), problems);
        } catch (ExpressionException e) {
            problems.add(new Problem(rb.id(), "trigger.when", e.getMessage()));
        }
    }
}
