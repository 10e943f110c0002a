package dev.runbook.dsl.fluent;

import static dev.runbook.dsl.Runbooks.list;
import static dev.runbook.dsl.Runbooks.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.compile.RunbookCompiler;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.BranchStep;
import dev.runbook.core.model.Notification;
import dev.runbook.core.model.Notifications;
import dev.runbook.core.model.OnFailure;
import dev.runbook.core.model.ParamValue;
import dev.runbook.core.model.Parameter;
import dev.runbook.core.model.RetryPolicy;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Step;
import dev.runbook.core.model.StepGraph;
import dev.runbook.core.model.Trigger;
import dev.runbook.dsl.Runbooks;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RunbooksDslTest {

    // ---- the DSL gives the same model as the core record builders ----

    @Test
    void fullSeedRunbookEqualsTheOneBuiltWithCoreBuilders() {
        Map<String, Object> patch = Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(
                Map.of("name", "{{ incident.resource.container_name }}",
                        "resources", Map.of("limits", Map.of("memory", "{{ new_memory }}"))))))));
        Map<String, Object> revert = Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(
                Map.of("name", "{{ incident.resource.container_name }}",
                        "resources", Map.of("limits", Map.of("memory", "{{ current_memory }}"))))))));
        Runbook expected = Runbook.builder("oomkilled-increase-memory-v1")
                .name("Auto-remediate OOMKilled by increasing memory").version("1.0").author("sre-team")
                .trigger(Trigger.builder().rootCauseReason("OOMKilled").symptomReason("CrashLoopBackOff", "BackOff", "Error")
                        .minConfidence(0.80).resourceKind("Pod").build())
                .safety(Safety.builder().requireApproval(false).maxExecutionsPerHour(5).blastRadiusLimit(10)
                        .dryRunFirst(true).build())
                .step(ActionStep.builder("Get current memory limit", "kubectl_get").param("resource", "pod")
                        .param("name", "{{ incident.resource.name }}").param("namespace", "{{ incident.resource.namespace }}")
                        .param("field", "spec.containers[0].resources.limits.memory").outputVar("current_memory").build())
                .step(ActionStep.builder("Calculate new memory limit", "calculate")
                        .param("expression", "{{ current_memory | parse_memory | multiply(2) }}").outputVar("new_memory").build())
                .step(ActionStep.builder("Update Deployment memory limit", "kubectl_patch").param("resource", "deployment")
                        .param("name", "{{ incident.resource.controller }}").param("namespace", "{{ incident.resource.namespace }}")
                        .param("patch", patch).build())
                .step(ActionStep.builder("Wait for pod to restart", "wait")
                        .param("condition", "pod/{{ incident.resource.name }} ready").param("timeout", 300).build())
                .step(ActionStep.builder("Verify incident resolved", "check_neo4j")
                        .param("query", "MATCH (e:Episodic {eid: $incident_id})\n"
                                + "MATCH (new_incident:Episodic)-[:ABOUT]->(r:Resource {rid: $resource_rid})\n"
                                + "WHERE new_incident.event_time > $incident_time + duration({minutes: 5})\n"
                                + "  AND new_incident.reason IN ['OOMKilled', 'CrashLoopBackOff']\n"
                                + "RETURN count(new_incident) AS new_failures\n")
                        .expect("new_failures == 0").build())
                .notifications(new Notifications(
                        List.of(new Notification("slack", ParamValue.mapOf(Map.of("channel", "#incidents", "message",
                                "✅ Auto-remediated OOMKilled incident\nPod: {{ incident.resource.name }}\n"
                                        + "Action: Increased memory {{ current_memory }} → {{ new_memory }}\n"
                                        + "RCA Confidence: {{ incident.rca_confidence }}\n")))),
                        List.of(new Notification("slack", ParamValue.mapOf(Map.of("channel", "#incidents", "message",
                                "❌ Runbook failed for OOMKilled incident\nPod: {{ incident.resource.name }}\n"
                                        + "Error: {{ error_message }}\nManual intervention required\n"))))))
                .rollbackStep(ActionStep.builder("Revert memory change", "kubectl_patch").param("resource", "deployment")
                        .param("name", "{{ incident.resource.controller }}").param("patch", revert).build())
                .build();

        Runbook dsl = SeedRunbooksInJava.oomKilledIncreaseMemory();

        assertThat(dsl).isEqualTo(expected);
        assertThat(dsl.steps()).isEqualTo(expected.steps());
        // the nested helpers keep the written order, so the tree also reads back as written
        assertThat(((ParamValue.MapValue) dsl.steps().actionSteps().get(2).params().entries().get("patch"))
                .toPlain().toString())
                .isEqualTo("{spec={template={spec={containers=[{name={{ incident.resource.container_name }}, "
                        + "resources={limits={memory={{ new_memory }}}}}]}}}}");
    }

    @Test
    void everyModelFieldEqualsTheRecordsBuiltByHand() {
        Runbook dsl = Runbooks.runbook("all-fields-v2")
                .name("All fields").version("2.1").author("platform").description("covers every field")
                .label("team", "sre").labels(Map.of("tier", "gold")).enabled(false)
                .trigger(t -> t.rootCause("OOMKilled", "Evicted").symptoms("CrashLoopBackOff").minConfidence(0.7)
                        .resourceKinds("Pod", "Deployment").namespaces("prod").clusters("eu-1", "us-1")
                        .label("env", "prod").when("incident.rca_confidence > 0.9"))
                .safety(s -> s.requireApproval(true).maxExecutionsPerHour(4).blastRadiusLimit(3).dryRunFirst(true)
                        .minConfidence(0.9).cooldown(Duration.ofMinutes(10)).minActionSpacing(Duration.ofSeconds(5))
                        .maxExecutionsPerResourcePerHour(2).maxActionsPerHour(10)
                        .maxActionPerResourcePerHour("restart-container", 3).allowedNamespaces("prod", "staging")
                        .replicas(1, 5).envWhitelist("LOG_LEVEL", "FEATURE_X").resumeOnRecovery(true))
                .parameter("target", "what to act on")
                .parameter("factor", "memory multiplier", 2)
                .optionalParameter("ticket", "change ticket")
                .secret("registry_config", "docker config json")
                .parameter(new Parameter("token", "api token", Optional.of(ParamValue.text("t0")), true, false))
                .step("Patch").action("kubectl_patch")
                    .param("patch", map("a", list(1, 2.5f, true, null)))
                    .params(Map.of("resource", "deployment"))
                    .outputVar("patched").when("target != null").retry(3, Duration.ofSeconds(2))
                    .timeout(Duration.ofSeconds(30)).expect("result != null").onFailure(OnFailure.FAIL).idempotent()
                .step("Backoff").action("calculate").retry(RetryPolicy.exponential(4, Duration.ofSeconds(1),
                        Duration.ofSeconds(8)))
                .step("Chain").runRunbook("page-oncall-v1").param("reason", "{{ error_message }}")
                    .onFailure(OnFailure.CONTINUE)
                .notifyOnSuccess().slack("#ops", "done")
                .notifyOnSuccess().notify("webhook", Map.of("message", "ok", "labels", List.of("a")))
                .notifyOnFailure().slack("failed: {{ error_message }}")
                .rollback("Undo").action("kubectl_rollout_undo").param("resource", "deployment/web")
                .rollback("Tell").action("slack_notify").param("message", "rolled back")
                .build();

        Runbook byHand = new Runbook("all-fields-v2", "All fields", "2.1", "platform", "covers every field",
                Map.of("team", "sre", "tier", "gold"), false,
                new Trigger(Set.of("OOMKilled", "Evicted"), Set.of("CrashLoopBackOff"), 0.7, Set.of("Pod", "Deployment"),
                        Set.of("prod"), Set.of("eu-1", "us-1"), Map.of("env", "prod"),
                        Optional.of("incident.rca_confidence > 0.9")),
                new Safety(true, OptionalInt.of(4), OptionalInt.of(3), true, 0.9, Optional.of(Duration.ofMinutes(10)),
                        Optional.of(Duration.ofSeconds(5)), OptionalInt.of(2), OptionalInt.of(10),
                        Map.of("restart-container", 3), Set.of("prod", "staging"),
                        Optional.of(new Safety.ReplicaBounds(1, 5)), Set.of("LOG_LEVEL", "FEATURE_X"), true),
                new StepGraph(List.of(
                        new ActionStep("Patch", "kubectl_patch", ParamValue.mapOf(Map.of(
                                "patch", Map.of("a", Arrays.asList(1L, 2.5d, true, null)), "resource", "deployment")),
                                Optional.of("patched"), Optional.of("target != null"),
                                // retry(3, 2s) means what YAML's retry: {attempts: 3, backoff: 2s} means
                                new RetryPolicy(3, Duration.ofSeconds(2), 2.0, Duration.ofSeconds(30)),
                                Optional.of(Duration.ofSeconds(30)),
                                Optional.of("result != null"), OnFailure.FAIL, true),
                        ActionStep.builder("Backoff", "calculate")
                                .retry(new RetryPolicy(4, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(8))).build(),
                        ActionStep.builder("Chain", RunbookCompiler.CHAIN_ACTION).param("runbook", "page-oncall-v1")
                                .param("reason", "{{ error_message }}").onFailure(OnFailure.CONTINUE).build())),
                new Notifications(
                        List.of(new Notification("slack", ParamValue.mapOf(Map.of("channel", "#ops", "message", "done"))),
                                new Notification("webhook", ParamValue.mapOf(Map.of("message", "ok", "labels", List.of("a"))))),
                        List.of(new Notification("slack", ParamValue.mapOf(Map.of("message", "failed: {{ error_message }}"))))),
                List.of(ActionStep.builder("Undo", "kubectl_rollout_undo").param("resource", "deployment/web").build(),
                        ActionStep.builder("Tell", "slack_notify").param("message", "rolled back").build()),
                List.of(Parameter.required("target", "what to act on"),
                        Parameter.withDefault("factor", "memory multiplier", 2),
                        new Parameter("ticket", "change ticket", Optional.empty(), false, false),
                        Parameter.secret("registry_config", "docker config json"),
                        new Parameter("token", "api token", Optional.of(ParamValue.text("t0")), true, false)));

        assertThat(dsl).isEqualTo(byHand);
        // written order is kept where the model keeps order (sets and maps iterate as written)
        assertThat(dsl.trigger().resourceKinds()).containsExactly("Pod", "Deployment");
        assertThat(dsl.safety().envWhitelist()).containsExactly("LOG_LEVEL", "FEATURE_X");
        assertThat(dsl.labels().keySet()).containsExactly("team", "tier");
    }

    @Test
    void headerDefaultsAreThoseOfTheCoreBuilder() {
        Runbook dsl = Runbooks.runbook("minimal").step("Only").action("noop").build();
        Runbook core = Runbook.builder("minimal").step(ActionStep.builder("Only", "noop").build()).build();

        assertThat(dsl).isEqualTo(core);
        assertThat(dsl.name()).isEqualTo("minimal");
        assertThat(dsl.version()).isEqualTo("1");
        assertThat(dsl.trigger()).isEqualTo(Trigger.any());
        assertThat(dsl.safety()).isEqualTo(Safety.none());
    }

    // ---- branches ----

    @Test
    void nestedBranchesGiveTheSameGraphAsBranchRecords() {
        Runbook dsl = Runbooks.runbook("nested")
                .step("Probe").action("kubectl_get").outputVar("pod")
                .step("Is it running").branch("pod.status == 'Running'")
                    .then(t -> t
                            .step("Check memory").branch("pod.memory > 80")
                                .then(m -> m.step("Restart").action("restart-container"))
                                .otherwise(m -> m.step("Nothing to do").action("noop"))
                                .when("pod != null").onFailure(OnFailure.CONTINUE)
                            .step("Record").action("noop"))
                    .otherwise(o -> o.step("Recreate").action("kubectl_apply").param("manifest", map("kind", "Pod")))
                    .onFailure(OnFailure.FAIL)
                .step("After").action("noop")
                .build();

        BranchStep inner = new BranchStep("Check memory", "pod.memory > 80",
                List.of(ActionStep.builder("Restart", "restart-container").build()),
                List.of(ActionStep.builder("Nothing to do", "noop").build()), Optional.of("pod != null"),
                OnFailure.CONTINUE);
        BranchStep outer = new BranchStep("Is it running", "pod.status == 'Running'",
                List.of(inner, ActionStep.builder("Record", "noop").build()),
                List.of(ActionStep.builder("Recreate", "kubectl_apply").param("manifest", Map.of("kind", "Pod")).build()),
                Optional.empty(), OnFailure.FAIL);
        StepGraph expected = new StepGraph(List.of(ActionStep.builder("Probe", "kubectl_get").outputVar("pod").build(),
                outer, ActionStep.builder("After", "noop").build()));

        assertThat(dsl.steps()).isEqualTo(expected);
        assertThat(dsl.steps().flatten()).extracting(Step::name).containsExactly("Probe", "Is it running",
                "Check memory", "Restart", "Nothing to do", "Record", "Recreate", "After");
    }

    @Test
    void aBranchWithoutOtherwiseAndRollbackBranchesWork() {
        Runbook dsl = Runbooks.runbook("rb")
                .step("Maybe").branch("x > 1").then(t -> t.step("Do").action("noop")).when("x != null")
                .rollback("Undo if patched").branch("patched != null")
                    .then(t -> t.step("Undo").action("kubectl_rollout_undo"))
                    .otherwise(o -> o.step("Skip").action("noop"))
                .rollback("Do").action("noop") // rollback names are their own scope, as in the compiler
                .build();

        assertThat(dsl.steps().steps()).containsExactly(new BranchStep("Maybe", "x > 1",
                List.of(ActionStep.builder("Do", "noop").build()), List.of(), Optional.of("x != null"),
                OnFailure.ROLLBACK));
        assertThat(dsl.rollback()).containsExactly(
                BranchStep.of("Undo if patched", "patched != null",
                        List.of(ActionStep.builder("Undo", "kubectl_rollout_undo").build()),
                        List.of(ActionStep.builder("Skip", "noop").build())),
                ActionStep.builder("Do", "noop").build());
    }

    // ---- every stage narrows: the API offers only the next legal calls ----

    @Test
    void eachStageOffersOnlyWhatMayComeNext() {
        assertThat(methods(RunbookStage.class)).doesNotContain("build", "rollback", "notifyOnSuccess", "param")
                .contains("step", "trigger", "safety", "parameter", "secret");
        assertThat(methods(StepStage.class)).containsExactlyInAnyOrder("action", "runRunbook", "branch");
        assertThat(methods(NestedStepStage.class)).containsExactlyInAnyOrder("action", "runRunbook", "branch");
        assertThat(methods(RollbackStage.class)).containsExactlyInAnyOrder("action", "runRunbook", "branch");
        assertThat(methods(BranchStart.class)).containsExactly("then");
        assertThat(methods(ActionStage.class)).doesNotContain("action", "branch", "then")
                .contains("param", "outputVar", "expect", "step", "rollback", "notifyOnSuccess", "build");
        assertThat(methods(BranchStage.class)).contains("otherwise", "when", "step", "build").doesNotContain("then");
        assertThat(methods(BranchEndStage.class)).doesNotContain("otherwise", "then").contains("when", "build");
        // inside a branch there is no build, rollback or notification: the block only adds steps
        assertThat(methods(NestedActionStage.class)).doesNotContain("build", "rollback", "notifyOnSuccess")
                .contains("step", "param");
        assertThat(methods(Steps.class)).containsExactly("step");
        assertThat(methods(NotificationTarget.class)).containsExactlyInAnyOrder("slack", "notify");
        assertThat(methods(NotificationStage.class)).doesNotContain("step")
                .containsExactlyInAnyOrder("notifyOnSuccess", "notifyOnFailure", "rollback", "build");
        // after the rollback has started, no main step or notification can be added any more
        assertThat(methods(RollbackActionStage.class)).doesNotContain("step", "notifyOnSuccess")
                .contains("rollback", "build", "param");
    }

    private static Set<String> methods(Class<?> type) {
        return Arrays.stream(type.getMethods()).map(Method::getName).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    // ---- validation as you go, with the place named ----

    @Test
    void blankIdsAndNamesAreRefused() {
        assertThatThrownBy(() -> Runbooks.runbook(" ")).isInstanceOf(RunbookDefinitionException.class)
                .hasMessage("runbook ' ' at id: runbook id must not be blank; give a unique id such as "
                        + "oomkilled-increase-memory-v1");
        assertThatThrownBy(() -> Runbooks.runbook("r").step("")).hasMessage(
                "runbook 'r' at steps[0].name: step name must not be blank");
        assertThatThrownBy(() -> Runbooks.runbook("r").step("a").action(" ")).hasMessage(
                "runbook 'r' at steps[0].action: step 'a': action must not be blank");
        assertThatThrownBy(() -> Runbooks.runbook("r").step("a").runRunbook("")).hasMessage(
                "runbook 'r' at steps[0].params.runbook: step 'a': the id of the runbook to run must not be blank");
        assertThatThrownBy(() -> Runbooks.runbook("r").name(" ")).hasMessage("runbook 'r' at name: name must not be blank");
    }

    @Test
    void duplicateStepNamesAreRefusedWithBothPlaces() {
        assertThatThrownBy(() -> Runbooks.runbook("r").step("a").action("x").step("b").action("y").step("a"))
                .isInstanceOf(RunbookDefinitionException.class)
                .hasMessage("runbook 'r' at steps[2].name: duplicate step name 'a' (also at steps[0]); step names must "
                        + "be unique within a runbook's steps and within its rollback");
        assertThatThrownBy(() -> Runbooks.runbook("r").step("a").action("x")
                .step("b").branch("c").then(t -> t.step("c").action("x").step("a")))
                .satisfies(e -> {
                    var d = (RunbookDefinitionException) e;
                    assertThat(d.runbookId()).isEqualTo("r");
                    assertThat(d.path()).isEqualTo("steps[1].then[1].name");
                    assertThat(d.detail()).startsWith("duplicate step name 'a' (also at steps[0])");
                });
        assertThatThrownBy(() -> Runbooks.runbook("r").step("a").action("x").rollback("u").action("x").rollback("u"))
                .hasMessageStartingWith("runbook 'r' at rollback[1].name: duplicate step name 'u' (also at rollback[0])");
    }

    @Test
    void outOfRangeValuesAreRefusedWhereTheyAreGiven() {
        assertThatThrownBy(() -> Runbooks.runbook("r").trigger(t -> t.minConfidence(1.5)))
                .hasMessage("runbook 'r' at trigger.min_confidence: min_confidence must be between 0 and 1, got 1.5 "
                        + "(write 0.80 for 80%)");
        assertThatThrownBy(() -> Runbooks.runbook("r").safety(s -> s.minConfidence(80)))
                .hasMessageStartingWith("runbook 'r' at safety.min_confidence: min_confidence must be between 0 and 1");
        // the model's own range checks, located by the DSL
        assertThatThrownBy(() -> Runbooks.runbook("r").safety(s -> s.maxExecutionsPerHour(-3)))
                .hasMessage("runbook 'r' at safety: max_executions_per_hour must be at least 1, got -3");
        assertThatThrownBy(() -> Runbooks.runbook("r").safety(s -> s.maxActionPerResourcePerHour("restart-container", 0)))
                .hasMessage("runbook 'r' at safety: max_action_per_resource_per_hour.restart-container must be at least 1, got 0");
        assertThatThrownBy(() -> Runbooks.runbook("r").safety(s -> s.replicas(5, 1)))
                .hasMessage("runbook 'r' at safety.replicas: replica bounds need 0 <= min <= max, got 5..1");
        assertThatThrownBy(() -> Runbooks.runbook("r").step("a").action("x").retry(0, Duration.ofSeconds(1)))
                .hasMessage("runbook 'r' at steps[0].retry: step 'a': retry attempts must be at least 1, got 0");
        assertThatThrownBy(() -> Runbooks.runbook("r").step("a").action("x").timeout(Duration.ofSeconds(-1)))
                .hasMessage("runbook 'r' at steps[0].timeout: step 'a': timeout must be positive, got PT-1S");
        assertThatThrownBy(() -> Runbooks.runbook("r").step("a").action("x").outputVar("new-memory"))
                .hasMessage("runbook 'r' at steps[0].output_var: step 'a': output_var 'new-memory' must be an "
                        + "identifier (letters, digits, _; not starting with a digit)");
    }

    @Test
    void repeatedSettingsAndBadParamsAreRefused() {
        assertThatThrownBy(() -> Runbooks.runbook("r").step("a").action("x").param("k", 1).param("k", 2))
                .hasMessage("runbook 'r' at steps[0].params.k: step 'a': parameter 'k' is already set; "
                        + "give each parameter once");
        assertThatThrownBy(() -> Runbooks.runbook("r").step("a").action("x").param("when", new Object()))
                .hasMessageStartingWith("runbook 'r' at steps[0].params.when: unsupported parameter value type "
                        + "java.lang.Object");
        assertThatThrownBy(() -> Runbooks.runbook("r").step("a").action("x").expect("a").expect("b"))
                .hasMessage("runbook 'r' at steps[0].expect: step 'a': expect is already set; give it once");
        assertThatThrownBy(() -> Runbooks.runbook("r").step("a").action("x").when(" "))
                .hasMessage("runbook 'r' at steps[0].when: step 'a': when must not be blank");
        assertThatThrownBy(() -> Runbooks.runbook("r").trigger(t -> t.rootCause("A")).trigger(t -> t.rootCause("B")))
                .hasMessage("runbook 'r' at trigger: trigger is already set; give it once");
        assertThatThrownBy(() -> Runbooks.runbook("r").parameter("p", "x").secret("p", "y"))
                .hasMessage("runbook 'r' at parameters[1].name: duplicate parameter 'p' (also at parameters[0])");
        assertThatThrownBy(() -> Runbooks.runbook("r").label("team", "a").label("team", "b"))
                .hasMessage("runbook 'r' at labels.team: label 'team' is already set; give each label once");
    }

    @Test
    void branchBlocksMustAddStepsAndCannotBeReusedLater() {
        assertThatThrownBy(() -> Runbooks.runbook("r").step("b").branch("x").then(t -> { }))
                .hasMessage("runbook 'r' at steps[0].then: the then block of branch 'b' adds no step; "
                        + "give it at least one step");
        assertThatThrownBy(() -> Runbooks.runbook("r").step("b").branch("x").then(t -> t.step("a").action("x"))
                .otherwise(o -> { }))
                .hasMessageStartingWith("runbook 'r' at steps[0].else: the otherwise block of branch 'b' adds no step");
        // a step started in a block must get an action before the block returns
        assertThatThrownBy(() -> Runbooks.runbook("r").step("b").branch("x").then(t -> t.step("forgotten")))
                .hasMessage("runbook 'r' at steps[0].then[0]: step 'forgotten' has neither an action nor a branch; "
                        + "follow step(\"forgotten\") with .action(..), .runRunbook(..) or .branch(..)");
        Steps[] kept = new Steps[1];
        var stage = Runbooks.runbook("r").step("b").branch("x").then(t -> {
            kept[0] = t;
            t.step("a").action("x");
        });
        assertThatThrownBy(() -> kept[0].step("late"))
                .hasMessageStartingWith("runbook 'r' at steps[0].then[1]: step 'late' is added after its branch block "
                        + "returned");
        assertThat(stage.build().steps().flatten()).extracting(Step::name).containsExactly("b", "a");
    }

    @Test
    void aStepLeftWithoutActionFailsTheBuildAndAStepChoosesItsKindOnce() {
        ActionStage first = Runbooks.runbook("r").step("a").action("x");
        StepStage abandoned = first.step("b");
        assertThatThrownBy(first::build).hasMessage("runbook 'r' at steps[1]: step 'b' has neither an action nor a "
                + "branch; follow step(\"b\") with .action(..), .runRunbook(..) or .branch(..)");
        abandoned.action("y");
        assertThat(first.build().steps().steps()).extracting(Step::name).containsExactly("a", "b");
        assertThatThrownBy(() -> abandoned.action("z")).hasMessage("runbook 'r' at steps[1]: step 'b' already has an "
                + "action or branch; start another step with .step(..) instead");
    }

    @Test
    void aNotificationHasExactlyOneChannel() {
        Consumer<NotificationTarget> twice = target -> {
            target.slack("#a", "m");
            target.notify("webhook", Map.of("message", "m"));
        };
        assertThatThrownBy(() -> twice.accept(Runbooks.runbook("r").step("a").action("x").notifyOnSuccess()))
                .hasMessage("runbook 'r' at notification.on_success: this notification already has a channel; call "
                        + "notifyOnSuccess() or notifyOnFailure() again for another one");
        assertThatThrownBy(() -> Runbooks.runbook("r").step("a").action("x").notifyOnFailure().notify(" ", Map.of()))
                .hasMessageStartingWith("runbook 'r' at notification.on_failure: notification channel must not be blank");
    }

    @Test
    void mapAndListHelpersKeepOrderAndRefuseMistakes() {
        assertThat(map("b", 1, "a", list("x", map())).toPlain()).hasToString("{b=1, a=[x, {}]}");
        assertThatThrownBy(() -> map("a", 1, "b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("map(..) takes key/value pairs, but the value of key 'b' is missing");
        assertThatThrownBy(() -> map("a", 1, 2, 3)).hasMessage("map(..) keys must be strings, got 2 at argument 3");
        assertThatThrownBy(() -> map("a", 1, "a", 2)).hasMessage("map(..) key 'a' is given twice");
        assertThatThrownBy(() -> list("ok", Duration.ZERO)).hasMessageStartingWith(
                "list(..) item 1: unsupported parameter value type java.time.Duration");
    }

    // ---- the seed 002 fixtures carry the seed's guardrails ----

    @Test
    void seed002RunbooksCarryTheExecutorGuardrails() {
        for (Runbook rb : List.of(SeedRunbooksInJava.memorySpike(), SeedRunbooksInJava.cpuOverload(),
                SeedRunbooksInJava.highErrorRate())) {
            assertThat(rb.trigger().resourceKinds()).containsExactly("Container");
            assertThat(rb.safety().maxActionsPerHour()).hasValue(10);
            assertThat(rb.safety().maxActionPerResourcePerHour()).containsExactly(Map.entry("restart-container", 3));
            assertThat(rb.safety().minActionSpacing()).contains(Duration.ofSeconds(5));
            assertThat(rb.safety().replicas()).contains(new Safety.ReplicaBounds(1, 5));
            assertThat(rb.safety().envWhitelist()).containsExactly("LOG_LEVEL");
        }
        assertThat(SeedRunbooksInJava.memorySpike().id()).isEqualTo("memory-spike-v1");
        assertThat(SeedRunbooksInJava.cpuOverload().steps().actionSteps()).singleElement()
                .satisfies(s -> assertThat(s.params().entries().get("replicas")).isEqualTo(ParamValue.of(3)));
        assertThat(SeedRunbooksInJava.highErrorRate().steps().flatten()).extracting(Step::name).containsExactly(
                "Raise log level", "Choose remediation", "Roll back deployment", "Restart container");
    }
}
