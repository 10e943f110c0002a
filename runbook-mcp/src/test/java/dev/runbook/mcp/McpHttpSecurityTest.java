package dev.runbook.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.docker.ContainerMonitor;
import dev.runbook.docker.DockerActions;
import dev.runbook.docker.DockerClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: MCP over HTTP had no authentication, took any {@code http://localhost:<port>} Origin by prefix and put
 * Java stack traces in error bodies. Real HTTP on loopback, written byte by byte so that Host and Origin are exactly
 * what an attacker sends. No container engine is needed: no Docker tool is called.
 */
class McpHttpSecurityTest {
    private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    private RunbookMcpServer server;
    private McpHttpServer http;

    record Response(int status, Map<String, String> headers, String body) {
    }

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

    /** One request on its own connection; {@code headers} are sent as given (Host included). */
    private Response post(Map<String, String> headers, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", http.port())) {
            var req = new StringBuilder("POST /mcp HTTP/1.1\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            req.append("Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n")
                    .append("Connection: close\r\nContent-Length: ").append(bytes.length).append("\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            String[] head = raw.substring(0, split).split("\r\n");
            var h = new LinkedHashMap<String, String>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                h.put(head[i].substring(0, colon).toLowerCase(java.util.Locale.ROOT), head[i].substring(colon + 1).strip());
            }
            String rest = raw.substring(split + 4);
            return new Response(Integer.parseInt(head[0].split(" ")[1]), h,
                    "chunked".equalsIgnoreCase(h.get("transfer-encoding")) ? dechunk(rest) : rest);
        }
    }

    /** The body of a chunked response: each chunk is its hex size, CRLF, the data, CRLF; size 0 ends it. */
    private static String dechunk(String chunked) {
        var out = new StringBuilder();
        int i = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
    }

    private Map<String, String> headers(String... kv) {
        var m = new LinkedHashMap<String, String>();
        m.put("Host", "127.0.0.1:" + http.port());
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void noTrace(Response r) {
        // the SDK wrote its exception whole: {"cause":null,"stackTrace":[{"className":"io.modelcontextprotocol...
        assertThat(r.body()).doesNotContain("at dev.runbook").doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("stackTrace").doesNotContain("className").doesNotContain(" at [Source")
                .doesNotContain("Tomcat");
    }

    @Test
    void withoutTheTokenOrWithAWrongOneARequestIsUnauthorized() throws IOException {
        http = McpTestSupport.serveHttp(server);
        Response none = post(headers(), INIT);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers()).containsEntry("www-authenticate", "Bearer realm=\"runbook-mcp\"");
        assertThat(none.body()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":"
                + "\"missing bearer token");
        noTrace(none);
        Response wrong = post(headers("Authorization", "Bearer " + McpTestSupport.TOKEN + "x"), INIT);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"message\":\"wrong bearer token\"");
        assertThat(post(headers("Authorization", "Basic " + McpTestSupport.TOKEN), INIT).status()).isEqualTo(401);
        Response right = post(headers("Authorization", "Bearer " + McpTestSupport.TOKEN), INIT);
        assertThat(right.status()).isEqualTo(200);
        assertThat(right.body()).contains("\"serverInfo\"");
    }

    @Test
    void forgedOriginsAndHostsAreForbiddenExactOnesServed() throws IOException {
        http = McpTestSupport.serveHttp(server);
        int other;
        try (var free = new ServerSocket(0)) {
            other = free.getLocalPort();
        }
        String auth = "Bearer " + McpTestSupport.TOKEN;
        for (String origin : new String[] {"http://localhost:@evil.com", "http://localhost.evil.com",
                "http://127.0.0.1:" + other, "http://localhost:" + http.port() + "@evil.com", "http://evil.com",
                "https://127.0.0.1:" + http.port(), "null"}) {
            Response r = post(headers("Origin", origin, "Authorization", auth), INIT);
            assertThat(r.status()).as("Origin %s", origin).isEqualTo(403);
            assertThat(r.body()).as("Origin %s", origin).contains("is not allowed");
            noTrace(r);
        }
        var rebound = headers("Authorization", auth);
        rebound.put("Host", "evil.com:" + http.port());
        assertThat(post(rebound, INIT).status()).isEqualTo(403);
        for (String origin : new String[] {"http://127.0.0.1:" + http.port(), "http://localhost:" + http.port()}) {
            assertThat(post(headers("Origin", origin, "Authorization", auth), INIT).status()).as(origin).isEqualTo(200);
        }
    }

    @Test
    void errorBodiesCarryAMessageAndNoStackTrace() throws IOException {
        http = McpTestSupport.serveHttp(server);
        String auth = "Bearer " + McpTestSupport.TOKEN;
        Response malformed = post(headers("Authorization", auth), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
                + "\"message\":\"Invalid message format: Unexpected end-of-input within/between Object entries\"}}");
        noTrace(malformed);
        Response notJsonRpc = post(headers("Authorization", auth), "[1, {\"x\": []}]");
        assertThat(notJsonRpc.status()).isGreaterThanOrEqualTo(400);
        noTrace(notJsonRpc);
        Response unknownSession = post(headers("Authorization", auth, "Mcp-Session-Id", "no-such-session"),
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        assertThat(unknownSession.status()).isEqualTo(404);
        assertThat(unknownSession.body()).contains("\"message\":\"Session not found: no-such-session\"");
        noTrace(unknownSession);
    }

    @Test
    void aGeneratedTokenIsWrittenForTheUserOnlyAndDeletedAtClose(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub").resolve("token");
        http = server.serveHttp(McpHttpOptions.port(0).tokenFile(file));
        assertThat(http.tokenFile()).contains(file);
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        String token = Files.readString(file).strip();
        assertThat(token).hasSize(43);
        assertThat(post(headers("Authorization", "Bearer " + token), INIT).status()).isEqualTo(200);
        http.close();
        http = null;
        assertThat(file).doesNotExist();
    }

    private static RunbookMcpMain main(String... args) {
        var main = new RunbookMcpMain(new java.io.PrintWriter(java.io.Writer.nullWriter()));
        new picocli.CommandLine(main).parseArgs(args);
        return main;
    }

    @Test
    void theMainsFlagsPickWhereTheTokenComesFrom(@TempDir Path dir) {
        assertThat(main("--http-port", "0").httpOptions(null)).isEqualTo(McpHttpOptions.port(0));
        assertThat(main("--http-port", "0").httpOptions(" " + McpTestSupport.TOKEN + "\n").token())
                .contains(McpTestSupport.TOKEN);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> main("--http-port", "0").httpOptions("too-short"))
                .hasMessageStartingWith("$RUNBOOK_MCP_TOKEN: an MCP HTTP token must be at least 32");
        assertThat(main("--http-port", "0", "--http-token-file", dir.resolve("t").toString()).httpOptions(null)
                .tokenFile()).contains(dir.resolve("t"));
        assertThat(main("--http-port", "0", "--http-no-auth").httpOptions(null).authentication()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> main("--http-port", "0", "--http-no-auth")
                .httpOptions(McpTestSupport.TOKEN)).hasMessage("--http-no-auth contradicts $RUNBOOK_MCP_TOKEN: give one of them");
    }

    @Test
    void authenticationIsOffOnlyWhenTurnedOffAndShortTokensAreRefused() throws IOException {
        http = server.serveHttp(McpHttpOptions.port(0).withoutAuthentication());
        assertThat(http.tokenFile()).isEmpty();
        assertThat(post(headers(), INIT).status()).isEqualTo(200);
        assertThat(McpHttpOptions.port(0).token(McpTestSupport.TOKEN).toString()).doesNotContain(McpTestSupport.TOKEN);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> McpHttpOptions.port(0).token("short"))
                .hasMessageStartingWith("an MCP HTTP token must be at least 32 printable ASCII characters");
    }
}
