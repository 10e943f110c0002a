package dev.runbook.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.runbook.core.internal.Durations;
import dev.runbook.core.internal.Json;
import dev.runbook.core.internal.Suggestions;
import java.util.Arrays;
import java.util.List;

/**
 * Architecture rules every module checks from its own tests (this class ships in core's test-jar): a module
 * depends on core's API, never on core's implementation packages, and integrations plug into core from the
 * outside without knowing each other.
 */
public final class ModuleRules {
    /** Modules that no integration or front end may depend on. */
    private static final List<String> MODULES = List.of("dsl", "k8s", "neo4j", "docker", "slack", "dashboard", "cli", "mcp",
            "temporal", "examples", "testkit");

    /**
     * The pieces of {@code dev.runbook.core.internal} every module shares so that each job has one home (one JSON
     * policy, one duration format, one did-you-mean). Named one by one: anything else added to that package stays
     * core's own.
     */
    static final List<Class<?>> SHARED = List.of(Json.class, Durations.class, Suggestions.class);

    /**
     * Core's implementation: {@code dev.runbook.core.internal} itself and every {@code dev.runbook.core.X.internal},
     * except the {@link #SHARED} classes.
     */
    static final DescribedPredicate<JavaClass> CORE_IMPLEMENTATION = JavaClass.Predicates
            .resideInAnyPackage("dev.runbook.core.internal..", "dev.runbook.core.(*).internal..")
            .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(SHARED.toArray(Class<?>[]::new))))
            .as("core's implementation (dev.runbook.core.internal and dev.runbook.core.*.internal, but for "
                    + "the shared Json, Durations and Suggestions)");

    private ModuleRules() {
    }

    /**
     * Checks the production classes of module {@code module} (package {@code dev.runbook.<module>}).
     *
     * @param module  the module's package name under dev.runbook
     * @param allowed other modules it may depend on (the CLI bundles all of them, for instance)
     */
    public static void check(String module, String... allowed) {
        String base = "dev.runbook." + module;
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(base);
        List<String> ok = Arrays.asList(allowed);
        String[] forbidden = MODULES.stream().filter(m -> !m.equals(module) && !ok.contains(m))
                .map(m -> "dev.runbook." + m + "..").toArray(String[]::new);
        if (forbidden.length > 0) {
            noClasses().that().resideInAPackage(base + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                    .because("integrations plug into core from the outside and never depend on each other")
                    .allowEmptyShould(true)
                    .check(classes);
        }
        noClasses().that().resideInAPackage(base + "..")
                .should().dependOnClassesThat(CORE_IMPLEMENTATION)
                .because("core's implementation packages are not API; depend on the package roots (of"
                        + " dev.runbook.core.internal only the shared Json, Durations and Suggestions)")
                .allowEmptyShould(true)
                .check(classes);
        slices().matching(base + ".(*)..").should().beFreeOfCycles().allowEmptyShould(true).check(classes);
    }
}
