package dev.runbook.docker;

import static dev.runbook.docker.DockerTestSupport.action;
import static dev.runbook.docker.DockerTestSupport.ctx;
import static dev.runbook.docker.DockerTestSupport.runbook;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Ulimit;
import dev.runbook.core.model.Safety;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recreating a container (update-env-vars, rollback-deployment, scale-out clones) keeps every setting of the
 * original: a published port, a named volume mounted with {@code --mount}, an extra network with an alias, added
 * capabilities and a healthcheck, compared field by field between the inspects.
 */
class RecreationKeepsSettingsTest {
    private static final String P = "rbt-keep-";
    private static final String NETWORK = P + "net";
    /** One volume per test: each reads back exactly the lines its own starts wrote. */
    private static final List<String> VOLUMES = List.of(P + "vol-env", P + "vol-scale");
    private static final String ALIAS = "keep-web-alias";
    private static final Safety WHITELIST = DockerSafety.builder().envWhitelist(List.of("LOG_LEVEL")).build();
    /** Reads only the fields docker-java's models annotate, as the actions do. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .configure(MapperFeature.AUTO_DETECT_GETTERS, false)
            .configure(MapperFeature.AUTO_DETECT_IS_GETTERS, false)
            .serializationInclusion(JsonInclude.Include.NON_NULL).build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static PodmanEngine engine;
    private static DockerClient client;
    private final InMemoryContainerHistory history = new InMemoryContainerHistory();
    private final DockerActions actions = DockerTestSupport.actions(engine, history);

    @BeforeAll
    static void engine() {
        engine = PodmanEngine.get();
        client = engine.client();
        cleanup();
        client.createNetworkCmd().withName(NETWORK).exec();
        VOLUMES.forEach(v -> client.createVolumeCmd().withName(v).exec());
    }

    @AfterAll
    static void cleanup() {
        engine.removeAll(P);
        try {
            client.removeNetworkCmd(NETWORK).exec();
        } catch (RuntimeException e) {
            // not there
        }
        for (String v : VOLUMES) {
            try {
                client.removeVolumeCmd(v).exec();
            } catch (RuntimeException e) {
                // not there
            }
        }
    }

    /**
     * A busybox httpd serving the volume on a published port; each start appends its LOG_LEVEL to
     * {@code /data/starts.txt}, so the file shows both that the volume survived and which env each start had.
     */
    private static void web(String name, int hostPort, String volume, Map<String, String> labels) {
        ExposedPort http = ExposedPort.tcp(8080);
        var all = new TreeMap<>(labels);
        all.put(PodmanEngine.TEST_LABEL, "true");
        var hc = HostConfig.newHostConfig().withNetworkMode("bridge")
                .withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", hostPort), http))
                .withMounts(List.of(new Mount().withType(MountType.VOLUME).withSource(volume).withTarget("/data")))
                .withCapAdd(Capability.NET_ADMIN, Capability.SYS_TIME)
                // with any ulimit given, Podman drops its configured defaults: nproc must then be given too
                .withUlimits(List.of(new Ulimit("nofile", 512L, 512L), new Ulimit("nproc", 1024L, 1024L)));
        String id = client.createContainerCmd(engine.image()).withName(name).withLabels(all)
                .withEnv("LOG_LEVEL=info").withExposedPorts(http).withStopSignal("SIGINT").withStopTimeout(7)
                .withHealthcheck(new HealthCheck().withTest(List.of("CMD-SHELL", "test -f /data/starts.txt"))
                        .withInterval(TimeUnit.SECONDS.toNanos(30)).withTimeout(TimeUnit.SECONDS.toNanos(5))
                        .withRetries(3))
                .withCmd("sh", "-c", "echo \"$LOG_LEVEL\" >> /data/starts.txt; exec httpd -f -p 8080 -h /data")
                .withHostConfig(hc).exec().getId();
        client.connectToNetworkCmd().withNetworkId(NETWORK).withContainerId(id)
                .withContainerNetwork(new ContainerNetwork().withAliases(ALIAS)).exec();
        client.startContainerCmd(id).exec();
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The body of {@code /starts.txt} on this port, polling while httpd starts (a real process, with a deadline). */
    private static String starts(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/starts.txt"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
                last = new IllegalStateException("HTTP " + response.statusCode());
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nothing answered on 127.0.0.1:" + port + " within 20 s", last);
    }

    /**
     * What a container was created with, flattened to path = value: Config, HostConfig, the mounts and each
     * network's aliases. Left out as legitimately different per container: ids, names, times, state, IP and MAC
     * addresses (the engine assigns them), {@code Config.Hostname} and the {@code HOSTNAME} variable (the engine
     * derives both from the new id) and the aliases equal to the short id. The variables are compared sorted.
     */
    private static Map<String, Object> settings(String name) {
        InspectContainerResponse r = client.inspectContainerCmd(name).exec();
        String shortId = r.getId().substring(0, 12);
        var out = new TreeMap<String, Object>();
        @SuppressWarnings("unchecked")
        Map<String, Object> config = new TreeMap<>(JSON.convertValue(r.getConfig(), Map.class));
        config.remove("Hostname");
        // sorted: Podman lists the variables in an order of its own on each create
        config.put("Env", ((List<?>) config.get("Env")).stream().map(Object::toString)
                .filter(e -> !e.startsWith("HOSTNAME=")).sorted().toList());
        flatten("Config", config, out);
        flatten("HostConfig", JSON.convertValue(r.getHostConfig(), Map.class), out);
        var mounts = new ArrayList<String>();
        r.getMounts().forEach(m -> mounts.add(m.getName() + " " + m.getDestination() + " rw=" + m.getRW()));
        out.put("Mounts", mounts);
        // not in docker-java's model: read from the engine's own inspect JSON
        var request = com.github.dockerjava.transport.DockerHttpClient.Request.builder()
                .method(com.github.dockerjava.transport.DockerHttpClient.Request.Method.GET)
                .path("/containers/" + r.getId() + "/json").build();
        try (var response = ((com.github.dockerjava.core.DockerClientImpl) client).getHttpClient().execute(request)) {
            var raw = JSON.readTree(response.getBody()).path("Config");
            out.put("Config.StopSignal", raw.path("StopSignal").asText());
            out.put("Config.StopTimeout", raw.path("StopTimeout").asLong());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        r.getNetworkSettings().getNetworks().forEach((net, n) -> out.put("Networks." + net + ".Aliases",
                n.getAliases() == null ? List.of() : n.getAliases().stream().filter(a -> !a.equals(shortId)).toList()));
        return out;
    }

    private static void flatten(String path, Object v, Map<String, Object> out) {
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> flatten(path + "." + k, x, out));
        } else {
            out.put(path, v);
        }
    }

    /** Fails naming every differing field, except those given. */
    private static void assertSameSettings(Map<String, Object> before, Map<String, Object> after, Set<String> except) {
        var differ = new TreeMap<String, String>();
        var keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String k : keys) {
            if (!except.contains(k) && !java.util.Objects.equals(before.get(k), after.get(k))) {
                differ.put(k, before.get(k) + " -> " + after.get(k));
            }
        }
        assertThat(differ).as("settings that changed in the recreation").isEmpty();
    }

    @Test
    void updateEnvAndRollbackKeepPortVolumeNetworkCapabilitiesAndHealthcheck() throws Exception {
        int port = freePort();
        web(P + "web", port, VOLUMES.get(0), Map.of());
        assertThat(starts(port)).isEqualTo("info\n");
        Map<String, Object> original = settings(P + "web");
        // Podman reports the signal by number, Docker by name
        assertThat(original.get("Config.StopSignal")).isIn("SIGINT", "2");
        // the setup really has what the test is about (else the comparison proves nothing)
        assertThat(original).containsEntry("HostConfig.CapAdd", List.of("NET_ADMIN", "SYS_TIME"))
                .containsEntry("Networks." + NETWORK + ".Aliases", List.of(ALIAS))
                .containsEntry("Config.Healthcheck.Test", List.of("CMD-SHELL", "test -f /data/starts.txt"))
                .containsEntry("Config.StopTimeout", 7L)
                .containsEntry("Mounts", List.of(VOLUMES.get(0) + " /data rw=true"))
                .containsEntry("HostConfig.PortBindings.8080/tcp",
                        List.of(Map.of("HostIp", "127.0.0.1", "HostPort", String.valueOf(port))));
        // Podman lists every ulimit in force as RLIMIT_*, Docker the ones set at creation
        assertThat(String.valueOf(original.get("HostConfig.Ulimits"))).containsIgnoringCase("nofile").contains("512");

        var update = action(actions, "update-env-vars");
        update.execute(ctx(update, Map.of("container", P + "web", "env", Map.of("LOG_LEVEL", "debug")),
                runbook(WHITELIST)).build());
        assertThat(starts(port)).as("the port answers again and the volume kept the first start's line")
                .isEqualTo("info\ndebug\n");
        Map<String, Object> updated = settings(P + "web");
        assertSameSettings(original, updated, Set.of("Config.Env"));
        var env = ((List<?>) original.get("Config.Env")).stream().map(Object::toString)
                .map(e -> e.equals("LOG_LEVEL=info") ? "LOG_LEVEL=debug" : e).sorted().toList();
        assertThat(updated.get("Config.Env")).isEqualTo(env);

        var rollback = action(actions, "rollback-deployment");
        rollback.execute(ctx(rollback, Map.of("container", P + "web"), runbook(Safety.none())).build());
        assertThat(starts(port)).isEqualTo("info\ndebug\ninfo\n");
        assertSameSettings(original, settings(P + "web"), Set.of());
    }

    @Test
    void aScaleOutCloneKeepsEverySettingButTakesAnEphemeralHostPort() throws Exception {
        int port = freePort();
        web(P + "svc-1", port, VOLUMES.get(1), Map.of(DockerActions.COMPOSE_SERVICE_LABEL, "keepsvc"));
        starts(port);
        var scale = action(actions, "scale-service");
        scale.execute(ctx(scale, Map.of("service", "keepsvc", "replicas", 2), runbook(Safety.none())).build());

        var ports = client.inspectContainerCmd(P + "svc-2").exec().getNetworkSettings().getPorts().getBindings();
        Ports.Binding[] bound = ports.get(ExposedPort.tcp(8080));
        assertThat(bound).hasSize(1);
        assertThat(bound[0].getHostIp()).isEqualTo("127.0.0.1");
        int clonePort = Integer.parseInt(bound[0].getHostPortSpec());
        assertThat(clonePort).isNotEqualTo(port);
        // the clone shares the named volume: its start line is there next to the original's
        assertThat(starts(clonePort)).isEqualTo("info\ninfo\n");
        assertThat(starts(port)).isEqualTo("info\ninfo\n");
        assertSameSettings(settings(P + "svc-1"), settings(P + "svc-2"), Set.of(
                // the clone's fixed host port is given up for an ephemeral one
                "HostConfig.PortBindings.8080/tcp"));
    }
}
