package dev.runbook.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpServer;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.internal.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The handler mounted on the host's own server, behind the host's login: the login's user is the approver. */
class MountedHandlerTest {
    private static final String TOKEN = "mounted-token-0123456789";

    @Test
    @Timeout(30)
    void theHostsAuthenticatedPrincipalIsRecordedAsTheApprover() throws Exception {
        HttpServer host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try (var fx = new Fixture()) {
            var ctx = host.createContext("/ops/dashboard", DashboardServer.builder().engine(fx.engine).feed(fx.feed)
                    .approvals(fx.approvals).token(TOKEN).handler());
            ctx.setAuthenticator(new BasicAuthenticator("ops") {
                @Override
                public boolean checkCredentials(String user, String password) {
                    return user.equals("carol") && password.equals("pw");
                }
            });
            host.start();
            URI base = URI.create("http://127.0.0.1:" + host.getAddress().getPort() + "/ops/dashboard/");
            HttpClient http = HttpClient.newHttpClient();
            String basic = "Basic " + Base64.getEncoder().encodeToString("carol:pw".getBytes(StandardCharsets.UTF_8));

            var page = http.send(HttpRequest.newBuilder(base).header("Authorization", basic).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("static/app.js");

            var future = fx.engine.handleAsync(fx.incident("ImagePullBackOff", false));
            while (fx.approvals.waiting().isEmpty()) {
                Thread.onSpinWait();
            }
            String id = fx.approvals.waiting().get(0).executionId();
            // No name in the body: the host's login says who approves.
            var answer = http.send(HttpRequest.newBuilder(base.resolve("api/approvals/" + id))
                    .header("Authorization", basic).header("X-Runbook-Token", TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("decision", "approve", "confirm", true))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);

            Execution e = future.get(10, TimeUnit.SECONDS);
            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.approval().orElseThrow().approver()).isEqualTo("carol");
        } finally {
            host.stop(0);
        }
    }
}
