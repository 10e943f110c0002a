package dev.runbook.core.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunbookMatcherTest {
    private static Incident incident(String reason, String symptom, double confidence, String kind) {
        return Incident.builder("e1").symptomReason(symptom).rootCause(reason, confidence)
                .resource(ResourceRef.of(kind, "default", "web-1")).labels(Map.of("team", "sre")).build();
    }

    private static Runbook rb(String id, Trigger t) {
        return Runbook.builder(id).trigger(t).build();
    }

    @Test
    void ranksMostSpecificFirstThenHighestMinConfidence() {
        var generic = rb("generic", Trigger.builder().rootCauseReason("OOMKilled").minConfidence(0.5).build());
        var strict = rb("strict", Trigger.builder().rootCauseReason("OOMKilled").minConfidence(0.9).build());
        var specific = rb("specific", Trigger.builder().rootCauseReason("OOMKilled").symptomReason("CrashLoopBackOff")
                .resourceKind("Pod").minConfidence(0.8).build());
        MatchReport r = RunbookMatcher.of(List.of(generic, strict, specific))
                .match(incident("OOMKilled", "CrashLoopBackOff", 0.95, "Pod"));
        assertThat(r.matches()).extracting(m -> m.runbook().id()).containsExactly("specific", "strict", "generic");
        assertThat(r.best()).map(Runbook::id).hasValue("specific");
    }

    @Test
    void explainsEachCriterionWithTheValuesCompared() {
        var seed = rb("oomkilled-increase-memory-v1", Trigger.builder().rootCauseReason("OOMKilled")
                .symptomReason("CrashLoopBackOff", "BackOff", "Error").minConfidence(0.80).resourceKind("Pod").build());
        MatchReport r = RunbookMatcher.of(List.of(seed)).match(incident("OOMKilled", "Pending", 0.72, "Node"));
        assertThat(r.matches()).isEmpty();
        RunbookMatch m = r.rejected().get(0);
        assertThat(m.criteria()).extracting(CriterionResult::toString).containsExactly(
                "root_cause_reason: ok (root_cause_reason 'OOMKilled' in [OOMKilled])",
                "symptom_reason: failed (symptom_reason 'Pending' not in [CrashLoopBackOff, BackOff, Error])",
                "min_confidence: failed (min_confidence 0.80 > rca_confidence 0.72)",
                "affected_resource_kinds: failed (resource kind 'Node' not in [Pod])");
        assertThat(m.why()).isEqualTo("symptom_reason 'Pending' not in [CrashLoopBackOff, BackOff, Error]; "
                + "min_confidence 0.80 > rca_confidence 0.72; resource kind 'Node' not in [Pod]");
    }

    @Test
    void labelsAndWhenExpressionsOverTheIncident() {
        var labelled = rb("labelled", Trigger.builder().labels(Map.of("team", "sre")).build());
        var other = rb("other-team", Trigger.builder().labels(Map.of("team", "payments")).build());
        var when = rb("when", Trigger.builder().when("incident.resource.name.startsWith('web') && incident.rca_confidence > 0.9").build());
        MatchReport r = RunbookMatcher.of(List.of(labelled, other, when)).match(incident("X", "Y", 0.95, "Pod"));
        assertThat(r.matches()).extracting(m -> m.runbook().id()).containsExactlyInAnyOrder("labelled", "when");
        assertThat(r.rejected()).singleElement().satisfies(m -> assertThat(m.why()).isEqualTo("label team='sre' is not 'payments'"));
    }

    @Test
    void runbooksIndexedUnderOtherReasonsAreNotConsideredButExplainAllShowsThem() {
        var runbooks = new ArrayList<Runbook>();
        for (int i = 0; i < 1000; i++) {
            runbooks.add(rb("other-" + i, Trigger.builder().rootCauseReason("Reason" + i).build()));
        }
        runbooks.add(rb("oom", Trigger.builder().rootCauseReason("OOMKilled").build()));
        runbooks.add(rb("any", Trigger.builder().symptomReason("CrashLoopBackOff").build()));
        RunbookMatcher matcher = RunbookMatcher.of(runbooks);
        Incident i = incident("OOMKilled", "CrashLoopBackOff", 0.9, "Pod");
        MatchReport r = matcher.match(i);
        assertThat(r.considered()).extracting(m -> m.runbook().id()).containsExactlyInAnyOrder("oom", "any");
        assertThat(matcher.explainAll(i).considered()).hasSize(1002);
        assertThat(matcher.explainAll(i).rejected().get(0).why()).isEqualTo("root_cause_reason 'OOMKilled' not in [Reason0]");
    }

    @Test
    void theFastPathAgreesWithTheExplainedMatchOnRandomLibraries() {
        var rnd = new java.util.Random(42);
        String[] reasons = {"OOMKilled", "ImagePullBackOff", "NodeNotReady", "Evicted"};
        String[] symptoms = {"CrashLoopBackOff", "BackOff", "Error", "Pending"};
        String[] kinds = {"Pod", "Node", "Deployment"};
        var runbooks = new ArrayList<Runbook>();
        for (int i = 0; i < 400; i++) {
            var t = Trigger.builder().minConfidence(Math.round(rnd.nextDouble() * 100) / 100.0);
            if (rnd.nextInt(5) > 0) {
                t.rootCauseReasons(pick(rnd, reasons));
            }
            if (rnd.nextBoolean()) {
                t.symptomReasons(pick(rnd, symptoms));
            }
            if (rnd.nextBoolean()) {
                t.resourceKinds(pick(rnd, kinds));
            }
            if (rnd.nextInt(4) == 0) {
                t.namespaces(List.of(rnd.nextBoolean() ? "default" : "prod"));
            }
            if (rnd.nextInt(8) == 0) {
                t.when("incident.rca_confidence > 0.5");
            }
            runbooks.add(rb("rb-" + i, t.build()));
        }
        RunbookMatcher matcher = RunbookMatcher.of(runbooks);
        for (int i = 0; i < 300; i++) {
            Incident incident = incident(reasons[rnd.nextInt(reasons.length)], symptoms[rnd.nextInt(symptoms.length)],
                    rnd.nextDouble(), kinds[rnd.nextInt(kinds.length)]);
            assertThat(matcher.matchingRunbooks(incident))
                    .isEqualTo(matcher.match(incident).matches().stream().map(RunbookMatch::runbook).toList());
        }
    }

    /** Counts its calls: the explanations of a report evaluate it, the fast path never does. */
    public static final class Counting {
        static final java.util.concurrent.atomic.AtomicInteger CALLS = new java.util.concurrent.atomic.AtomicInteger();

        public static boolean counted(Object value) {
            CALLS.incrementAndGet();
            return value != null;
        }
    }

    @Test
    void aReportExplainsOnlyWhenReadAndThenAsMatchOrExplainAllWould() throws Exception {
        var compiler = dev.runbook.core.expression.ExpressionCompiler.builder().withStandardFunctions()
                .function("counted", Counting.class.getMethod("counted", Object.class)).build();
        var elsewhere = rb("elsewhere", Trigger.builder().rootCauseReason("DiskFull")
                .when("counted(incident.resource.name)").build());
        var oom = rb("oom", Trigger.builder().rootCauseReason("OOMKilled").minConfidence(0.9).build());
        var generic = rb("generic", Trigger.builder().rootCauseReason("OOMKilled").symptomReason("Pending").build());
        RunbookMatcher matcher = RunbookMatcher.of(List.of(elsewhere, oom, generic), compiler);

        Counting.CALLS.set(0);
        Incident miss = incident("OOMKilled", "CrashLoopBackOff", 0.5, "Pod");
        MatchReport missReport = matcher.report(miss);
        assertThat(missReport.best()).isEmpty();
        assertThat(Counting.CALLS.get()).as("nothing explained before it is read").isZero();
        // A miss explains the whole library, as explainAll does, including runbooks under other reasons.
        assertThat(missReport).isEqualTo(matcher.explainAll(miss));
        assertThat(missReport.rejected()).extracting(m -> m.runbook().id()).containsExactly("elsewhere", "oom", "generic");
        assertThat(Counting.CALLS.get()).isEqualTo(2);
        missReport.rejected();
        assertThat(Counting.CALLS.get()).as("explained once, then kept").isEqualTo(2);

        Incident hit = incident("OOMKilled", "CrashLoopBackOff", 0.95, "Pod");
        MatchReport hitReport = matcher.report(hit);
        assertThat(hitReport.matchingRunbooks()).extracting(Runbook::id).containsExactly("oom");
        assertThat(hitReport).isEqualTo(matcher.match(hit));
        assertThat(hitReport.rejected()).extracting(m -> m.runbook().id()).containsExactly("generic");
    }

    private static List<String> pick(java.util.Random rnd, String[] values) {
        var out = new ArrayList<String>();
        for (String v : values) {
            if (rnd.nextInt(3) == 0) {
                out.add(v);
            }
        }
        if (out.isEmpty()) {
            out.add(values[rnd.nextInt(values.length)]);
        }
        return out;
    }
}
