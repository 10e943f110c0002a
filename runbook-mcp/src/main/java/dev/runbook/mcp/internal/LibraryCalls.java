package dev.runbook.mcp.internal;

import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.Runbook;
import dev.runbook.docker.ContainerMonitor;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools about incidents and the library: {@code detect-anomaly} (the server keeps the last 200 incidents by id),
 * {@code get-runbook}, {@code explain-incident}, {@code plan-runbook} and {@code execute-runbook}, the last two on
 * the server's one engine.
 */
public final class LibraryCalls {
    /** {@code detect-anomaly}'s parameters. */
    static final ParamSchema DETECT = ParamSchema.of(ParamSpec.withDefault("samples", ParamType.INTEGER, 2,
                    "how many samples to take (1-20); CPU needs two"),
            ParamSpec.withDefault("interval", ParamType.DURATION, "1s", "time between samples"),
            ParamSpec.optional("container", ParamType.STRING, "only incidents of this container"));
    /** The parameters of the tools that take an incident. */
    static final ParamSchema INCIDENT = ParamSchema.of(
            ParamSpec.optional("incident_id", ParamType.STRING, "an incident returned by detect-anomaly"),
            ParamSpec.optional("incident", ParamType.MAP, "an incident: {root_cause_reason, rca_confidence, "
                    + "resource: {kind, name, namespace, controller}, attributes, labels}"));
    private static final int DETECTED_CAPACITY = 200;

    private final EngineWiring wiring;
    private final ContainerMonitor monitor;
    private final Map<String, String> sources;
    private final Map<String, Incident> detected = new LinkedHashMap<>();

    /** @param sources the text each runbook was loaded from, by id */
    public LibraryCalls(EngineWiring wiring, ContainerMonitor monitor, Map<String, String> sources) {
        this.wiring = wiring;
        this.monitor = monitor;
        this.sources = Map.copyOf(sources);
    }

    CallToolResult detect(Map<String, Object> args) {
        Map<String, Object> p = DETECT.apply(args);
        long samples = (Long) p.get("samples");
        if (samples < 1 || samples > 20) {
            throw new IllegalArgumentException("'samples' must be from 1 to 20, got " + samples);
        }
        Duration interval = (Duration) p.get("interval");
        if (interval.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("'interval' must be at most 30s, got " + interval);
        }
        Optional<String> only = Optional.ofNullable((String) p.get("container"));
        var found = new ArrayList<Incident>();
        synchronized (monitor) {
            for (int i = 0; i < samples; i++) {
                if (i > 0) {
                    try {
                        // samples of a real engine, spaced in real time
                        Thread.sleep(interval.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                found.addAll(monitor.sample());
            }
        }
        var list = found.stream().filter(i -> only.isEmpty() || i.resource().name().equals(only.get())).toList();
        synchronized (detected) {
            list.forEach(i -> detected.put(i.incidentId(), i));
            while (detected.size() > DETECTED_CAPACITY) {
                detected.remove(detected.keySet().iterator().next());
            }
        }
        return Results.of(Map.of("samples", samples, "incidents", list.stream().map(i -> Plain.of(i.toMap())).toList()),
                false);
    }

    CallToolResult getRunbook(Map<String, Object> args) {
        Map<String, Object> p = ParamSchema.of(ParamSpec.optional("id", ParamType.STRING, ""),
                ParamSpec.optional("anomaly", ParamType.STRING, "")).apply(args);
        String id = (String) p.get("id");
        String anomaly = (String) p.get("anomaly");
        List<Runbook> library = wiring.library();
        if ((id == null) == (anomaly == null)) {
            throw new IllegalArgumentException("give either 'id' (one of " + ids(library)
                    + ") or 'anomaly' (such as MEMORY_SPIKE)");
        }
        List<Runbook> found = library.stream().filter(rb -> id != null ? rb.id().equals(id)
                : rb.trigger().rootCauseReasons().contains(anomaly)).toList();
        if (found.isEmpty()) {
            return Results.error(id != null ? "no runbook with id '" + id + "' (known: " + ids(library) + ")"
                    : "no runbook handles anomaly '" + anomaly + "' (handled: " + library.stream()
                    .flatMap(rb -> rb.trigger().rootCauseReasons().stream()).distinct().toList() + ")");
        }
        return Results.of(Map.of("runbooks", found.stream().map(this::describe).toList()), false);
    }

    /** A runbook in full, with the text it was loaded from. */
    public Map<String, Object> describe(Runbook rb) {
        var m = Plain.runbook(rb);
        Optional.ofNullable(sources.get(rb.id())).ifPresent(s -> m.put("source", s));
        return m;
    }

    CallToolResult explain(Map<String, Object> args) {
        return Results.of(Plain.matchReport(wiring.explain(incident(args))), false);
    }

    CallToolResult plan(Caller caller, Map<String, Object> args) {
        return Results.execution(wiring.plan(incident(args), caller));
    }

    CallToolResult execute(Caller caller, Map<String, Object> args) {
        return Results.execution(wiring.handle(incident(args), caller));
    }

    private Incident incident(Map<String, Object> args) {
        Object id = args.get("incident_id");
        Object inc = args.get("incident");
        for (String k : args.keySet()) {
            if (!k.equals("incident_id") && !k.equals("incident")) {
                throw new IllegalArgumentException("unknown argument '" + k + "' (known: incident_id, incident)");
            }
        }
        if ((id == null) == (inc == null)) {
            throw new IllegalArgumentException("give either 'incident_id' (from detect-anomaly) or 'incident' (an object)");
        }
        if (id != null) {
            synchronized (detected) {
                Incident found = detected.get(String.valueOf(id));
                if (found == null) {
                    throw new IllegalArgumentException("no incident '" + id + "' was detected by this server; "
                            + "call detect-anomaly first or pass the incident itself as 'incident'");
                }
                return found;
            }
        }
        return IncidentInput.parse(inc);
    }

    private static List<String> ids(List<Runbook> runbooks) {
        return runbooks.stream().map(Runbook::id).toList();
    }
}
