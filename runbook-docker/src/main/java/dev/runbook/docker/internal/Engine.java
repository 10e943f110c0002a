package dev.runbook.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Statistics;
import dev.runbook.docker.ContainerSpec;
import dev.runbook.docker.DockerEngineException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.io.ByteArrayOutputStream;

/**
 * The calls runbook-docker makes to the engine, each translating docker-java's failures into a
 * {@link DockerEngineException} that names the engine and the container.
 */
public final class Engine {
    private final Supplier<DockerClient> client;
    private final String host;
    private final UlimitsToCopy ulimits = new UlimitsToCopy();

    public Engine(Supplier<DockerClient> client, String host) {
        this.client = client;
        this.host = host;
    }

    /** The engine's address, for messages. */
    public String host() {
        return host;
    }

    /** A container's current state. */
    public record Info(String id, String name, String status, boolean running, int exitCode, String finishedAt,
                       String startedAt, String created, Map<String, String> labels, long memoryLimit,
                       ContainerSpec spec) {
    }

    /** One stats sample. */
    public record Stats(long memoryUsage, long memoryLimit, long cpuTotal, long systemCpu, long onlineCpus) {
        public double memoryPercent() {
            return memoryLimit <= 0 ? 0.0 : round(100.0 * memoryUsage / memoryLimit);
        }

        /** CPU percent of one core between two samples (Docker's formula), empty when it cannot be computed. */
        public Optional<Double> cpuPercentSince(Stats before) {
            long cpu = cpuTotal - before.cpuTotal;
            long sys = systemCpu - before.systemCpu;
            if (sys <= 0 || cpu < 0) {
                return Optional.empty();
            }
            return Optional.of(round(100.0 * cpu / sys * Math.max(1, onlineCpus)));
        }
    }

    static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }

    <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (NotFoundException e) {
            throw new DockerEngineException(what + " on " + host + ": not found (" + firstLine(e) + ")", false, e);
        } catch (ConflictException e) {
            throw new DockerEngineException(what + " on " + host + ": conflict (" + firstLine(e) + ")", false, e);
        } catch (DockerException e) {
            throw new DockerEngineException(what + " on " + host + " failed: HTTP " + e.getHttpStatus() + " "
                    + firstLine(e), e.getHttpStatus() >= 500, e);
        } catch (RuntimeException e) {
            Throwable io = ioCause(e);
            if (io != null) {
                throw new DockerEngineException(what + ": cannot reach the Docker engine at " + host + " ("
                        + io.getClass().getSimpleName() + ": " + io.getMessage() + "); is it running and is "
                        + "DOCKER_HOST right?", true, e);
            }
            throw e;
        }
    }

    void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }

    private static Throwable ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketException || t instanceof SocketTimeoutException || t instanceof IOException) {
                return t;
            }
        }
        return null;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage()).strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Checks the engine answers. */
    public void ping() {
        run("ping", () -> client.get().pingCmd().exec());
    }

    /** Inspects a container by name or id, empty when there is none. */
    public Optional<Info> find(String nameOrId) {
        try {
            return Optional.of(toInfo(client.get().inspectContainerCmd(nameOrId).exec(), client.get()));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(call("inspect container '" + nameOrId + "'", () -> toInfo(
                    client.get().inspectContainerCmd(nameOrId).exec(), client.get())));
        }
    }

    /** Inspects a container that must exist. */
    public Info inspect(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> new DockerEngineException("container '" + nameOrId + "' not found on "
                + host, false, null));
    }

    /** Containers (running or not) with all these labels, oldest first. */
    public List<Container> list(Map<String, String> labels, boolean all) {
        return call("list containers with labels " + labels, () -> {
            var cmd = client.get().listContainersCmd().withShowAll(all);
            if (!labels.isEmpty()) {
                cmd = cmd.withLabelFilter(labels);
            }
            var out = new ArrayList<>(cmd.exec());
            out.sort(Comparator.comparing(c -> c.getCreated() == null ? 0L : c.getCreated()));
            return out;
        });
    }

    /** The first name of a listed container, without Docker's leading slash. */
    public static String nameOf(Container c) {
        String[] names = c.getNames();
        if (names == null || names.length == 0) {
            return c.getId().substring(0, Math.min(12, c.getId().length()));
        }
        String n = names[0];
        return n.startsWith("/") ? n.substring(1) : n;
    }

    public void restart(Info c, int timeoutSeconds) {
        run("restart container '" + c.name() + "'", () -> client.get().restartContainerCmd(c.id())
                .withTimeout(timeoutSeconds).exec());
    }

    public void start(String name) {
        run("start container '" + name + "'", () -> client.get().startContainerCmd(name).exec());
    }

    public void stop(String name, int timeoutSeconds) {
        try {
            run("stop container '" + name + "'", () -> client.get().stopContainerCmd(name).withTimeout(timeoutSeconds)
                    .exec());
        } catch (DockerEngineException e) {
            // Podman answers 304 for a container that is already stopped: nothing to do
            if (!(e.getCause() instanceof NotModifiedException)) {
                throw e;
            }
        }
    }

    public void remove(String name) {
        try {
            client.get().removeContainerCmd(name).withForce(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            run("remove container '" + name + "'", () -> client.get().removeContainerCmd(name).withForce(true).exec());
        }
    }

    public void rename(String from, String to) {
        run("rename container '" + from + "' to '" + to + "'", () -> client.get().renameContainerCmd(from)
                .withName(to).exec());
    }

    /**
     * Creates (does not start) a container from a spec and attaches it to the spec's networks; returns its id.
     * The spec's settings come first and its fields over them. A container that cannot be attached to one of its
     * networks is removed again.
     */
    public String create(ContainerSpec spec) {
        Map<String, List<String>> networks = Settings.networks(spec.settings(), spec.networkMode());
        String primary = Settings.primaryNetwork(spec.networkMode(), networks);
        String id = call("create container '" + spec.name() + "' from image " + spec.image(), () -> {
            CreateContainerCmd cmd = client.get().createContainerCmd(spec.image()).withName(spec.name());
            cmd = Settings.applyConfig(spec.settings(), cmd);
            if (!spec.cmd().isEmpty()) {
                cmd = cmd.withCmd(spec.cmd());
            }
            if (!spec.entrypoint().isEmpty()) {
                cmd = cmd.withEntrypoint(spec.entrypoint());
            }
            var env = new ArrayList<String>();
            spec.env().forEach((k, v) -> env.add(k + "=" + v));
            cmd = cmd.withEnv(env).withLabels(spec.labels());
            if (!spec.workingDir().isEmpty()) {
                cmd = cmd.withWorkingDir(spec.workingDir());
            }
            if (!spec.user().isEmpty()) {
                cmd = cmd.withUser(spec.user());
            }
            if (networks.containsKey(primary) && !networks.get(primary).isEmpty()) {
                // aliases on the network the container is created on (docker-java keys them by the network mode)
                cmd = cmd.withAliases(networks.get(primary));
            }
            return cmd.withHostConfig(Settings.hostConfig(spec, primary)).exec().getId();
        });
        try {
            attach(id, spec.name(), networks);
        } catch (DockerEngineException e) {
            remove(id);
            throw e;
        }
        return id;
    }

    /** Connects a created container to each of its networks it is not on yet, with the aliases it had there. */
    private void attach(String id, String name, Map<String, List<String>> networks) {
        if (networks.isEmpty()) {
            return;
        }
        var created = call("inspect the new container '" + name + "'", () -> client.get().inspectContainerCmd(id).exec());
        var on = created.getNetworkSettings() == null || created.getNetworkSettings().getNetworks() == null
                ? Map.<String, Object>of() : created.getNetworkSettings().getNetworks();
        networks.forEach((network, aliases) -> {
            if (!on.containsKey(network)) {
                run("connect container '" + name + "' to network '" + network + "'", () -> client.get()
                        .connectToNetworkCmd().withNetworkId(network).withContainerId(id)
                        .withContainerNetwork(new ContainerNetwork().withAliases(aliases)).exec());
            }
        });
    }

    /** One stats sample of a running container. */
    public Stats stats(String name) {
        return call("read stats of container '" + name + "'", () -> {
            var holder = new Statistics[1];
            try (var cb = client.get().statsCmd(name).withNoStream(true).exec(new ResultCallback.Adapter<Statistics>() {
                @Override
                public void onNext(Statistics s) {
                    holder[0] = s;
                }
            })) {
                if (!cb.awaitCompletion(20, TimeUnit.SECONDS)) {
                    throw new DockerEngineException("stats of container '" + name + "' on " + host
                            + " did not arrive within 20s", true, null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DockerEngineException("interrupted reading stats of '" + name + "'", true, e);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Statistics s = holder[0];
            if (s == null) {
                throw new DockerEngineException("no stats for container '" + name + "' on " + host, true, null);
            }
            long usage = s.getMemoryStats() == null || s.getMemoryStats().getUsage() == null ? 0
                    : s.getMemoryStats().getUsage();
            long limit = s.getMemoryStats() == null || s.getMemoryStats().getLimit() == null ? 0
                    : s.getMemoryStats().getLimit();
            var cpu = s.getCpuStats();
            long total = cpu == null || cpu.getCpuUsage() == null || cpu.getCpuUsage().getTotalUsage() == null ? 0
                    : cpu.getCpuUsage().getTotalUsage();
            long system = cpu == null || cpu.getSystemCpuUsage() == null ? 0 : cpu.getSystemCpuUsage();
            long cpus = cpu == null || cpu.getOnlineCpus() == null ? 1 : cpu.getOnlineCpus();
            return new Stats(usage, limit, total, system, cpus);
        });
    }

    /** The last {@code tail} log lines (stdout and stderr), only those after {@code since} when given. */
    public List<String> logs(String name, int tail, Optional<Instant> since) {
        return call("read logs of container '" + name + "'", () -> {
            var buf = new ByteArrayOutputStream();
            var cmd = client.get().logContainerCmd(name).withStdOut(true).withStdErr(true).withTail(tail);
            if (since.isPresent()) {
                cmd = cmd.withSince((int) since.get().getEpochSecond());
            }
            try (var cb = cmd.exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame f) {
                    synchronized (buf) {
                        buf.writeBytes(f.getPayload());
                    }
                }
            })) {
                if (!cb.awaitCompletion(20, TimeUnit.SECONDS)) {
                    throw new DockerEngineException("logs of container '" + name + "' on " + host
                            + " did not arrive within 20s", true, null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DockerEngineException("interrupted reading logs of '" + name + "'", true, e);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            String text;
            synchronized (buf) {
                text = buf.toString(StandardCharsets.UTF_8);
            }
            var lines = new ArrayList<String>();
            for (String l : text.split("\r?\n")) {
                if (!l.isEmpty()) {
                    lines.add(l);
                }
            }
            return lines;
        });
    }

    private Info toInfo(InspectContainerResponse r, DockerClient raw) {
        String name = r.getName() == null ? r.getId() : r.getName().replaceFirst("^/", "");
        var st = r.getState();
        boolean running = st != null && Boolean.TRUE.equals(st.getRunning());
        int exit = st == null || st.getExitCodeLong() == null ? 0 : st.getExitCodeLong().intValue();
        var cfg = r.getConfig();
        var hc = r.getHostConfig();
        Map<String, String> labels = cfg == null || cfg.getLabels() == null ? Map.of() : cfg.getLabels();
        var env = new LinkedHashMap<String, String>();
        if (cfg != null && cfg.getEnv() != null) {
            for (String kv : cfg.getEnv()) {
                int eq = kv.indexOf('=');
                String k = eq < 0 ? kv : kv.substring(0, eq);
                // the engine sets HOSTNAME per container: a clone must get its own
                if (!k.equals("HOSTNAME")) {
                    env.put(k, eq < 0 ? "" : kv.substring(eq + 1));
                }
            }
        }
        long memory = hc == null || hc.getMemory() == null ? 0 : hc.getMemory();
        var spec = new ContainerSpec(name,
                cfg == null || cfg.getImage() == null ? r.getImageId() : cfg.getImage(),
                cfg == null || cfg.getCmd() == null ? List.of() : Arrays.asList(cfg.getCmd()),
                cfg == null || cfg.getEntrypoint() == null ? List.of() : Arrays.asList(cfg.getEntrypoint()),
                env, labels,
                cfg == null || cfg.getWorkingDir() == null || cfg.getWorkingDir().equals("/") ? "" : cfg.getWorkingDir(),
                cfg == null || cfg.getUser() == null ? "" : cfg.getUser(),
                memory,
                hc == null || hc.getMemorySwap() == null || memory == 0 ? 0 : hc.getMemorySwap(),
                hc == null || hc.getNanoCPUs() == null ? 0 : hc.getNanoCPUs(),
                hc == null || hc.getCpuShares() == null ? 0 : hc.getCpuShares(),
                restartPolicy(hc == null ? null : hc.getRestartPolicy()),
                hc == null || hc.getNetworkMode() == null ? "" : hc.getNetworkMode(),
                hc == null || hc.getBinds() == null ? List.of() : Arrays.stream(hc.getBinds()).map(Bind::toString).toList(),
                hc == null || hc.getTmpFs() == null ? Map.of() : hc.getTmpFs(),
                ulimits.of(hc == null ? null : hc.getUlimits(), raw,
                        cfg == null || cfg.getImage() == null ? r.getImageId() : cfg.getImage()),
                running, Settings.capture(r, RawInspect.stopSettings(raw, r.getId())));
        return new Info(r.getId(), name, st == null || st.getStatus() == null ? "unknown" : st.getStatus(), running,
                exit, st == null || st.getFinishedAt() == null ? "" : st.getFinishedAt(),
                st == null || st.getStartedAt() == null ? "" : st.getStartedAt(),
                r.getCreated() == null ? "" : r.getCreated(), labels, memory, spec);
    }

    private static String restartPolicy(RestartPolicy p) {
        if (p == null || p.getName() == null || p.getName().isEmpty()) {
            return "no";
        }
        if (p.getName().equals("on-failure") && p.getMaximumRetryCount() != null && p.getMaximumRetryCount() > 0) {
            return "on-failure:" + p.getMaximumRetryCount();
        }
        return p.getName();
    }
}
