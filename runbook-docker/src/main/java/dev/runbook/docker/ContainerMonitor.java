package dev.runbook.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.docker.internal.Engine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector of seed 002: samples the stats and recent logs of containers and raises core
 * {@link Incident}s for {@link Anomaly#MEMORY_SPIKE}, {@link Anomaly#CPU_OVERLOAD},
 * {@link Anomaly#HIGH_ERROR_RATE} and {@link Anomaly#OOM_KILLED}.
 *
 * <p>Call {@link #sample()} on a schedule (or let {@link #start} do it): CPU is computed between a container's
 * previous sample and this one, so the first sample of a container never reports CPU. One incident is raised
 * per anomaly episode: when a container crosses a threshold, and again only after successive samples
 * ({@link Builder#clearSamples}, default 3) found it back under, or after it stopped.
 * Incidents have confidence 1.0 (thresholds, not inference), resource kind {@code Container} with the
 * container's name, namespace the compose project (or empty), controller the service label's value, the
 * container's labels, and attributes {@code memory_usage, memory_limit, memory_percent, cpu_percent,
 * error_rate, error_lines, log_lines, exit_code, container_id, image, anomaly} (those that apply).
 *
 * <p>Not thread-safe: one thread samples at a time ({@link #start} guarantees it).
 */
public final class ContainerMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerMonitor.class);
    /** The default error pattern. */
    public static final String DEFAULT_ERROR_PATTERN = "(?i)\\b(error|exception|fatal)\\b";

    private final Engine engine;
    private final Clock clock;
    private final double memoryPercent;
    private final double cpuPercent;
    private final double errorRatePercent;
    private final List<Pattern> errorPatterns;
    private final Duration logWindow;
    private final int logTail;
    private final int minLogLines;
    private final int clearSamples;
    private final Map<String, String> labelFilter;
    private final String serviceLabel;
    private final String projectLabel;

    private final Map<String, Engine.Stats> previous = new HashMap<>();
    private final Set<String> active = new HashSet<>();
    private final Map<String, Integer> below = new HashMap<>();
    private final Set<String> oomSeen = new HashSet<>();
    private long counter;
    private ScheduledExecutorService scheduler;

    private ContainerMonitor(Builder b) {
        this.engine = new Engine(() -> b.client, b.host);
        this.clock = b.clock;
        this.memoryPercent = b.memoryPercent;
        this.cpuPercent = b.cpuPercent;
        this.errorRatePercent = b.errorRatePercent;
        this.errorPatterns = List.copyOf(b.errorPatterns);
        this.logWindow = b.logWindow;
        this.logTail = b.logTail;
        this.minLogLines = b.minLogLines;
        this.clearSamples = b.clearSamples;
        this.labelFilter = Map.copyOf(b.labelFilter);
        this.serviceLabel = b.serviceLabel;
        this.projectLabel = b.projectLabel;
    }

    /** A builder; {@link Builder#client} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Samples every matching container once and returns the incidents of anomalies that began since the last
     * sample.
     *
     * @throws DockerEngineException when the engine cannot be reached (naming its address)
     */
    public List<Incident> sample() {
        var incidents = new ArrayList<Incident>();
        var seen = new HashSet<String>();
        for (Container c : engine.list(labelFilter, true)) {
            String id = c.getId();
            seen.add(id);
            Optional<Engine.Info> found = engine.find(id);
            if (found.isEmpty()) {
                continue;
            }
            Engine.Info info = found.get();
            if (!info.running()) {
                previous.remove(id);
                clearEpisodes(id, Anomaly.MEMORY_SPIKE, Anomaly.CPU_OVERLOAD, Anomaly.HIGH_ERROR_RATE);
                String episode = id + "@" + info.finishedAt();
                if (info.exitCode() == 137 && info.memoryLimit() > 0 && oomSeen.add(episode)) {
                    var attrs = new LinkedHashMap<String, Object>();
                    attrs.put("exit_code", 137L);
                    attrs.put("memory_limit", info.memoryLimit());
                    attrs.put("finished_at", info.finishedAt());
                    incidents.add(incident(info, Anomaly.OOM_KILLED, "Exited", attrs));
                }
                continue;
            }
            try {
                sampleRunning(info, incidents);
            } catch (DockerEngineException e) {
                // One container's stats failing (it stopped between the listing and the call, so the engine ends
                // the stats stream empty, or answers 500 while it starts or stops) must not blind the monitor to the
                // others: skip it this time. Asking the engine about it again tells the two apart from an engine
                // that went away, which throws here and ends the sample.
                previous.remove(id);
                if (engine.find(id).map(Engine.Info::running).orElse(false)) {
                    LOG.warn("container {} could not be sampled, skipped this time: {}", info.name(), e.getMessage());
                } else {
                    LOG.debug("container {} went away while sampled: {}", info.name(), e.getMessage());
                }
            }
        }
        previous.keySet().retainAll(seen);
        active.removeIf(k -> !seen.contains(k.substring(0, k.indexOf('#'))));
        below.keySet().removeIf(k -> !seen.contains(k.substring(0, k.indexOf('#'))));
        oomSeen.removeIf(k -> !seen.contains(k.substring(0, k.indexOf('@'))));
        return List.copyOf(incidents);
    }

    private void sampleRunning(Engine.Info info, List<Incident> incidents) {
        Engine.Stats stats = engine.stats(info.id());
        Engine.Stats before = previous.put(info.id(), stats);
        double mem = stats.memoryPercent();
        Optional<Double> cpu = before == null ? Optional.empty() : stats.cpuPercentSince(before);
        var base = new LinkedHashMap<String, Object>();
        base.put("memory_usage", stats.memoryUsage());
        base.put("memory_limit", stats.memoryLimit());
        base.put("memory_percent", mem);
        cpu.ifPresent(v -> base.put("cpu_percent", v));

        // memory against the container's own limit only: without one the engine reports the host's memory
        boolean memHigh = info.memoryLimit() > 0 && mem > memoryPercent;
        if (episode(info.id(), Anomaly.MEMORY_SPIKE, memHigh)) {
            var a = new LinkedHashMap<>(base);
            a.put("threshold_percent", memoryPercent);
            incidents.add(incident(info, Anomaly.MEMORY_SPIKE, "MemorySpike", a));
        }
        if (cpu.isPresent() && episode(info.id(), Anomaly.CPU_OVERLOAD, cpu.get() > cpuPercent)) {
            var a = new LinkedHashMap<>(base);
            a.put("threshold_percent", cpuPercent);
            incidents.add(incident(info, Anomaly.CPU_OVERLOAD, "CpuOverload", a));
        }
        List<String> lines = engine.logs(info.id(), logTail, Optional.of(clock.instant().minus(logWindow)));
        if (lines.size() >= minLogLines) {
            long errors = lines.stream().filter(l -> errorPatterns.stream().anyMatch(p -> p.matcher(l).find())).count();
            double rate = Math.round(10000.0 * errors / lines.size()) / 100.0;
            if (episode(info.id(), Anomaly.HIGH_ERROR_RATE, rate > errorRatePercent)) {
                var a = new LinkedHashMap<>(base);
                a.put("error_rate", rate);
                a.put("error_lines", errors);
                a.put("log_lines", (long) lines.size());
                a.put("threshold_percent", errorRatePercent);
                a.put("sample_errors", lines.stream().filter(l -> errorPatterns.stream().anyMatch(p -> p.matcher(l).find()))
                        .limit(5).toList());
                incidents.add(incident(info, Anomaly.HIGH_ERROR_RATE, "HighErrorRate", a));
            }
        }
    }

    /**
     * Whether an episode starts now. It ends after {@code clearSamples} successive samples under the threshold, so
     * that a value hovering around it does not raise an incident at each crossing.
     */
    private boolean episode(String id, Anomaly a, boolean condition) {
        String key = id + "#" + a;
        if (condition) {
            below.remove(key);
            return active.add(key);
        }
        if (active.contains(key) && below.merge(key, 1, Integer::sum) >= clearSamples) {
            active.remove(key);
            below.remove(key);
        }
        return false;
    }

    private void clearEpisodes(String id, Anomaly... anomalies) {
        for (Anomaly a : anomalies) {
            active.remove(id + "#" + a);
            below.remove(id + "#" + a);
        }
    }

    private Incident incident(Engine.Info info, Anomaly anomaly, String symptom, Map<String, Object> attrs) {
        var ref = new ResourceRef("Container", info.name(), info.labels().getOrDefault(projectLabel, ""),
                Optional.of(info.id()), Optional.ofNullable(info.labels().get(serviceLabel)),
                Optional.of(info.name()));
        var b = Incident.builder("docker-" + anomaly.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-"
                        + info.name() + "-" + clock.millis() + "-" + (++counter))
                .symptomReason(symptom)
                .rootCause(anomaly.name(), 1.0)
                .resource(ref)
                .eventTime(clock.instant())
                .labels(info.labels());
        attrs.forEach(b::attribute);
        b.attribute("anomaly", anomaly.name());
        b.attribute("container_id", info.id());
        b.attribute("image", info.spec().image());
        return b.build();
    }

    /**
     * Samples every {@code interval} on a daemon thread, handing each incident to {@code sink}; failures are
     * logged and sampling goes on.
     *
     * @throws IllegalStateException when already started
     */
    public synchronized void start(Duration interval, Consumer<Incident> sink) {
        Objects.requireNonNull(sink, "sink");
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        if (scheduler != null) {
            throw new IllegalStateException("monitor already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runbook-container-monitor");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                sample().forEach(sink);
            } catch (RuntimeException e) {
                LOG.warn("container monitor sample failed: {}", e.getMessage());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops sampling started by {@link #start}. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    /** Builds {@link ContainerMonitor}s; each setter validates its value. */
    public static final class Builder {
        private DockerClient client;
        private String host = "the configured Docker engine";
        private Clock clock = Clock.systemUTC();
        private double memoryPercent = 80;
        private double cpuPercent = 90;
        private double errorRatePercent = 5;
        private List<Pattern> errorPatterns = List.of(Pattern.compile(DEFAULT_ERROR_PATTERN));
        private Duration logWindow = Duration.ofSeconds(60);
        private int logTail = 200;
        private int minLogLines = 10;
        private int clearSamples = 3;
        private Map<String, String> labelFilter = Map.of();
        private String serviceLabel = DockerActions.COMPOSE_SERVICE_LABEL;
        private String projectLabel = DockerActions.COMPOSE_PROJECT_LABEL;

        private Builder() {
        }

        /** The engine to watch; {@code description} names it in errors (its socket or URL). */
        public Builder client(DockerClient client, String description) {
            this.client = Objects.requireNonNull(client, "client");
            this.host = Objects.requireNonNull(description, "description");
            return this;
        }

        /** The clock for event times and the log window (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** MEMORY_SPIKE above this percent of the limit (default 80). */
        public Builder memoryPercent(double percent) {
            this.memoryPercent = percent(percent, "memory");
            return this;
        }

        /** CPU_OVERLOAD above this percent of one core (default 90; may exceed 100 on several cores). */
        public Builder cpuPercent(double percent) {
            if (!(percent > 0)) {
                throw new IllegalArgumentException("cpu percent threshold must be positive, got " + percent);
            }
            this.cpuPercent = percent;
            return this;
        }

        /** HIGH_ERROR_RATE above this percent of recent log lines (default 5). */
        public Builder errorRatePercent(double percent) {
            this.errorRatePercent = percent(percent, "error rate");
            return this;
        }

        /** Regular expressions marking an error line (default {@link ContainerMonitor#DEFAULT_ERROR_PATTERN}). */
        public Builder errorPatterns(List<String> patterns) {
            if (patterns == null || patterns.isEmpty()) {
                throw new IllegalArgumentException("give at least one error pattern");
            }
            var out = new ArrayList<Pattern>();
            for (String p : patterns) {
                try {
                    out.add(Pattern.compile(p));
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new IllegalArgumentException("error pattern '" + p + "' is not a valid regular expression: "
                            + e.getDescription(), e);
                }
            }
            this.errorPatterns = out;
            return this;
        }

        /** Recent log lines are those written within this window (default 60 s) ... */
        public Builder logWindow(Duration window) {
            if (window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("log window must be positive, got " + window);
            }
            this.logWindow = window;
            return this;
        }

        /** ... at most this many of the last (default 200). */
        public Builder logTail(int lines) {
            if (lines < 1) {
                throw new IllegalArgumentException("log tail must be at least 1, got " + lines);
            }
            this.logTail = lines;
            return this;
        }

        /** No error rate is computed from fewer recent lines than this (default 10). */
        public Builder minLogLines(int lines) {
            if (lines < 1) {
                throw new IllegalArgumentException("min log lines must be at least 1, got " + lines);
            }
            this.minLogLines = lines;
            return this;
        }

        /**
         * An episode ends after this many successive samples under the threshold (default 3); a stopped container
         * ends its episodes at once.
         */
        public Builder clearSamples(int samples) {
            if (samples < 1) {
                throw new IllegalArgumentException("clear samples must be at least 1, got " + samples);
            }
            this.clearSamples = samples;
            return this;
        }

        /** Watch only containers with all these labels (default all containers). */
        public Builder labelFilter(Map<String, String> labels) {
            this.labelFilter = Map.copyOf(labels);
            return this;
        }

        /** The label whose value becomes the incident's controller (default Compose's service label). */
        public Builder serviceLabel(String label) {
            this.serviceLabel = Objects.requireNonNull(label, "label");
            return this;
        }

        /** The label whose value becomes the incident's namespace (default Compose's project label). */
        public Builder projectLabel(String label) {
            this.projectLabel = Objects.requireNonNull(label, "label");
            return this;
        }

        public ContainerMonitor build() {
            if (client == null) {
                throw new IllegalStateException("ContainerMonitor needs a client: builder().client(client, \"unix:///...\")");
            }
            return new ContainerMonitor(this);
        }

        private static double percent(double v, String what) {
            if (!(v >= 0 && v <= 100)) {
                throw new IllegalArgumentException(what + " threshold must be 0..100 percent, got " + v);
            }
            return v;
        }
    }
}
