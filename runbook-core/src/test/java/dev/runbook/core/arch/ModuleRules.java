package dev.runbook.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
            "examples", "testkit");

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
                .should().dependOnClassesThat().resideInAPackage("dev.runbook.core.(*).internal..")
                .because("core's implementation packages are not API; depend on the package roots")
                .allowEmptyShould(true)
                .check(classes);
        slices().matching(base + ".(*)..").should().beFreeOfCycles().allowEmptyShould(true).check(classes);
    }
}
