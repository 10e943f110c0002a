package dev.runbook.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.engine.ExecutionJournal;
import dev.runbook.core.engine.InMemoryExecutionJournal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link ContainerHistory} must do, run against the in-memory history and the journal-backed one over
 * the in-memory journal: entries read back equal to what was recorded (settings included), per target, oldest
 * first, with increasing sequences, and removal of exactly the given entries.
 */
class ContainerHistoryCompatibilityTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    static Stream<Named<Supplier<ContainerHistory>>> histories() {
        return Stream.of(Named.of("in-memory", InMemoryContainerHistory::new),
                Named.of("journal", () -> new JournalContainerHistory(new InMemoryExecutionJournal())));
    }

    /** A spec with settings as the engine reports them: nested maps, lists, numbers of several widths, booleans. */
    static ContainerSpec spec(String name, String logLevel, boolean running) {
        var ports = new LinkedHashMap<String, Object>();
        ports.put("8080/tcp", List.of(Map.of("HostIp", "127.0.0.1", "HostPort", "18080")));
        var host = new LinkedHashMap<String, Object>();
        host.put("PortBindings", ports);
        host.put("CapAdd", List.of("NET_ADMIN"));
        host.put("PidsLimit", 2048);
        host.put("Privileged", false);
        host.put("CpuPercent", 0.5f);
        var config = Map.<String, Object>of("Healthcheck", Map.of("Test", List.of("CMD-SHELL", "true"),
                "Interval", 30_000_000_000L, "Retries", 3));
        var settings = Map.<String, Object>of("Config", config, "HostConfig", host,
                "Networks", Map.of("extra", Map.of("Aliases", List.of("web-alias"))));
        return new ContainerSpec(name, "busybox:latest", List.of("sh", "-c", "httpd -f"), List.of(),
                Map.of("LOG_LEVEL", logLevel, "PATH", "/bin"), Map.of("app", "web"), "/srv", "1000", 64L << 20,
                128L << 20, 500_000_000L, 512, "on-failure:3", "bridge", List.of("data:/data:rw"),
                Map.of("/tmp", "size=1m"), Map.of("nofile", "1024:2048"), running, settings);
    }

    @ParameterizedTest
    @MethodSource("histories")
    void entriesReadBackAsRecordedPerTargetOldestFirst(Supplier<ContainerHistory> make) {
        ContainerHistory history = make.get();
        HistoryEntry first = history.record("exec-1", T0, "update-env-vars", HistoryEntry.Kind.CONTAINER, "web", "",
                List.of(spec("web", "info", true)));
        history.record("exec-1", T0, "restart-container", HistoryEntry.Kind.CONTAINER, "db", "",
                List.of(spec("db", "info", false)));
        HistoryEntry second = history.record("exec-2", T0.plusSeconds(1), "update-env-vars",
                HistoryEntry.Kind.CONTAINER, "web", "", List.of(spec("web", "debug", true)));
        HistoryEntry service = history.record("exec-2", T0.plusSeconds(2), "scale-service", HistoryEntry.Kind.SERVICE,
                "web", "com.docker.compose.service", List.of(spec("web-1", "info", true), spec("web-2", "info", false)));

        assertThat(second.sequence()).isGreaterThan(first.sequence());
        assertThat(history.entries(HistoryEntry.Kind.CONTAINER, "web")).containsExactly(first, second);
        assertThat(history.entries(HistoryEntry.Kind.SERVICE, "web")).containsExactly(service);
        assertThat(history.entries(HistoryEntry.Kind.CONTAINER, "nothing")).isEmpty();
        ContainerSpec back = history.entries(HistoryEntry.Kind.CONTAINER, "web").get(0).previous().get(0);
        assertThat(back).isEqualTo(spec("web", "info", true));
        // whole numbers come back as Long whatever width went in, so a reloaded spec equals the recorded one
        assertThat(back.settings()).extractingByKey("HostConfig").asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("PidsLimit", 2048L);
        assertThat(back.sameConfigAs(spec("other-name", "info", false))).isTrue();
    }

    @ParameterizedTest
    @MethodSource("histories")
    void removesExactlyTheGivenEntries(Supplier<ContainerHistory> make) {
        ContainerHistory history = make.get();
        HistoryEntry a = history.record("exec-1", T0, "update-env-vars", HistoryEntry.Kind.CONTAINER, "web", "",
                List.of(spec("web", "info", true)));
        HistoryEntry b = history.record("exec-2", T0, "update-env-vars", HistoryEntry.Kind.CONTAINER, "web", "",
                List.of(spec("web", "debug", true)));
        history.remove(List.of(b));
        assertThat(history.entries(HistoryEntry.Kind.CONTAINER, "web")).containsExactly(a);
        history.remove(List.of(b));
        history.remove(List.of());
        assertThat(history.entries(HistoryEntry.Kind.CONTAINER, "web")).containsExactly(a);
        history.remove(List.of(a));
        assertThat(history.entries(HistoryEntry.Kind.CONTAINER, "web")).isEmpty();
        HistoryEntry c = history.record("exec-3", T0, "update-env-vars", HistoryEntry.Kind.CONTAINER, "web", "",
                List.of(spec("web", "warn", true)));
        assertThat(c.sequence()).as("sequences are not reused after a removal").isGreaterThan(b.sequence());
    }

    @Test
    void theJournalHistoryIsTheJournalsRecordsSoAnotherHistoryOnTheSameJournalReadsThem() {
        ExecutionJournal journal = new InMemoryExecutionJournal();
        HistoryEntry e = new JournalContainerHistory(journal).record("exec-1", T0, "update-env-vars",
                HistoryEntry.Kind.CONTAINER, "web", "", List.of(spec("web", "info", true)));
        assertThat(new JournalContainerHistory(journal).entries(HistoryEntry.Kind.CONTAINER, "web")).containsExactly(e);
        assertThat(journal.records(JournalContainerHistory.KIND, "container:web")).singleElement()
                .satisfies(r -> assertThat(r.value()).containsEntry("action", "update-env-vars")
                        .containsEntry("target", "web"));
    }

    @Test
    void aJournalWithoutActionRecordsFailsTheWriteWithAClearMessage() {
        ExecutionJournal bare = new ExecutionJournal() {
            @Override
            public void started(JournalStart start) {
            }

            @Override
            public void intent(StepIntent intent) {
            }

            @Override
            public void stepRecorded(String executionId, dev.runbook.core.engine.StepResult result, boolean rollback,
                                     Map<String, Object> variables) {
            }

            @Override
            public void finished(dev.runbook.core.engine.Execution execution) {
            }

            @Override
            public void renewLease(String executionId, String owner, Instant until) {
            }

            @Override
            public List<JournaledExecution> orphans(Instant now) {
                return List.of();
            }

            @Override
            public java.util.Optional<JournaledExecution> claim(String executionId, String newOwner, Instant now,
                                                                Instant leaseUntil) {
                return java.util.Optional.empty();
            }
        };
        var history = new JournalContainerHistory(bare);
        assertThatThrownBy(() -> history.record("exec-1", T0, "update-env-vars", HistoryEntry.Kind.CONTAINER, "web",
                "", List.of(spec("web", "info", true)))).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("does not keep action records");
    }
}
