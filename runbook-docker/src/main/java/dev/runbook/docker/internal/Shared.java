package dev.runbook.docker.internal;

import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.guard.GuardStore;
import dev.runbook.docker.ContainerHistory;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the Docker actions share: the engine, the history, the per-container counts and the settings. */
public record Shared(Engine engine, ContainerHistory history, String serviceLabel, String projectLabel,
                     int stopTimeoutSeconds, java.time.Duration startupGrace, GuardStore guards) {

    ContainerLimits limits() {
        return new ContainerLimits(guards, engine.host());
    }

    Replacer replacer() {
        return new Replacer(engine, stopTimeoutSeconds);
    }

    TouchedResource touched(Engine.Info c, String change) {
        return touched(c.name(), c.labels(), change);
    }

    TouchedResource touched(String name, Map<String, String> labels, String change) {
        return new TouchedResource("Container", labels.getOrDefault(projectLabel, ""), name, change);
    }

    /** Parses {@code k=v,k2=v2}. */
    static Map<String, String> selector(String text) throws ActionException {
        var out = new LinkedHashMap<String, String>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw ActionException.permanent("selector '" + text + "': '" + p + "' is not key=value "
                        + "(write for instance app=web,tier=front)");
            }
            out.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
        }
        if (out.isEmpty()) {
            throw ActionException.permanent("selector '" + text + "' is empty (write for instance app=web)");
        }
        return out;
    }
}
