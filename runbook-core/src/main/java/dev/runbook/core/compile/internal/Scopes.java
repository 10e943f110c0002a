package dev.runbook.core.compile.internal;

import dev.runbook.core.compile.Problem;
import dev.runbook.core.expression.ExpressionCompiler;
import dev.runbook.core.model.Ids;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which variables are in scope where: the engine's built-in variables, the names a runbook may give its own
 * variables, and the result columns an {@code expect} may read. Apart from the compiling of a runbook so that the
 * rules on names have one home, shared with the check of host parameters.
 */
public final class Scopes {
    /** Variables every template and expression of a runbook sees. */
    public static final Set<String> BASE_ROOTS = Set.of("incident", "execution");
    /** Variables rollback steps and failure notifications see besides. */
    public static final Set<String> FAILURE_ROOTS = Set.of("error_message", "failed_step");
    /** Names of the engine's variables, which no parameter, output or host value may take. */
    public static final Set<String> RESERVED = Set.of("incident", "execution", "error_message", "failed_step", "result");
    /**
     * Names in an {@code expect} that may be result columns: lowercase, and usable as a variable
     * ({@link ExpressionCompiler#variableNameProblem}: not a keyword nor a Java package root).
     */
    private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_]*");

    private Scopes() {
    }

    /**
     * Reports a name that cannot be a variable ({@code what}: parameter, output_var); true if expressions can use it
     * as a root.
     */
    public static boolean checkVariableName(String name, String path, String what, ExpressionCompiler expressions,
                                            String runbookId, List<Problem> problems) {
        Optional<String> badName = Ids.variableNameProblem(what, name);
        if (badName.isPresent()) {
            problems.add(new Problem(runbookId, path, badName.get()));
            return false;
        }
        if (RESERVED.contains(name)) {
            problems.add(new Problem(runbookId, path, what + " name '" + name + "' is reserved; choose another name"));
            return true; // a built-in variable of that name exists: expressions using it still compile
        }
        Optional<String> reserved = ExpressionCompiler.variableNameProblem(name);
        if (reserved.isPresent()) {
            problems.add(new Problem(runbookId, path, what + " name '" + name + "' cannot be used in expressions: "
                    + reserved.get() + "; choose another name"));
            return false;
        }
        if (expressions.functionNames().contains(name)) {
            problems.add(new Problem(runbookId, path, what + " name '" + name
                    + "' is the name of a template function; choose another name"));
        }
        return true;
    }

    /**
     * The variables an {@code expect} sees: {@code roots}, {@code result}, and the names it reads that may be result
     * columns; null when a name it reads cannot be a column (reported).
     *
     * @throws dev.runbook.core.expression.ExpressionException when {@code source} does not parse
     */
    public static Set<String> expectScope(String source, Set<String> roots, ExpressionCompiler expressions, String path,
                                          String runbookId, List<Problem> problems) {
        var allowed = new LinkedHashSet<>(roots);
        allowed.add("result");
        for (String r : expressions.referencedRoots(source)) {
            if (roots.contains(r) || !COLUMN.matcher(r).matches()) {
                continue;
            }
            Optional<String> reserved = ExpressionCompiler.variableNameProblem(r);
            if (reserved.isPresent()) {
                problems.add(new Problem(runbookId, path, "'" + r + "' cannot be a result column in expressions: "
                        + reserved.get()));
                return null;
            }
            allowed.add(r);
        }
        return allowed;
    }
}
