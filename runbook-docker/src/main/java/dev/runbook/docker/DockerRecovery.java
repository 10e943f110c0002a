package dev.runbook.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.runbook.docker.internal.Engine;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs container recreations that a crash of the host left half done. {@code update-env-vars} and
 * {@code rollback-deployment} recreate a container as {@code <name>-rb-new-<x>}, stop the original, rename it
 * {@code <name>-rb-old-<x>}, give the new one the name and start it; if the host dies in between, the original is
 * left stopped under a temporary name. Call {@link #run()} when the host starts, before
 * {@code RunbookEngine.recover()} (whose rollback steps then find the original back under its name):
 *
 * <pre>{@code
 * ContainerHistory history = new JournalContainerHistory(journal); // the engine's durable (Neo4j) journal
 * new DockerRecovery(client, "unix:///run/podman/podman.sock", history).run();
 * engine.recover();
 * }</pre>
 *
 * Give it, and the actions, a history that survived the crash ({@link JournalContainerHistory} over a durable
 * journal): an {@link InMemoryContainerHistory} is empty after a restart, and then whether an original was running
 * is only inferred from the engine's timestamps.
 *
 * For every {@code -rb-old-}/{@code -rb-new-} pair it finds:
 * <ul>
 *   <li>a <em>running</em> container holds the name and a {@code -rb-old-} one is left: the recreate completed;
 *       only the leftovers are removed;</li>
 *   <li>otherwise the original is restored: a non-running replacement holding the name and any {@code -rb-new-}
 *       leftover are removed, the {@code -rb-old-} container is renamed back and started if it was running
 *       before the recreate. Whether it was is read from the {@link ContainerHistory} (the actions write their
 *       entry ahead of the recreate), else inferred when the original stopped after its replacement was
 *       created; without either it is left stopped and the report says so.</li>
 * </ul>
 * Running it again finds nothing to do. It does not lock against actions running at the same time: run it
 * before the host starts executing runbooks.
 */
public final class DockerRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(DockerRecovery.class);
    private static final Pattern TEMP = Pattern.compile("^(.+)-rb-(old|new)-([0-9a-f]{1,6})$");

    private final Engine engine;
    private final ContainerHistory history;

    /**
     * A recovery on this client.
     *
     * @param host    the engine's address, for messages
     * @param history the history the actions wrote (give the host's persistent one; an in-memory history that
     *                did not survive the crash is empty, and then the running state is inferred from the engine)
     */
    public DockerRecovery(DockerClient client, String host, ContainerHistory history) {
        Objects.requireNonNull(client, "client");
        this.engine = new Engine(() -> client, Objects.requireNonNull(host, "host"));
        this.history = Objects.requireNonNull(history, "history");
    }

    /**
     * What one run did.
     *
     * @param repairs  what was done, in order
     * @param failures the containers whose repair failed, with the engine's error; the others were still repaired,
     *                 and a later run retries these
     */
    public record Report(List<Repair> repairs, List<Repair> failures) {
        public Report {
            repairs = List.copyOf(repairs);
            failures = List.copyOf(failures);
        }

        /** Whether nothing needed repair (and nothing failed). */
        public boolean nothingToDo() {
            return repairs.isEmpty() && failures.isEmpty();
        }
    }

    /**
     * One thing done to one container.
     *
     * @param container the original container's name
     * @param action    what was done, for instance {@code renamed web-rb-old-3fa2c1 back to web}
     */
    public record Repair(String container, String action) {
        public Repair {
            Objects.requireNonNull(container, "container");
            Objects.requireNonNull(action, "action");
        }
    }

    /**
     * Repairs every half-done recreate on the engine. A container whose repair fails is reported in
     * {@link Report#failures()} and does not stop the others.
     *
     * @throws DockerEngineException when the engine cannot even list its containers
     */
    public Report run() {
        var groups = new TreeMap<String, Group>();
        for (Container c : engine.list(Map.of(), true)) {
            for (String raw : c.getNames() == null ? new String[0] : c.getNames()) {
                String n = raw.startsWith("/") ? raw.substring(1) : raw;
                Matcher m = TEMP.matcher(n);
                if (m.matches()) {
                    Group g = groups.computeIfAbsent(m.group(1) + "\u0000" + m.group(3), k -> new Group(m.group(1)));
                    if (m.group(2).equals("old")) {
                        g.old = n;
                    } else {
                        g.fresh = n;
                    }
                }
            }
        }
        var repairs = new ArrayList<Repair>();
        var failures = new ArrayList<Repair>();
        for (Group g : groups.values()) {
            try {
                repair(g, repairs);
            } catch (RuntimeException e) {
                LOG.error("docker recovery on {}: repairing {} failed; a later run retries it", engine.host(), g.name, e);
                failures.add(new Repair(g.name, String.valueOf(e.getMessage())));
            }
        }
        if (repairs.isEmpty() && failures.isEmpty()) {
            LOG.info("docker recovery on {}: no half-done container recreate found", engine.host());
        }
        return new Report(repairs, failures);
    }

    private static final class Group {
        final String name;
        String old;
        String fresh;

        Group(String name) {
            this.name = name;
        }
    }

    private void repair(Group g, List<Repair> repairs) {
        Optional<Engine.Info> holder = engine.find(g.name);
        Optional<Engine.Info> fresh = g.fresh == null ? Optional.empty() : engine.find(g.fresh);
        if (g.old == null) {
            // crashed before the original was renamed: it still holds its name; only the replacement is extra
            fresh.ifPresent(f -> removed(g, f.name(), "removed the unused replacement " + f.name(), repairs));
            holder.filter(h -> !h.running()).ifPresent(h -> {
                if (wasRunning(h, fresh)) {
                    engine.start(h.id());
                    done(g, "started " + g.name + " (it was running before the interrupted recreate)", repairs);
                }
            });
            return;
        }
        Engine.Info old = engine.inspect(g.old);
        if (holder.isPresent() && holder.get().running()) {
            removed(g, g.old, "removed " + g.old + ": the recreate of " + g.name + " had completed", repairs);
            fresh.ifPresent(f -> removed(g, f.name(), "removed the leftover " + f.name(), repairs));
            return;
        }
        Optional<Engine.Info> replacement = holder.or(() -> fresh);
        boolean start = wasRunning(old, replacement);
        holder.ifPresent(h -> removed(g, g.name, "removed the replacement " + g.name + " (id " + h.id()
                + ", status " + h.status() + ")", repairs));
        engine.rename(old.id(), g.name);
        done(g, "renamed " + g.old + " back to " + g.name, repairs);
        // removed after the rename: should the rename fail, the next run still sees when the replacement was made
        fresh.ifPresent(f -> removed(g, f.name(), "removed the unused replacement " + f.name(), repairs));
        if (start && !old.running()) {
            engine.start(old.id());
            done(g, "started " + g.name + " (it was running before the interrupted recreate)", repairs);
        } else if (!old.running()) {
            done(g, "left " + g.name + " stopped: no record says it was running before the recreate", repairs);
        }
    }

    /** Whether the original ran before the recreate: by the write-ahead history, else by when it stopped. */
    private boolean wasRunning(Engine.Info original, Optional<Engine.Info> replacement) {
        List<HistoryEntry> entries = history.entries(HistoryEntry.Kind.CONTAINER, nameOf(original));
        for (int i = entries.size() - 1; i >= 0; i--) {
            for (ContainerSpec s : entries.get(i).previous()) {
                if (s.sameConfigAs(original.spec())) {
                    return s.running();
                }
            }
        }
        // the actions create the replacement first and stop the original after: a stop after that creation was theirs
        Optional<Instant> finished = instant(original.finishedAt());
        Optional<Instant> created = replacement.flatMap(r -> instant(r.created()));
        return finished.isPresent() && created.isPresent() && !finished.get().isBefore(created.get());
    }

    private static String nameOf(Engine.Info c) {
        Matcher m = TEMP.matcher(c.name());
        return m.matches() ? m.group(1) : c.name();
    }

    private static Optional<Instant> instant(String text) {
        if (text == null || text.isBlank() || text.startsWith("0001-")) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (RuntimeException e) {
            try {
                return Optional.of(Instant.parse(text));
            } catch (RuntimeException e2) {
                return Optional.empty();
            }
        }
    }

    private void removed(Group g, String container, String what, List<Repair> repairs) {
        engine.remove(container);
        done(g, what, repairs);
    }

    private void done(Group g, String what, List<Repair> repairs) {
        LOG.warn("docker recovery on {}: {}", engine.host(), what);
        repairs.add(new Repair(g.name, what));
    }
}
