package dev.runbook.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.ExecutionView;
import dev.runbook.core.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dashboard's HTTP side without a browser: tokens, confirmations, paging, masking and the event stream. */
class DashboardApiTest {
    private static final String TOKEN = "test-token-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();
    private Fixture fx;

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(fx.server.uri().resolve(path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, Object body) throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(fx.server.uri().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) {
        return (Map<String, Object>) Json.parse(r.body());
    }

    @Test
    void controlsWithoutTheTokenAreRefusedWith401AndChangeNothing() throws Exception {
        fx = new Fixture();
        var body = Map.of("engage", true, "reason", "stop", "confirm", true, "name", "mallory");

        assertThat(post("api/control/kill-switch", null, body).statusCode()).isEqualTo(401);
        assertThat(post("api/control/kill-switch", "wrong-token-0123456789", body).statusCode()).isEqualTo(401);
        // A token in the query is good for reads only, never for a control.
        assertThat(post("api/control/kill-switch?token=" + TOKEN, null, body).statusCode()).isEqualTo(401);
        assertThat(fx.engine.killSwitch().engaged()).isEmpty();

        var ok = post("api/control/kill-switch", TOKEN, body);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(fx.engine.killSwitch().engaged()).hasValueSatisfying(r -> assertThat(r).contains("stop", "mallory"));
    }

    @Test
    void readsNeedTheTokenUnlessTheHostOptsOutButControlsAlwaysDo() throws Exception {
        fx = new Fixture();
        assertThat(get("api/executions", null).statusCode()).isEqualTo(401);
        assertThat(get("api/executions", TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("api/executions?token=" + TOKEN, null).statusCode()).isEqualTo(200);
        // The page itself carries no data and loads without the token.
        assertThat(get("", null).statusCode()).isEqualTo(200);
        fx.close();

        fx = new Fixture(DashboardFeed.create(), DashboardServer.builder().token(TOKEN).openReads(true));
        assertThat(get("api/executions", null).statusCode()).isEqualTo(200);
        assertThat(post("api/control/kill-switch", null, Map.of("engage", true, "confirm", true, "name", "x"))
                .statusCode()).isEqualTo(401);
    }

    @Test
    void aControlNeedsAConfirmationAndANameAndSaysWhatIsMissing() throws Exception {
        fx = new Fixture();
        var unconfirmed = post("api/control/kill-switch", TOKEN, Map.of("engage", true, "name", "alice"));
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(json(unconfirmed).get("error").toString()).contains("confirm");

        var nameless = post("api/control/kill-switch", TOKEN, Map.of("engage", true, "confirm", true));
        assertThat(nameless.statusCode()).isEqualTo(400);
        assertThat(json(nameless).get("error").toString()).startsWith("name:");
        assertThat(fx.engine.killSwitch().engaged()).isEmpty();

        var unknown = post("api/approvals/nope", TOKEN, Map.of("decision", "approve", "confirm", true, "name", "a"));
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aThousandExecutionsArePagedNewestFirst() throws Exception {
        fx = new Fixture();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            ids.add(fx.engine.handle(fx.incident("OOMKilled", false)).id());
        }
        var first = json(get("api/executions?page=0&size=25", TOKEN));
        assertThat(first).containsEntry("total", 1000L).containsEntry("pages", 40L);
        var items = (List<Map<String, Object>>) first.get("items");
        assertThat(items).hasSize(25);
        assertThat(items.get(0)).containsEntry("execution_id", ids.get(999));

        var last = json(get("api/executions?page=39&size=25", TOKEN));
        var lastItems = (List<Map<String, Object>>) last.get("items");
        assertThat(lastItems).hasSize(25);
        assertThat(lastItems.get(24)).containsEntry("execution_id", ids.get(0));

        assertThat((List<?>) json(get("api/executions?page=40&size=25", TOKEN)).get("items")).isEmpty();
        var tooBig = get("api/executions?size=501", TOKEN);
        assertThat(tooBig.statusCode()).isEqualTo(400);
        assertThat(json(tooBig).get("error").toString()).contains("size", "501");
        assertThat(get("api/executions?page=x", TOKEN).statusCode()).isEqualTo(400);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDetailShowsSecretsMaskedAndTheRollback() throws Exception {
        fx = new Fixture();
        Execution e = fx.engine.handle(fx.incident("OOMKilled", true));
        assertThat(e.status()).isEqualTo(ExecutionStatus.ROLLED_BACK);

        var r = get("api/executions/" + e.id(), TOKEN);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain(Fixture.SECRET).contains("***").contains("Restore memory limit")
                .contains("pod still OOMKilled after the change");
        // core's ExecutionView, as CLI and MCP give it, plus what only the page needs
        Map<String, Object> view = ExecutionView.of(e);
        var detail = json(r);
        assertThat(detail.keySet()).containsSubsequence(view.keySet()).contains("match", "resource");
        for (String key : List.of("execution_id", "status", "started_at", "duration", "duration_ms",
                "rollback_status", "actions_taken")) {
            assertThat(detail.get(key)).as(key).isEqualTo(view.get(key) instanceof Integer i ? (long) i
                    : view.get(key));
        }
        Map<String, Object> rollback = (Map<String, Object>) ((List<?>) detail.get("rollback_steps")).get(0);
        assertThat(rollback).containsEntry("name", "Restore memory limit").containsEntry("status", "SUCCEEDED");
        assertThat((Map<String, Object>) rollback.get("params")).containsEntry("memory", "256Mi");
        assertThat(get("api/executions/unknown", TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    @Timeout(30)
    void aClientThatReconnectsWithLastEventIdLosesNothing() throws Exception {
        fx = new Fixture();
        URI events = fx.server.uri().resolve("api/events");
        List<Long> seen = new ArrayList<>();
        long resumeFrom;
        try (var first = new SseClient(http, events, TOKEN, null)) {
            assertThat(first.status).isEqualTo(200);
            assertThat(first.next().type()).isEqualTo("hello");
            fx.engine.handle(fx.incident("OOMKilled", false));
            SseClient.Event ev;
            do {
                ev = first.next();
                seen.add(ev.id());
            } while (!ev.type().equals("guard")); // drop the connection in the middle of an execution's events
            resumeFrom = ev.id();
        }
        // While the page is away, two more executions happen.
        fx.engine.handle(fx.incident("OOMKilled", true));
        fx.engine.handle(fx.incident("OOMKilled", false));
        long newest = fx.feed.ring().lastId();

        try (var second = new SseClient(http, events, TOKEN, resumeFrom)) {
            assertThat(second.next().type()).isEqualTo("hello");
            SseClient.Event ev;
            do {
                ev = second.next();
                assertThat(ev.type()).isNotEqualTo("reset");
                seen.add(ev.id());
            } while (ev.id() < newest);
        }
        // Every event from the first to the newest, once each and in order.
        assertThat(seen).isEqualTo(java.util.stream.LongStream.rangeClosed(1, newest).boxed().toList());
        assertThat(newest).isGreaterThan(20);
    }

    @Test
    @Timeout(30)
    void aClientAwayLongerThanTheBufferIsToldToReload() throws Exception {
        fx = new Fixture(DashboardFeed.builder().eventBuffer(16).build(),
                DashboardServer.builder().token(TOKEN));
        for (int i = 0; i < 5; i++) {
            fx.engine.handle(fx.incident("OOMKilled", false));
        }
        try (var client = new SseClient(http, fx.server.uri().resolve("api/events"), TOKEN, 1L)) {
            assertThat(client.next().type()).isEqualTo("hello");
            assertThat(client.next().type()).isEqualTo("reset");
            assertThat(client.next().id()).isEqualTo(fx.feed.ring().lastId() - 15);
        }
    }
}
