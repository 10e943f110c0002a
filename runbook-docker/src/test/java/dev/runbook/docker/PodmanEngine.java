package dev.runbook.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real container engine the module's tests run against, started once per test JVM.
 *
 * <p>When {@code DOCKER_HOST} is set and answers, that engine is used (with the image named by
 * {@code RUNBOOK_TEST_IMAGE}, default {@code busybox:latest}). Otherwise a private Podman is started:
 * {@code prepare-engine.sh} (a test resource) checks podman, runc and busybox-static (installing them as root
 * with apt-get, or failing with the command to run), writes a {@code containers.conf} (runc, cgroupfs, lower
 * ulimits) and imports a busybox image into private storage under {@code target/podman}; then
 * {@code podman system service} serves the Docker API on {@code target/podman/podman.sock}. At JVM exit every
 * container of that storage is removed and the service is stopped by its PID.
 */
public final class PodmanEngine {
    /** Every container a test creates carries this label, so cleanup never touches others. */
    public static final String TEST_LABEL = "dev.runbook.test";
    private static final String PODMAN_IMAGE = "localhost/runbook-busybox:latest";
    private static PodmanEngine instance;
    private static IllegalStateException failure;

    private final DockerClient client;
    private final String host;
    private final String image;
    private final List<String> podman;
    private final Path dir;
    private final Process service;

    private PodmanEngine(DockerClient client, String host, String image, List<String> podman, Path dir, Process service) {
        this.client = client;
        this.host = host;
        this.image = image;
        this.podman = podman;
        this.dir = dir;
        this.service = service;
    }

    /** The shared engine, started on first use; throws with the reason when none could be started. */
    public static synchronized PodmanEngine get() {
        if (instance != null) {
            return instance;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "podman-engine-stop"));
            return instance;
        } catch (IllegalStateException e) {
            failure = e;
            throw e;
        }
    }

    public DockerClient client() {
        return client;
    }

    /** The engine's address ({@code unix:///.../podman.sock}). */
    public String host() {
        return host;
    }

    /** A busybox image with sh, sleep, echo, env, yes, dd, head, cat. */
    public String image() {
        return image;
    }

    /** Starts a test container: network none, the test label, these labels, env and memory limit (0: none). */
    public String run(String name, Map<String, String> labels, Map<String, String> env, long memoryBytes,
                      String... cmd) {
        var all = new LinkedHashMap<>(labels);
        all.put(TEST_LABEL, "true");
        var hc = HostConfig.newHostConfig().withNetworkMode("none");
        if (memoryBytes > 0) {
            hc = hc.withMemory(memoryBytes);
        }
        var envList = new ArrayList<String>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        String id = client.createContainerCmd(image).withName(name).withLabels(all).withEnv(envList).withCmd(cmd)
                .withHostConfig(hc).exec().getId();
        client.startContainerCmd(id).exec();
        return id;
    }

    /** Removes the test containers whose name starts with this prefix. */
    public void removeAll(String namePrefix) {
        for (var c : client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(TEST_LABEL, "true")).exec()) {
            for (String n : c.getNames()) {
                if (n.replaceFirst("^/", "").startsWith(namePrefix)) {
                    try {
                        client.removeContainerCmd(c.getId()).withForce(true).exec();
                    } catch (RuntimeException e) {
                        // gone meanwhile
                    }
                    break;
                }
            }
        }
    }

    private static PodmanEngine start() {
        String external = System.getenv("DOCKER_HOST");
        if (external != null && !external.isBlank()) {
            DockerClient c = DockerClients.connect(external);
            try {
                c.pingCmd().exec();
                String image = System.getenv().getOrDefault("RUNBOOK_TEST_IMAGE", "busybox:latest");
                try {
                    c.inspectImageCmd(image).exec();
                } catch (RuntimeException e) {
                    throw new IllegalStateException("DOCKER_HOST=" + external + " answers but has no image " + image
                            + " (set RUNBOOK_TEST_IMAGE to a busybox image it has, or unset DOCKER_HOST to use a "
                            + "private Podman)", e);
                }
                return new PodmanEngine(c, external, image, List.of(), null, null);
            } catch (IllegalStateException e) {
                throw e;
            } catch (RuntimeException e) {
                System.err.println("DOCKER_HOST=" + external + " does not answer (" + e.getMessage()
                        + "); starting a private Podman instead");
            }
        }
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path dir = module.resolve("target/podman").toAbsolutePath();
        try {
            // unix socket paths are limited to 108 bytes
            if (dir.resolve("podman.sock").toString().length() > 100) {
                dir = Files.createTempDirectory(Path.of("/tmp"), "rbd-");
            }
            Files.createDirectories(dir);
            // the script ships in this module's test resources (and test-jar), so other modules' tests can start the
            // engine too
            Path script = dir.resolve("prepare-engine.sh");
            try (var in = PodmanEngine.class.getResourceAsStream("prepare-engine.sh")) {
                if (in == null) {
                    throw new IllegalStateException("prepare-engine.sh is missing from runbook-docker's test resources");
                }
                Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            // Podman refuses a runroot longer than 50 characters: a short one per module directory
            String runroot = "/tmp/rbd-" + Integer.toHexString(dir.toString().hashCode()) + "/runroot";
            stopStale(dir);
            var prep = new ProcessBuilder("sh", script.toString(), dir.toString(), runroot, PODMAN_IMAGE)
                    .redirectErrorStream(true).start();
            String out = new String(prep.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!prep.waitFor(300, TimeUnit.SECONDS)) {
                prep.destroyForcibly();
                throw new IllegalStateException("preparing Podman took more than 300 s: " + out);
            }
            if (prep.exitValue() != 0) {
                String missing = out.lines().filter(l -> l.startsWith("MISSING")).findFirst().orElse("");
                throw new IllegalStateException("no container engine for runbook-docker's tests: "
                        + (missing.isEmpty() ? "preparing Podman failed (exit " + prep.exitValue() + "):\n" + out
                        : missing.substring("MISSING:".length()).strip() + "\n" + out));
            }
            var podman = List.of("podman", "--root", dir + "/root", "--runroot", runroot, "--tmpdir",
                    dir + "/tmp", "--storage-driver=vfs");
            Path sock = dir.resolve("podman.sock");
            Files.deleteIfExists(sock);
            var cmd = new ArrayList<>(podman);
            cmd.addAll(List.of("system", "service", "--time=0", "unix://" + sock));
            var pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("service.log").toFile());
            pb.environment().put("CONTAINERS_CONF", dir + "/containers.conf");
            Process service = pb.start();
            Files.writeString(dir.resolve("service.pid"), Long.toString(service.pid()));
            String host = "unix://" + sock;
            DockerClient client = DockerClients.connect(host);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            RuntimeException last = null;
            while (System.nanoTime() < deadline) {
                if (!service.isAlive()) {
                    break;
                }
                if (Files.exists(sock)) {
                    try {
                        client.pingCmd().exec();
                        return new PodmanEngine(client, host, PODMAN_IMAGE, podman, dir, service);
                    } catch (RuntimeException e) {
                        last = e;
                    }
                }
                // polling a real external process, bounded by the deadline
                Thread.sleep(100);
            }
            service.destroyForcibly();
            String log = Files.exists(dir.resolve("service.log")) ? Files.readString(dir.resolve("service.log")) : "";
            throw new IllegalStateException("podman system service did not answer /_ping on " + host + " within 30 s"
                    + (service.isAlive() ? "" : " (it exited with " + service.exitValue() + ")")
                    + (last == null ? "" : "; last error: " + last) + "\nservice log:\n" + log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Podman in " + dir + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Podman", e);
        }
    }

    /** A service left by an earlier test JVM of this module that did not end cleanly. */
    private static void stopStale(Path dir) throws IOException {
        Path pidFile = dir.resolve("service.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(p -> {
                String cmd = p.info().commandLine().orElse("");
                if (cmd.contains("system service") && cmd.contains(dir.toString())) {
                    p.destroy();
                }
            });
        } catch (NumberFormatException e) {
            // not ours
        }
        Files.delete(pidFile);
    }

    private void stop() {
        if (service == null) {
            removeAll("");
            return;
        }
        try {
            var cmd = new ArrayList<>(podman);
            cmd.addAll(List.of("rm", "-af", "-t", "0"));
            var pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("CONTAINERS_CONF", dir + "/containers.conf");
            pb.start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            // the service is stopped below either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        service.destroy();
        try {
            if (!service.waitFor(10, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
            Files.deleteIfExists(dir.resolve("service.pid"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // a stale pid file is handled at the next start
        }
    }
}
