package dev.runbook.docker;

import dev.runbook.core.engine.ExecutionJournal;
import dev.runbook.core.engine.ExecutionJournal.ActionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link ContainerHistory} kept as {@linkplain ActionRecord action records} of the engine's
 * {@link ExecutionJournal}: with a durable journal (the Neo4j journal) it survives the host, so that after a crash
 * {@link DockerRecovery} knows whether a half-recreated container was running and {@code rollback-deployment}
 * still finds the spec from before the change. {@link #record} returns once the journal has written the entry,
 * which the actions do before they touch the container. Entries stay until a rollback removes them.
 *
 * <p>Records are of kind {@value #KIND}, keyed {@code container:<name>} or {@code service:<value>}; the value is
 * the entry as plain maps (each {@link ContainerSpec} field by its name).
 */
public final class JournalContainerHistory implements ContainerHistory {
    /** The kind of the journal's records this history writes. */
    public static final String KIND = "docker.container-history";

    private final ExecutionJournal journal;

    /**
     * A history in this journal (give every host the same durable journal as its engine).
     *
     * @throws UnsupportedOperationException later, on first use, when the journal keeps no action records
     */
    public JournalContainerHistory(ExecutionJournal journal) {
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    @Override
    public HistoryEntry record(String executionId, Instant at, String action, HistoryEntry.Kind kind, String target,
                               String serviceLabel, List<ContainerSpec> previous) {
        var value = new LinkedHashMap<String, Object>();
        value.put("action", Objects.requireNonNull(action, "action"));
        value.put("kind", kind.name());
        value.put("target", Objects.requireNonNull(target, "target"));
        value.put("service_label", Objects.requireNonNull(serviceLabel, "serviceLabel"));
        value.put("previous", previous.stream().map(JournalContainerHistory::toMap).toList());
        long sequence = journal.putRecord(KIND, key(kind, target), executionId, at, value);
        return new HistoryEntry(sequence, executionId, at, action, kind, target, serviceLabel, previous);
    }

    @Override
    public List<HistoryEntry> entries(HistoryEntry.Kind kind, String target) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        var out = new ArrayList<HistoryEntry>();
        for (ActionRecord r : journal.records(KIND, key(kind, target))) {
            out.add(entry(r));
        }
        return List.copyOf(out);
    }

    @Override
    public void remove(List<HistoryEntry> entries) {
        journal.removeRecords(KIND, entries.stream().map(HistoryEntry::sequence).toList());
    }

    private static String key(HistoryEntry.Kind kind, String target) {
        return kind.name().toLowerCase(Locale.ROOT) + ":" + target;
    }

    private static HistoryEntry entry(ActionRecord r) {
        Map<String, Object> v = r.value();
        try {
            var previous = new ArrayList<ContainerSpec>();
            for (Object s : (List<?>) v.get("previous")) {
                previous.add(toSpec(map(s)));
            }
            return new HistoryEntry(r.sequence(), r.executionId(), r.at(), (String) v.get("action"),
                    HistoryEntry.Kind.valueOf((String) v.get("kind")), (String) v.get("target"),
                    (String) v.get("service_label"), previous);
        } catch (RuntimeException e) {
            throw new IllegalStateException("journal record " + r.sequence() + " of kind " + KIND + " about "
                    + r.key() + " is not a container history entry this version can read: " + e, e);
        }
    }

    static Map<String, Object> toMap(ContainerSpec s) {
        var m = new LinkedHashMap<String, Object>();
        m.put("name", s.name());
        m.put("image", s.image());
        m.put("cmd", s.cmd());
        m.put("entrypoint", s.entrypoint());
        m.put("env", s.env());
        m.put("labels", s.labels());
        m.put("workingDir", s.workingDir());
        m.put("user", s.user());
        m.put("memoryBytes", s.memoryBytes());
        m.put("memorySwapBytes", s.memorySwapBytes());
        m.put("nanoCpus", s.nanoCpus());
        m.put("cpuShares", (long) s.cpuShares());
        m.put("restartPolicy", s.restartPolicy());
        m.put("networkMode", s.networkMode());
        m.put("binds", s.binds());
        m.put("tmpfs", s.tmpfs());
        m.put("ulimits", s.ulimits());
        m.put("running", s.running());
        m.put("settings", s.settings());
        return m;
    }

    static ContainerSpec toSpec(Map<String, Object> m) {
        return new ContainerSpec((String) m.get("name"), (String) m.get("image"), strings(m.get("cmd")),
                strings(m.get("entrypoint")), stringMap(m.get("env")), stringMap(m.get("labels")),
                (String) m.get("workingDir"), (String) m.get("user"), number(m, "memoryBytes"),
                number(m, "memorySwapBytes"), number(m, "nanoCpus"), Math.toIntExact(number(m, "cpuShares")),
                (String) m.get("restartPolicy"), (String) m.get("networkMode"), strings(m.get("binds")),
                stringMap(m.get("tmpfs")), stringMap(m.get("ulimits")), (Boolean) m.get("running"),
                map(m.getOrDefault("settings", Map.of())));
    }

    private static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(key + " is " + v + ", not a number");
        }
        return n.longValue();
    }

    private static List<String> strings(Object v) {
        return ((List<?>) v).stream().map(x -> (String) x).toList();
    }

    private static Map<String, String> stringMap(Object v) {
        var out = new LinkedHashMap<String, String>();
        map(v).forEach((k, x) -> out.put(k, (String) x));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object v) {
        return (Map<String, Object>) Objects.requireNonNull((Map<?, ?>) v, "a map");
    }
}
