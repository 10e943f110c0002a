package dev.runbook.core.compile.internal;

import dev.runbook.core.expression.ExpressionCompiler;
import dev.runbook.core.expression.UnknownVariableException;
import dev.runbook.core.internal.Suggestions;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Compiles a template or expression whose unknown variables may be values the host supplies (the seed's
 * {@code registry_config}). A name close to a known one is a typo and stays an error; so is a name a later step
 * sets, or one that cannot be a variable.
 */
public final class HostNames {
    /** More unknown names than this in one text is not a host's set of values but a broken text. */
    private static final int MAX_NAMES = 16;

    private HostNames() {
    }

    /**
     * What was compiled and the unknown names it was compiled with.
     *
     * @param compiled  the template or expression
     * @param unknown   names neither in scope nor declared as host parameters, taken as the host's to supply
     * @param <T>       the compiled type
     */
    public record Result<T>(T compiled, Set<String> unknown) {
        public Result {
            unknown = Set.copyOf(unknown);
        }
    }

    /**
     * Compiles {@code source} with {@code scope} and the host's names, adding each unknown name that is no typo.
     *
     * @param knownElsewhere names that exist but are not in scope here (outputs of later steps)
     * @throws dev.runbook.core.expression.ExpressionException the first problem that is not a host's value
     */
    public static <T> Result<T> compile(String source, Set<String> scope, Set<String> hostNames,
                                        Set<String> knownElsewhere, BiFunction<String, Set<String>, T> compiler) {
        if (hostNames.isEmpty()) {
            try {
                return new Result<>(compiler.apply(source, scope), Set.of()); // the usual case: no copy of the scope
            } catch (UnknownVariableException e) {
                // go on below
            }
        }
        var allowed = new LinkedHashSet<>(scope);
        allowed.addAll(hostNames);
        var unknown = new LinkedHashSet<String>();
        while (true) {
            try {
                return new Result<>(compiler.apply(source, allowed), unknown);
            } catch (UnknownVariableException e) {
                String name = e.name();
                var known = new LinkedHashSet<>(allowed);
                known.addAll(knownElsewhere);
                if (unknown.size() >= MAX_NAMES || knownElsewhere.contains(name)
                        || ExpressionCompiler.variableNameProblem(name).isPresent()
                        || Suggestions.closest(name, known).isPresent()) {
                    throw e;
                }
                unknown.add(name);
                allowed.add(name);
            }
        }
    }
}
