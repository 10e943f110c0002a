package dev.runbook.core.engine;

import static dev.runbook.core.engine.EngineTestSupport.recorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.testkit.TestClock;
import dev.runbook.core.compile.RunbookValidationException;
import dev.runbook.core.model.ActionStep;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Safety;
import dev.runbook.core.model.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A template without a value fails its step instead of acting on an empty name; host parameters must be supplied. */
class StrictTemplatesEngineTest {
    private final TestClock clock = new TestClock();
    private final List<Map<String, Object>> seen = new ArrayList<>();

    /** An ImagePullBackOff on a pod whose controller RCA did not find. */
    private static Incident withoutController() {
        return Incident.builder("i-1").rootCause("ImagePullBackOff", 0.9)
                .resource(ResourceRef.of("Pod", "default", "web-1")).build();
    }

    private RunbookEngine.Builder engine(Runbook rb) {
        return RunbookEngine.builder().discoverActions(false).clock(clock).runbook(rb).actions(recorder("restart", seen));
    }

    private static Runbook restart(String resource, boolean dryRunFirst) {
        return Runbook.builder("restart-v1").trigger(Trigger.builder().rootCauseReason("ImagePullBackOff").build())
                .safety(Safety.builder().dryRunFirst(dryRunFirst).build())
                .step(ActionStep.builder("Restart pods", "restart").param("resource", resource).build()).build();
    }

    @Test
    void aMissingIncidentFieldFailsTheStepNamingThePath() {
        Execution e = engine(restart("deployment/{{ incident.resource.controller }}", false)).build()
                .handle(withoutController());
        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(seen).isEmpty();
        assertThat(e.step("Restart pods").orElseThrow().error()).hasValueSatisfying(error -> assertThat(error)
                .startsWith("refused: 'incident.resource.controller' has no value; write '| default(...)'"));
    }

    @Test
    void aDefaultSaysWhatToDoWithoutTheValue() {
        Execution e = engine(restart("deployment/{{ incident.resource.controller | default(incident.resource.name) }}", false))
                .build().handle(withoutController());
        assertThat(e.step("Restart pods").orElseThrow().error()).isEmpty();
        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(seen).containsExactly(Map.of("resource", "deployment/web-1"));
    }

    @Test
    void thePlanRefusesAStepThatWouldActOnAnEmptyName() {
        Execution plan = engine(restart("deployment/{{ incident.resource.controller }}", true)).build()
                .plan(withoutController());
        assertThat(plan.status()).isEqualTo(ExecutionStatus.DENIED);
        assertThat(plan.denial().orElseThrow().reason()).startsWith("dry run failed at step 'Restart pods': refused:"
                + " 'incident.resource.controller' has no value");
        assertThat(plan.dryRunSteps()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(StepStatus.FAILED);
            assertThat(s.error()).hasValueSatisfying(m -> assertThat(m).contains("incident.resource.controller"));
        });
        assertThat(seen).isEmpty();
    }

    @Test
    void anAttributeOrAnOutputFieldThatIsMissingFailsTheStep() {
        Runbook rb = Runbook.builder("fields-v1").trigger(Trigger.builder().rootCauseReason("ImagePullBackOff").build())
                .step(ActionStep.builder("get", "restart").param("name", "x").outputVar("got").build())
                .step(ActionStep.builder("use", "restart").param("v", "{{ got.replicas }}").build()).build();
        Execution e = engine(rb).build().handle(withoutController());
        assertThat(e.step("use").orElseThrow().error()).hasValueSatisfying(m -> assertThat(m).contains("'got.replicas'"));

        Runbook attr = restart("{{ incident.attributes.memory_percent }}", false);
        Execution a = engine(attr).build().handle(withoutController());
        assertThat(a.step("Restart pods").orElseThrow().error())
                .hasValueSatisfying(m -> assertThat(m).contains("'incident.attributes.memory_percent' has no value"));
    }

    /** The output of a step the dry run did not run is unknown, not missing: the plan goes on, as before. */
    @Test
    void theDryRunDoesNotCallAnOutputOfAStepItDidNotRunMissing() {
        var blind = new FakeCluster.Simple("provision", true, ParamSchema.open()) {
            @Override
            public ActionResult execute(ActionContext ctx) {
                return ActionResult.of(Map.of("id", "vol-1"));
            }

            @Override
            public boolean supportsDryRun() {
                return false;
            }
        };
        Runbook rb = Runbook.builder("chain-v1").trigger(Trigger.builder().rootCauseReason("ImagePullBackOff").build())
                .safety(Safety.builder().dryRunFirst(true).build())
                .step(ActionStep.builder("provision", "provision").outputVar("volume").build())
                .step(ActionStep.builder("attach", "restart").param("volume", "{{ volume.id }}")
                        .param("pod", "{{ incident.resource.name }}").build()).build();
        RunbookEngine engine = engine(rb).actions(blind).build();
        Execution plan = engine.plan(withoutController());
        assertThat(plan.status()).isEqualTo(ExecutionStatus.PLANNED);
        assertThat(plan.dryRunSteps()).extracting(StepResult::status)
                .containsExactly(StepStatus.NOT_RUN_IN_DRY_RUN, StepStatus.SUCCEEDED);
        assertThat(engine.handle(withoutController()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(seen).last().isEqualTo(Map.of("volume", "vol-1", "pod", "web-1"));
    }

    /**
     * A mutating action's dry-run output is a preview: what the change creates (a ticket's id) is not in it yet, so
     * the plan goes on; the real run is strict and has the value.
     */
    @Test
    void aFieldTheChangeCreatesIsUnknownInTheDryRunAndPresentInTheRealRun() {
        var open = new FakeCluster.Simple("open_ticket", true, ParamSchema.open()) {
            @Override
            public ActionResult execute(ActionContext ctx) {
                return ctx.dryRun() ? ActionResult.of(Map.of("would_open", true)) : ActionResult.of(Map.of("ticket_id", "T-7"));
            }
        };
        Runbook rb = Runbook.builder("ticket-v1").trigger(Trigger.builder().rootCauseReason("ImagePullBackOff").build())
                .safety(Safety.builder().dryRunFirst(true).build())
                .step(ActionStep.builder("open", "open_ticket").outputVar("ticket").build())
                .step(ActionStep.builder("note", "restart").param("ticket", "{{ ticket.ticket_id }}").build()).build();
        RunbookEngine engine = engine(rb).actions(open).build();

        Execution plan = engine.plan(withoutController());
        assertThat(plan.status()).isEqualTo(ExecutionStatus.PLANNED);
        assertThat(plan.dryRunSteps()).extracting(StepResult::status).containsExactly(StepStatus.SUCCEEDED, StepStatus.SUCCEEDED);

        assertThat(engine.handle(withoutController()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(seen).last().isEqualTo(Map.of("ticket", "T-7"));
    }

    @Test
    void notificationsStillGoOutWhenAFieldIsMissing() {
        var sent = new ArrayList<String>();
        Runbook rb = Runbook.builder("notify-v1").trigger(Trigger.builder().rootCauseReason("ImagePullBackOff").build())
                .step(ActionStep.builder("Restart pods", "restart").param("resource", "x").build())
                .notifications(new dev.runbook.core.model.Notifications(List.of(new dev.runbook.core.model.Notification(
                        "slack", dev.runbook.core.model.ParamValue.mapOf(
                                Map.of("message", "restarted [{{ incident.resource.controller }}]")))), List.of()))
                .build();
        Execution e = engine(rb).notifier(new dev.runbook.core.notify.Notifier() {
            @Override
            public String channel() {
                return "slack";
            }

            @Override
            public void send(dev.runbook.core.notify.NotificationMessage m) {
                sent.add(String.valueOf(m.params().get("message")));
            }
        }).build().handle(withoutController());
        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(sent).containsExactly("restarted []");
    }

    @Test
    void theEngineRefusesARunbookReadingAHostParameterNobodySupplies() {
        Runbook rb = restart("{{ base64(registry_config) }}", false);
        assertThatThrownBy(() -> engine(rb).build()).isInstanceOf(RunbookValidationException.class)
                .hasMessageContaining("restart-v1:steps[0].params.resource: 'registry_config' is not defined by the"
                        + " runbook and the host supplies no value for it; give it with"
                        + " RunbookEngine.builder().parameter(\"registry_config\", value) or a ParameterResolver");
    }

    @Test
    void aHostParameterComesFromTheBuilderOrAResolverAndIsMaskedInTheRecord() {
        Runbook rb = restart("{{ base64(registry_config) }}", false);
        Execution byValue = engine(rb).parameter("registry_config", "{}").build().handle(withoutController());
        assertThat(byValue.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(byValue.step("Restart pods").orElseThrow().params()).containsEntry("resource", "***");

        Execution byResolver = engine(rb).parameterResolver((id, name) -> Optional.of("[]")).build()
                .handle(withoutController());
        assertThat(byResolver.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(seen).containsExactly(Map.of("resource", "e30="), Map.of("resource", "W10="));
    }

    @Test
    void aGivenValueWhoseNameNoTemplateCouldReadIsNoHostParameterAndBuildsAsBefore() {
        Execution e = engine(restart("x", false)).parameter("not-a-variable", "v").parameter("incident", "v").build()
                .handle(withoutController());
        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void aResolverThatKnowsNothingDeniesTheExecutionNamingTheParameter() {
        Execution e = engine(restart("{{ registry_config }}", false)).parameterResolver((id, name) -> Optional.empty())
                .build().handle(withoutController());
        assertThat(e.status()).isEqualTo(ExecutionStatus.DENIED);
        assertThat(e.denial().orElseThrow().reason()).contains("registry_config");
        assertThat(seen).isEmpty();
    }
}
