package dev.runbook.benchmarks;

import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The seed's OOMKilled incident and variables, shared by the template and expression suites. */
final class Fixtures {
    private Fixtures() {
    }

    static Incident incident() {
        return Incident.builder("event-abc123").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", 0.92)
                .resource(new ResourceRef("Pod", "web-7d9f-x2", "default", Optional.of("uid-1"), Optional.of("web"),
                        Optional.of("app")))
                .build();
    }

    static Map<String, Object> variables() {
        var vars = new HashMap<String, Object>();
        vars.put("incident", incident().toMap());
        vars.put("current_memory", "256Mi");
        vars.put("new_memory", "512Mi");
        vars.put("new_failures", 0L);
        return vars;
    }

    /** The hand-written floor for parse_memory (binary suffixes only, as the seed uses). */
    static long parseMemory(String q) {
        int i = 0;
        while (i < q.length() && Character.isDigit(q.charAt(i))) {
            i++;
        }
        long n = Long.parseLong(q.substring(0, i));
        return switch (q.substring(i)) {
            case "Ki" -> n << 10;
            case "Mi" -> n << 20;
            case "Gi" -> n << 30;
            default -> n;
        };
    }
}
