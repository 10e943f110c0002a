package dev.runbook.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Runbook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every problem of a Markdown runbook is reported at its line and column in the .md file. */
class MarkdownDiagnosticsTest {
    private final RunbookLoader loader = RunbookLoader.builder().build();

    private static final String HEADER = """
            ---
            id: restart-v1
            trigger:
              root_cause_reason: MEMORY_SPIKE
            ---

            # Restart the container

            ## Steps

            """;

    private List<String> problems(String markdown) {
        return loader.loadString(markdown, "rb.md").diagnostics().stream().map(Diagnostic::toString).toList();
    }

    private Runbook load(String markdown) {
        LoadResult r = loader.loadString(markdown, "rb.md");
        assertThat(r.diagnostics()).isEmpty();
        return r.runbooksOrThrow().get(0);
    }

    @Test
    void aMisspelledFrontMatterKeyIsReportedWhereItIsWritten() {
        assertThat(problems("""
                ---
                id: restart-v1
                nmae: Restart
                ---
                ## Steps
                ### Restart
                ```yaml
                action: restart-container
                params: {container: web}
                ```
                """)).containsExactly("rb.md:3:1: nmae: unknown key 'nmae' in runbook (did you mean 'name'?) (allowed: "
                + "id, name, version, author, description, labels, enabled, trigger, safety, parameters, steps, "
                + "notification, rollback)");
    }

    @Test
    void aBadParamInsideAStepBlockPointsIntoTheBlock() {
        assertThat(problems(HEADER + """
                ### Restart

                Prose before the block moves it down; positions follow.

                ```yaml
                action: restart-container
                params:
                  contianer: "{{ incident.resource.name }}"
                ```
                """)).containsExactly(
                "rb.md:17:1: steps[0].params: missing required parameter 'container' (container)",
                "rb.md:18:14: steps[0].params.contianer: unknown parameter 'contianer' (did you mean 'container'?) "
                        + "(accepted: container)");
    }

    @Test
    void anUnknownActionIsReportedAtItsValue() {
        assertThat(problems(HEADER + """
                ### Restart
                ```yaml
                action: restart-contaner
                params: {container: web}
                ```
                """)).containsExactly("rb.md:13:9: steps[0].action: unknown action 'restart-contaner' "
                + "(did you mean 'restart-container'?)");
    }

    @Test
    void aTemplateErrorInABlockIsReportedAtTheTemplate() {
        assertThat(problems(HEADER + """
                ### Restart
                ```yaml
                action: restart-container
                params:
                  container: "{{ incident.resource.name "
                ```
                """)).containsExactly(
                "rb.md:15:14: steps[0].params.container: unclosed '{{' in '{{ incident.resource.name '");
    }

    @Test
    void anUnquotedTemplateInsideAPatchBlockScalarIsReportedAtItsFileLine() {
        assertThat(problems(HEADER + """
                ### Patch the deployment
                ```yaml
                action: kubectl_patch
                params:
                  resource: deployment
                  patch: |
                    spec:
                      replicas: 2
                      template:
                        metadata:
                          name: {{ incident.resource.name }}
                ```
                """)).containsExactly("rb.md:21:17: unquoted template: YAML reads {{ ... }} as a map; quote the value, "
                + "for instance name: \"{{ incident.resource.name }}\"");
    }

    @Test
    void templateProblemsInsideAPatchAndDuplicateKeysInABlockAreReportedAtTheirFilePositions() {
        assertThat(problems(HEADER + """
                ### Patch the deployment
                ```yaml
                action: kubectl_patch
                params:
                  resource: deployment
                  resource: pod
                  patch: |
                    spec:
                      template:
                        metadata:
                          name: "{{ undefined_var }}"
                ```
                """)).containsExactly(
                "rb.md:16:3: duplicate key 'resource' (first at line 15); remove one of them",
                "rb.md:21:17: warning: steps[0].params.patch.spec.template.metadata.name: unknown variable 'undefined_var' "
                        + "(known: execution, incident) in '{{ undefined_var }}'"
                        + ": the host must supply it; declare it in parameters: or as a host parameter");
    }

    @Test
    void aYamlSyntaxErrorInABlockIsReportedAtItsFileLine() {
        assertThat(problems(HEADER + """
                ### Restart
                ```yaml
                action: restart-container
                params:
                  container: web: x
                ```
                """)).containsExactly("rb.md:15:17: the yaml block of step 'Restart' is not valid YAML: mapping values "
                + "are not allowed here");
    }

    @Test
    void structuralMistakesAreReportedTogetherWithPositions() {
        assertThat(problems("""
                ---
                id: restart-v1
                steps: []
                ---
                # Restart

                ```yaml
                action: restart-container
                ```

                ## Steps

                ```yaml
                action: restart-container
                ```

                ### Look first

                ### Restart
                ```yaml
                action: restart-container
                params: {container: web}
                ```
                ```yml
                timeout: 30s
                ```

                ### Named twice
                ```yaml
                name: other
                action: restart-container
                params: {container: web}
                ```

                ## Rolback

                ### Undo
                """)).containsExactly(
                "rb.md:3:1: steps: steps are not written in the front matter; write them under ## Steps as ### "
                        + "headings, each with a ```yaml block",
                "rb.md:7:1: a yaml block outside the ## Steps and ## Rollback sections; header fields go in the front "
                        + "matter, steps under ## Steps as ### headings (mark an example that is not part of the "
                        + "runbook ```text)",
                "rb.md:13:1: a yaml block outside a step; put it under a ### heading that names the step",
                "rb.md:17:1: step 'Look first' has no ```yaml block; add one under its heading with the step's action: "
                        + "and params:",
                "rb.md:24:1: step 'Restart' has a second yaml block (the first is at line 20); put the action, params "
                        + "and options of a step in one block, or mark an example block ```text",
                "rb.md:30:1: step 'Named twice': the step's name is its ### heading; remove name: from the yaml block",
                "rb.md:35:4: unknown section '## Rolback' (did you mean 'Rollback'?); a runbook's sections are "
                        + "## Steps and ## Rollback");
    }

    @Test
    void aFileWithoutFrontMatterOrStepsSaysWhatIsMissing() {
        assertThat(problems("""
                # Restart

                ## Steps

                ### Restart
                ```yaml
                action: [oops
                ```
                """)).containsExactly(
                "rb.md:1:1: a Markdown runbook starts with YAML front matter: a line ---, the runbook's header (id:, "
                        + "name:, trigger:, safety:, ...), and a closing line ---",
                "rb.md:8:1: the yaml block of step 'Restart' is not valid YAML: expected ',' or ']', but got "
                        + "<stream end> (while parsing a flow sequence)");
        assertThat(problems("""
                ---
                id: restart-v1
                ---
                # Restart

                Nothing to do yet.
                """)).containsExactly("rb.md:4:1: missing the ## Steps section; add ## Steps with a ### heading and "
                + "a ```yaml block per step");
        assertThat(problems("""
                ---
                runbook:
                  id: restart-v1
                ---
                ## Steps
                ### Restart
                ```yaml
                action: restart-container
                params: {container: web}
                ```
                ```text
                ### unclosed
                """)).containsExactly(
                "rb.md:2:1: the front matter holds the runbook's fields directly; remove the runbook: level and "
                        + "unindent its keys",
                "rb.md:11:1: this fenced block is not closed; end it with a line ```");
    }

    @Test
    void headingsInsideFencedBlocksAndDocumentationSectionsDoNotCount() {
        Runbook rb = load("""
                ---
                id: restart-v1
                name: Restart the web container
                ---
                # Restart

                ## Background

                ### Why

                Prose and examples:

                ~~~bash
                ## Steps
                ### Not a step
                ~~~

                ## Steps

                ### Restart

                #### Notes for humans

                ```yaml
                ### a YAML comment, not a heading
                action: restart-container   ## closing hashes are text in YAML
                params: {container: web}
                ```

                ### Decide #

                ````yaml
                if: "incident.attributes.memory_percent > 95"
                then:
                  - name: Restart again
                    action: restart-container
                    params: {container: web}
                ````
                """);
        assertThat(rb.name()).isEqualTo("Restart the web container");
        assertThat(rb.steps().steps()).extracting(s -> s.name()).containsExactly("Restart", "Decide");
        assertThat(((ActionStep) rb.steps().steps().get(0)).action()).isEqualTo("restart-container");
        assertThat(((BranchStep) rb.steps().steps().get(1)).then()).extracting(s -> s.name()).containsExactly("Restart again");
    }

    @Test
    void theTitleIsTheNameWhenTheFrontMatterHasNone() {
        Runbook rb = load(HEADER + """
                ### Restart
                ```yaml
                action: restart-container
                params: {container: web}
                ```
                """);
        assertThat(rb.name()).isEqualTo("Restart the container");
    }

    @Test
    void aDirectorySkipsMarkdownFilesWithoutFrontMatterButAFileNamedExplicitlyIsRead(@TempDir Path dir)
            throws IOException {
        Files.writeString(dir.resolve("README.md"), "# Our runbooks\n\nSee the files here.\n");
        Files.writeString(dir.resolve("restart.md"), HEADER + """
                ### Restart
                ```yaml
                action: restart-container
                params: {container: web}
                ```
                """);
        LoadResult all = loader.load(dir);
        assertThat(all.diagnostics()).isEmpty();
        assertThat(all.runbooksOrThrow()).extracting(Runbook::id).containsExactly("restart-v1");
        assertThat(loader.load(dir.resolve("README.md")).diagnostics()).extracting(Diagnostic::toString).containsExactly(
                dir.resolve("README.md") + ":1:1: a Markdown runbook starts with YAML front matter: a line ---, the "
                        + "runbook's header (id:, name:, trigger:, safety:, ...), and a closing line ---");
    }

    @Test
    void anAliasBombInAStepBlockIsRefused() {
        var bomb = new StringBuilder("action: restart-container\nparams:\n  container: web\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 8; i++) {
            bomb.append("  a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                bomb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            bomb.append("]\n");
        }
        List<String> problems = problems(HEADER + "### Restart\n```yaml\n" + bomb + "```\n");
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("rb.md:19:12: the yaml block of step 'Restart' is refused: ");
    }

    private static final String HIDDEN = "rendered Markdown hides what is inside <!-- -->, so reviewers would not see "
            + "it, yet it would be loaded and run; ";

    @Test
    void aStepHiddenInAnHtmlCommentIsRefusedAtItsHeadingAndFence() {
        assertThat(problems(HEADER + """
                ### Restart

                ```yaml
                action: restart-container
                params: {container: web}
                ```

                <!--
                ### Wipe

                ```yaml
                action: restart-container
                params: {container: db}
                ```
                -->
                """)).containsExactly(
                "rb.md:19:1: a ### heading inside the HTML comment opened at line 18, column 1: " + HIDDEN
                        + "move it out of the comment so reviewers see it, or delete it",
                "rb.md:21:1: a ```yaml block inside the HTML comment opened at line 18, column 1: " + HIDDEN
                        + "move it out of the comment so reviewers see it, or delete it");
    }

    @Test
    void aBlockHiddenUnderAVisibleHeadingIsRefusedAtItsFence() {
        assertThat(problems(HEADER + """
                ### Restart

                Restarts the container. <!-- reviewers see only this sentence
                  ~~~yaml
                action: restart-container
                params: {container: web}
                  ~~~
                -->
                """)).containsExactly(
                "rb.md:11:1: step 'Restart' has no ```yaml block; add one under its heading with the step's action: "
                        + "and params:",
                "rb.md:14:3: a ```yaml block inside the HTML comment opened at line 13, column 25: " + HIDDEN
                        + "move it out of the comment so reviewers see it, or delete it");
    }

    @Test
    void closedCommentsCommentMarkersInCodeAndOtherHiddenFencesAreFine() {
        Runbook rb = load(HEADER + """
                <!-- a note for editors --> Prose `<!--` in inline code opens nothing.

                ### Restart

                <!--
                Commented-out notes, a shell snippet included, are documentation:
                ```bash
                docker restart web
                ```
                -->

                ```yaml
                action: restart-container
                params:
                  container: "<!-- {{ incident.resource.name }}"
                ```

                ```text
                <!-- inside a fenced block this is code
                ```
                """);
        assertThat(rb.steps().steps()).extracting(s -> s.name()).containsExactly("Restart");
    }
}
