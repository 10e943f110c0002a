package dev.runbook.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which engine the default clients use: the CLI's {@code --docker-host} arrives as {@code runbook.docker.host}. */
class DockerClientsTest {
    private String savedProperty;

    @BeforeEach
    void save() {
        savedProperty = System.getProperty(DockerClients.HOST_PROPERTY);
    }

    @AfterEach
    void restore() {
        if (savedProperty == null) {
            System.clearProperty(DockerClients.HOST_PROPERTY);
        } else {
            System.setProperty(DockerClients.HOST_PROPERTY, savedProperty);
        }
    }

    @Test
    void thePropertyWinsOverDockerHostWhichWinsOverTheDefaultAndBlanksCountAsUnset() {
        Map<String, String> env = Map.of("DOCKER_HOST", "tcp://from-env:2375");
        assertThat(DockerClients.host(Map.of("runbook.docker.host", "tcp://from-property:2375")::get, env::get))
                .isEqualTo("tcp://from-property:2375");
        assertThat(DockerClients.host(Map.<String, String>of()::get, env::get)).isEqualTo("tcp://from-env:2375");
        assertThat(DockerClients.host(Map.of("runbook.docker.host", "  ")::get, env::get)).isEqualTo("tcp://from-env:2375");
        assertThat(DockerClients.host(Map.<String, String>of()::get, Map.of("DOCKER_HOST", "")::get))
                .isEqualTo(DockerClients.DEFAULT_HOST);
    }

    @Test
    void theDefaultClientTalksToTheEngineOfTheSystemProperty() throws Exception {
        // a real HTTP server on loopback stands for the engine: it answers docker-java's ping as an engine does
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer engine = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        engine.createContext("/", ex -> {
            paths.add(ex.getRequestURI().getPath());
            byte[] ok = "OK".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        engine.start();
        String host = "tcp://127.0.0.1:" + engine.getAddress().getPort();
        System.setProperty(DockerClients.HOST_PROPERTY, host);
        try (DockerClient client = DockerClients.fromEnvironment()) {
            assertThat(DockerClients.hostFromEnvironment()).isEqualTo(host);
            client.pingCmd().exec();
            assertThat(paths).isNotEmpty().allMatch(p -> p.endsWith("/_ping"));
        } finally {
            engine.stop(0);
        }
    }
}
