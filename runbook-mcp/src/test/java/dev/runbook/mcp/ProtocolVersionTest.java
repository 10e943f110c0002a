package dev.runbook.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.docker.ContainerMonitor;
import dev.runbook.docker.DockerActions;
import dev.runbook.docker.DockerClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

/**
 * The MCP lifecycle: a server that speaks the client's protocol version answers with it, else with the latest it
 * speaks. The SDK's stdio transport answered 2024-11-05 to every client. Raw JSON-RPC, so the version sent is exactly
 * the one under test; no container engine is needed.
 */
class ProtocolVersionTest {
    private RunbookMcpServer server;
    private McpHttpServer http;

    @BeforeEach
    void start() {
        var docker = DockerClients.connect("unix:///nonexistent/runbook-mcp-test.sock");
        server = RunbookMcpServer.builder().discoverActions(false)
                .dockerActions(DockerActions.builder().client(docker, "unix:///nonexistent").build())
                .monitor(ContainerMonitor.builder().client(docker, "unix:///nonexistent").build()).build();
    }

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        server.close();
    }

    private static String initialize(String version) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + version
                + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"version-test\",\"version\":\"1\"}}}";
    }

    /** The protocolVersion of an initialize result (a JSON text, or an SSE event carrying it). */
    private Map<String, Object> result(String body) throws IOException {
        int start = body.indexOf('{');
        @SuppressWarnings("unchecked")
        Map<String, Object> rpc = server.jsonMapper().readValue(body.substring(start, body.lastIndexOf('}') + 1), Map.class);
        assertThat(rpc).as(body).containsKey("result");
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) rpc.get("result");
        return result;
    }

    @ParameterizedTest
    @CsvSource({"2024-11-05, 2024-11-05", "2025-03-26, 2025-03-26", "2025-06-18, 2025-06-18",
            "2025-11-25, 2025-11-25", "1999-01-01, 2025-11-25"})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void stdioAnswersTheClientsVersionWhenSpokenElseTheLatest(String asked, String answered) throws IOException {
        var toServer = new PipedOutputStream();
        var serverIn = new PipedInputStream(toServer, 1 << 16);
        var serverOut = new PipedOutputStream();
        var fromServer = new PipedInputStream(serverOut, 1 << 16);
        server.serveStdio(serverIn, serverOut);
        OutputStream out = toServer;
        out.write((initialize(asked) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String line = new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8)).readLine();
        var result = result(line);
        assertThat(result).containsEntry("protocolVersion", answered);
        assertThat(RunbookMcpServer.PROTOCOL_VERSIONS).contains(answered);
        toServer.close();
    }

    @ParameterizedTest
    @CsvSource({"2024-11-05, 2024-11-05", "2025-03-26, 2025-03-26", "2025-06-18, 2025-06-18",
            "2025-11-25, 2025-11-25", "1999-01-01, 2025-11-25"})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void httpAnswersTheClientsVersionWhenSpokenElseTheLatest(String asked, String answered) throws Exception {
        http = McpTestSupport.serveHttp(server);
        var req = HttpRequest.newBuilder(URI.create(http.url()))
                .header("Authorization", "Bearer " + McpTestSupport.TOKEN).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(initialize(asked))).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(result(r.body())).containsEntry("protocolVersion", answered);
    }
}
