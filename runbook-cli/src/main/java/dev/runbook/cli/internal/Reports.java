package dev.runbook.cli.internal;

import dev.runbook.core.match.CriterionResult;
import dev.runbook.core.match.RunbookMatch;
import dev.runbook.core.model.Incident;
import dev.runbook.dsl.LoadResult;
import dev.runbook.dsl.LoadedRunbook;
import java.util.HashMap;
import java.util.Map;

/** Text and JSON pieces shared by explain and plan. */
final class Reports {
    private Reports() {
    }

    /** The file each runbook id came from. */
    static Map<String, String> files(LoadResult result) {
        var m = new HashMap<String, String>();
        for (LoadedRunbook r : result.runbooks()) {
            m.putIfAbsent(r.runbook().id(), r.file());
        }
        return m;
    }

    static String incidentLine(Incident i) {
        return "incident " + i.incidentId() + ": root_cause_reason '" + i.rootCauseReason() + "', symptom_reason '"
                + i.symptomReason() + "', rca_confidence " + String.format(java.util.Locale.ROOT, "%.2f", i.rcaConfidence())
                + ", resource " + i.resource().key();
    }

    static Object matchJson(RunbookMatch m, Map<String, String> files) {
        return JsonOut.obj("runbook", m.runbook().id(), "file", files.getOrDefault(m.runbook().id(), ""),
                "matched", m.matched(), "why", m.why(),
                "criteria", JsonOut.list(m.criteria(), (CriterionResult c) -> JsonOut.obj("criterion", c.criterion(),
                        "passed", c.passed(), "detail", c.detail())));
    }
}
