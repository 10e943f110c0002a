package dev.runbook.docker;

import static dev.runbook.docker.Misbehaving.has;
import static dev.runbook.docker.Misbehaving.sampleUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.core.model.Incident;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The detector against containers of the real engine made to misbehave. */
class ContainerMonitorTest {
    private static final String P = "rbt-mon-";
    private static PodmanEngine engine;

    @BeforeAll
    static void engine() {
        engine = PodmanEngine.get();
        engine.removeAll(P);
    }

    @AfterAll
    static void cleanup() {
        engine.removeAll(P);
    }

    private static ContainerMonitor monitor() {
        return ContainerMonitor.builder().client(engine.client(), engine.host()).cpuPercent(Misbehaving.CPU_THRESHOLD)
                .labelFilter(Map.of(PodmanEngine.TEST_LABEL, "true", "dev.runbook.suite", "monitor")).build();
    }

    @Test
    void raisesEachAnomalyOncePerEpisodeFromMisbehavingContainers() {
        var suite = new HashMap<>(Misbehaving.labels("monitor"));
        var memLabels = new HashMap<>(suite);
        memLabels.put(DockerActions.COMPOSE_SERVICE_LABEL, "cache");
        memLabels.put(DockerActions.COMPOSE_PROJECT_LABEL, "shop");
        engine.run(P + "mem", memLabels, Map.of(), Misbehaving.MEMORY_HOG_LIMIT, "sh", "-c", Misbehaving.MEMORY_HOG);
        engine.run(P + "oom", suite, Map.of(), Misbehaving.OOM_LIMIT, "sh", "-c", Misbehaving.OOM);
        engine.run(P + "cpu", suite, Map.of(), 0, "sh", "-c", Misbehaving.BUSY);
        engine.run(P + "err", suite, Map.of(), 0, "sh", "-c", Misbehaving.ERRORS);
        engine.run(P + "calm", suite, Map.of(), 64L << 20, "sh", "-c", "echo started; " + DockerTestSupport.LOOP);
        ContainerMonitor monitor = monitor();

        List<Incident> incidents = sampleUntil(monitor, Duration.ofSeconds(40), all ->
                has(all, "MEMORY_SPIKE", P + "mem") && has(all, "OOM_KILLED", P + "oom")
                        && has(all, "CPU_OVERLOAD", P + "cpu") && has(all, "HIGH_ERROR_RATE", P + "err"));
        // more samples while every anomaly goes on: no new incident
        for (int i = 0; i < 3; i++) {
            List<Incident> more = monitor.sample();
            assertThat(more).as("incidents raised again during the same episode").isEmpty();
        }
        engine.client().stopContainerCmd(P + "cpu").withTimeout(0).exec();

        // one incident per (anomaly, container) episode; the OOM container may also spike before it dies
        assertThat(incidents).extracting(i -> i.rootCauseReason() + "@" + i.resource().name()).doesNotHaveDuplicates()
                .containsAll(List.of("MEMORY_SPIKE@" + P + "mem", "OOM_KILLED@" + P + "oom", "CPU_OVERLOAD@" + P + "cpu",
                        "HIGH_ERROR_RATE@" + P + "err"))
                .allMatch(k -> !k.endsWith("@" + P + "calm"));
        assertThat(incidents).noneMatch(i -> i.resource().name().equals(P + "calm"));
        assertThat(incidents).allSatisfy(i -> {
            assertThat(i.rcaConfidence()).isEqualTo(1.0);
            assertThat(i.resource().kind()).isEqualTo("Container");
            assertThat(i.resource().uid()).isPresent();
            assertThat(i.attributes()).containsKeys("anomaly", "container_id", "image");
        });
        Incident mem = one(incidents, "MEMORY_SPIKE", P + "mem");
        assertThat(mem.resource().name()).isEqualTo(P + "mem");
        assertThat(mem.resource().namespace()).isEqualTo("shop");
        assertThat(mem.resource().controller()).hasValue("cache");
        assertThat(mem.symptomReason()).isEqualTo("MemorySpike");
        assertThat((Double) mem.attributes().get("memory_percent")).isGreaterThan(80.0).isLessThanOrEqualTo(100.0);
        assertThat(mem.attributes()).containsEntry("memory_limit", Misbehaving.MEMORY_HOG_LIMIT);

        Incident oom = one(incidents, "OOM_KILLED", P + "oom");
        assertThat(oom.resource().namespace()).isEmpty();
        assertThat(oom.resource().controller()).isEmpty();
        assertThat(oom.attributes()).containsEntry("exit_code", 137L).containsEntry("memory_limit", Misbehaving.OOM_LIMIT);

        Incident cpu = one(incidents, "CPU_OVERLOAD", P + "cpu");
        assertThat((Double) cpu.attributes().get("cpu_percent")).isGreaterThan(Misbehaving.CPU_THRESHOLD);
        assertThat(cpu.attributes()).containsEntry("threshold_percent", Misbehaving.CPU_THRESHOLD);

        Incident err = one(incidents, "HIGH_ERROR_RATE", P + "err");
        assertThat((Double) err.attributes().get("error_rate")).isGreaterThan(5.0);
        assertThat((List<?>) err.attributes().get("sample_errors")).first().isEqualTo("ERROR payment failed");

        // the CPU episode ended with the container; running busy again starts a new one
        monitor.sample();
        engine.client().startContainerCmd(P + "cpu").exec();
        List<Incident> again = sampleUntil(monitor, Duration.ofSeconds(20), all -> has(all, "CPU_OVERLOAD", P + "cpu"));
        engine.client().stopContainerCmd(P + "cpu").withTimeout(0).exec();
        assertThat(again).extracting(Incident::rootCauseReason).containsExactly("CPU_OVERLOAD");
        // an OOM kill is one episode per exit: it is not raised again for the same exit
        assertThat(monitor.sample()).noneMatch(i -> i.rootCauseReason().equals("OOM_KILLED"));
    }

    @Test
    void thresholdsPatternsAndWindowAreConfigurableAndChecked() {
        engine.run(P + "warn", Misbehaving.labels("monitor-warn"), Map.of(), 0, "sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9; do echo fine; done; echo 'WARN disk slow'; " + DockerTestSupport.LOOP);
        ContainerMonitor defaults = ContainerMonitor.builder().client(engine.client(), engine.host())
                .labelFilter(Map.of("dev.runbook.suite", "monitor-warn")).build();
        ContainerMonitor warnings = ContainerMonitor.builder().client(engine.client(), engine.host())
                .labelFilter(Map.of("dev.runbook.suite", "monitor-warn"))
                .errorPatterns(List.of("\\bWARN\\b")).errorRatePercent(5).logWindow(Duration.ofMinutes(5)).build();
        List<Incident> found = sampleUntil(warnings, Duration.ofSeconds(15), all -> has(all, "HIGH_ERROR_RATE", P + "warn"));
        assertThat(found.get(0).attributes()).containsEntry("error_rate", 10.0).containsEntry("log_lines", 10L);
        assertThat(defaults.sample()).isEmpty();

        assertThatThrownBy(() -> ContainerMonitor.builder().memoryPercent(120)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("memory threshold must be 0..100 percent, got 120.0");
        assertThatThrownBy(() -> ContainerMonitor.builder().errorPatterns(List.of("(oops"))).hasMessageStartingWith(
                "error pattern '(oops' is not a valid regular expression");
        assertThatThrownBy(() -> ContainerMonitor.builder().build()).hasMessageStartingWith("ContainerMonitor needs a client");
    }

    private static Incident one(List<Incident> incidents, String anomaly, String container) {
        var matching = incidents.stream().filter(i -> i.rootCauseReason().equals(anomaly)
                && i.resource().name().equals(container)).toList();
        assertThat(matching).as(anomaly + " incidents").hasSize(1);
        return matching.get(0);
    }
}
