package dev.runbook.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps runbook-core small and its packages layered. */
class CoreArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.runbook.core");
    }

    @Test
    void coreDependsOnlyOnTheJdkMvelAndSlf4j() {
        classes().that().resideInAPackage("dev.runbook.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.runbook.core..", "java..", "javax..",
                        "org.mvel2..", "org.slf4j..", "com.sun.net.httpserver..")
                .because("every dependency of core is a dependency of every host")
                .check(core);
    }

    @Test
    void coreKnowsNoOtherModule() {
        noClasses().that().resideInAPackage("dev.runbook.core..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.runbook.dsl..", "dev.runbook.k8s..",
                        "dev.runbook.neo4j..", "dev.runbook.docker..", "dev.runbook.slack..", "dev.runbook.cli..",
                        "dev.runbook.mcp..", "dev.runbook.examples..")
                .because("integrations plug into core from the outside, never the other way round")
                .check(core);
    }

    @Test
    void onlyTheExpressionPackageTouchesMvel() {
        noClasses().that().resideOutsideOfPackage("dev.runbook.core.expression..")
                .should().dependOnClassesThat().resideInAPackage("org.mvel2..")
                .because("the sandbox in dev.runbook.core.expression is the only door to MVEL")
                .check(core);
    }

    @Test
    void noPackageCycles() {
        // A package and its .internal implementation form one slice (the resilience4j layout).
        slices().matching("dev.runbook.core.(*)..").should().beFreeOfCycles().check(core);
    }

    @Test
    void theLibraryNeverPrintsOrExits() {
        noClasses().that().resideInAPackage("dev.runbook.core..")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .orShould().callMethod(System.class, "exit", int.class)
                .orShould().callMethod(Runtime.class, "halt", int.class)
                .because("a library logs through slf4j and leaves the process to its host")
                .check(core);
    }
}
