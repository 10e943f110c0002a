package dev.runbook.benchmarks;

import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.core.model.Runbook;
import dev.runbook.core.model.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generated runbook libraries and incidents, the same for every contender of a run. */
final class Libraries {
    static final int REASONS = 200;
    static final String[] SYMPTOMS = {"CrashLoopBackOff", "BackOff", "Error", "Pending", "Failed", "Unhealthy",
        "FailedScheduling", "Evicted", "NotReady", "Timeout"};
    static final String[] KINDS = {"Pod", "Node", "Deployment", "Container"};

    private Libraries() {
    }

    static String reason(int i) {
        return String.format("Reason%03d", i);
    }

    /** {@code n} runbooks spread over 200 root-cause reasons, each with a symptom, kind and min confidence. */
    static List<Runbook> runbooks(int n, long seed) {
        Random rnd = new Random(seed);
        var out = new ArrayList<Runbook>(n);
        for (int i = 0; i < n; i++) {
            var t = Trigger.builder().rootCauseReason(reason(i % REASONS))
                    .symptomReason(SYMPTOMS[rnd.nextInt(SYMPTOMS.length)])
                    .resourceKind(KINDS[rnd.nextInt(KINDS.length)])
                    .minConfidence(0.5 + rnd.nextInt(10) * 0.05);
            if (rnd.nextInt(10) == 0) {
                t.namespaces(List.of("prod"));
            }
            out.add(Runbook.builder("rb-" + i).trigger(t.build()).build());
        }
        return out;
    }

    /** Incidents with reasons, symptoms and kinds drawn from the same sets. */
    static Incident[] incidents(int count, long seed) {
        Random rnd = new Random(seed);
        Incident[] out = new Incident[count];
        for (int i = 0; i < count; i++) {
            out[i] = Incident.builder("e-" + i).symptomReason(SYMPTOMS[rnd.nextInt(SYMPTOMS.length)])
                    .rootCause(reason(rnd.nextInt(REASONS)), 0.6 + rnd.nextInt(8) * 0.05)
                    .resource(ResourceRef.of(KINDS[rnd.nextInt(KINDS.length)], rnd.nextBoolean() ? "prod" : "default", "p" + i))
                    .build();
        }
        return out;
    }
}
