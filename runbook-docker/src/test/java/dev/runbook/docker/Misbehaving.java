package dev.runbook.docker;

import static org.assertj.core.api.Assertions.fail;

import dev.runbook.core.model.Incident;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Containers made to misbehave, and sampling a monitor until it reports what they do. */
final class Misbehaving {
    /** Fills 28 MiB of /dev/shm (charged to the container) under a 32 MiB limit, once: a restart clears it. */
    static final String MEMORY_HOG = "if [ ! -f /tmp/filled ]; then touch /tmp/filled; "
            + "dd if=/dev/zero of=/dev/shm/fill bs=1M count=28 2>/dev/null; fi; " + DockerTestSupport.LOOP;
    static final long MEMORY_HOG_LIMIT = 32L << 20;
    /** Reads 64 MB into a shell variable under a 16 MiB limit: the kernel kills it (exit 137). */
    static final String OOM = "sleep 1; x=$(yes | head -c 64000000); echo survived";
    static final long OOM_LIMIT = 16L << 20;
    /** Three busy loops: up to 200% of one core on two cores, and a fair share even when the machine is busy. */
    static final String BUSY = "yes > /dev/null & yes > /dev/null & yes > /dev/null";
    /**
     * The seed's threshold, 90% of one core. Seen here: reached within a few samples at load 6-8 on 2 cores; with
     * two loops and load 10 (parallel builds) only 38% was seen, hence the third loop.
     */
    static final double CPU_THRESHOLD = 90;
    /** One error line in three, and a burst of ten lines at start so the first sample has enough lines. */
    static final String ERRORS = "for i in 1 2 3; do echo 'ERROR payment failed'; echo ok; echo ok; done; echo ok; "
            + "while true; do echo 'ERROR payment failed'; echo ok; echo ok; sleep 0.3; done";

    private Misbehaving() {
    }

    /**
     * Samples until {@code done} holds for the incidents gathered so far, at most {@code timeout}; the containers
     * are real processes, so this polls them in real time.
     */
    static List<Incident> sampleUntil(ContainerMonitor monitor, Duration timeout, Predicate<List<Incident>> done) {
        var all = new ArrayList<Incident>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            all.addAll(monitor.sample());
            if (done.test(all)) {
                return all;
            }
            DockerTestSupport.realSleep(Duration.ofMillis(400));
        }
        return fail("monitor did not report what was expected within " + timeout + "; got " + all.stream()
                .map(i -> i.rootCauseReason() + "@" + i.resource().name() + " " + i.attributes()).toList());
    }

    static boolean has(List<Incident> incidents, String anomaly, String container) {
        return incidents.stream().anyMatch(i -> i.rootCauseReason().equals(anomaly)
                && i.resource().name().equals(container));
    }

    static Map<String, String> labels(String suite) {
        return Map.of("dev.runbook.suite", suite);
    }
}
