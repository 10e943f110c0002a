package dev.runbook.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runbook.core.model.Incident;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor when a container stops between being listed and having its stats read, and when the engine goes away
 * in the middle of a sample. Podman answers a stats request for a container that has just exited with an empty
 * stream; the real engine cannot be made to lose that race on demand, so a loopback HTTP server speaking the Docker
 * API's list, inspect, stats and logs shapes stands in for it (a mock of this one fault, named as such).
 */
class ContainerMonitorRaceTest {
    private static final Pattern CONTAINER = Pattern.compile(".*/containers/([^/]+)/(json|stats|logs)");

    private HttpServer server;
    private DockerClient client;
    private String host;
    /** Whether the container {@code gone} has exited: set once its stats were asked for. */
    private final AtomicBoolean goneExited = new AtomicBoolean();
    /** Whether {@code gone}'s stats stay empty while it is still running (the engine's answer, not an exit). */
    private final AtomicBoolean emptyWhileRunning = new AtomicBoolean();
    /** Whether the engine stops answering (closes connections) after {@code gone}'s stats were asked for. */
    private final AtomicBoolean engineDiesAfterStats = new AtomicBoolean();
    private final AtomicBoolean engineDown = new AtomicBoolean();

    @BeforeEach
    void engine() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        host = "tcp://127.0.0.1:" + server.getAddress().getPort();
        client = DockerClients.connect(host);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        if (engineDown.get()) {
            ex.close(); // no answer: the connection closes, as when the engine dies
            return;
        }
        String path = ex.getRequestURI().getPath();
        if (path.endsWith("/containers/json")) {
            send(ex, 200, "[" + listed("gone") + "," + listed("hog") + "]");
            return;
        }
        Matcher m = CONTAINER.matcher(path);
        if (!m.matches()) {
            send(ex, 404, "{\"message\":\"no route " + path + "\"}");
            return;
        }
        String id = m.group(1);
        switch (m.group(2)) {
            case "json" -> send(ex, 200, inspected(id, !(id.equals("gone") && goneExited.get())));
            case "stats" -> {
                if (id.equals("gone")) {
                    goneExited.set(!emptyWhileRunning.get());
                    engineDown.set(engineDiesAfterStats.get());
                    send(ex, 200, ""); // the stream ends without a sample
                } else {
                    send(ex, 200, "{\"read\":\"2026-11-30T21:00:00Z\",\"memory_stats\":{\"usage\":95000000,"
                            + "\"limit\":100000000},\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":1000},"
                            + "\"system_cpu_usage\":100000,\"online_cpus\":1}}");
                }
            }
            default -> send(ex, 200, "");
        }
    }

    private static String listed(String id) {
        return "{\"Id\":\"" + id + "\",\"Names\":[\"/" + id + "\"],\"Image\":\"alpine\",\"Created\":1,"
                + "\"State\":\"running\",\"Labels\":{}}";
    }

    private static String inspected(String id, boolean running) {
        return "{\"Id\":\"" + id + "\",\"Name\":\"/" + id + "\",\"Created\":\"2026-11-30T20:00:00Z\",\"State\":{"
                + "\"Status\":\"" + (running ? "running" : "exited") + "\",\"Running\":" + running + ",\"ExitCode\":0,"
                + "\"StartedAt\":\"2026-11-30T20:00:01Z\",\"FinishedAt\":\""
                + (running ? "0001-01-01T00:00:00Z" : "2026-11-30T21:00:00Z") + "\"},"
                + "\"Config\":{\"Image\":\"alpine\",\"Labels\":{}},\"HostConfig\":{\"Memory\":100000000}}";
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    private ContainerMonitor monitor() {
        return ContainerMonitor.builder().client(client, host).build();
    }

    @Test
    void aContainerThatExitsBetweenTheListingAndItsStatsIsSkippedAndTheOthersAreSampled() {
        List<Incident> incidents = monitor().sample();

        assertThat(incidents).extracting(i -> i.rootCauseReason() + "@" + i.resource().name())
                .containsExactly("MEMORY_SPIKE@hog");
        assertThat(goneExited).isTrue();
    }

    @Test
    void aRunningContainerWhoseStatsStayEmptyIsSkippedThisTimeAndTheOthersAreSampled() {
        emptyWhileRunning.set(true);
        ContainerMonitor monitor = monitor();

        assertThat(monitor.sample()).extracting(i -> i.rootCauseReason() + "@" + i.resource().name())
                .containsExactly("MEMORY_SPIKE@hog");
        assertThat(monitor.sample()).as("the same episode is not raised again").isEmpty();
    }

    @Test
    void anEngineThatGoesAwayInTheMiddleOfASampleIsAnErrorNamingItsAddress() {
        engineDiesAfterStats.set(true);

        assertThatThrownBy(() -> monitor().sample()).isInstanceOf(DockerEngineException.class)
                .hasMessageContaining("cannot reach the Docker engine at " + host)
                .satisfies(e -> assertThat(((DockerEngineException) e).transientFailure()).isTrue());
    }
}
