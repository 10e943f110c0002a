package dev.runbook.examples.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.builtin.BuiltinActions;
import dev.runbook.testkit.ActionProviderCompatibilityKit;
import dev.runbook.testkit.TestActionContext;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.ExecutionStatus;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import dev.runbook.dsl.RunbookLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * create_ticket against a real HTTP server on loopback (a stand-in ticket system answering {"id": "OPS-n"}),
 * plus core's compatibility kit: names, schema, ServiceLoader registration, param checks, dry run sends nothing.
 */
class TicketActionsTest extends ActionProviderCompatibilityKit {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final List<Map<String, Object>> tickets = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextStatus = new AtomicInteger(201);
    private URI endpoint;

    @BeforeEach
    void startTicketSystem() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/tickets", exchange -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = JSON.readValue(exchange.getRequestBody(), Map.class);
            int status = nextStatus.get();
            byte[] answer;
            if (status == 201) {
                tickets.add(body);
                answer = ("{\"id\":\"OPS-" + tickets.size() + "\"}").getBytes(StandardCharsets.UTF_8);
            } else {
                answer = "{\"error\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/tickets");
    }

    @AfterEach
    void stopTicketSystem() {
        server.stop(0);
    }

    @Override
    protected ActionProvider provider() {
        return new TicketActions(Optional.ofNullable(endpoint), Set.of(), HttpClient.newHttpClient());
    }

    @Override
    protected Map<String, Map<String, Object>> validParams() {
        return Map.of("create_ticket", Map.of("title", "OOMKilled: shop/web-1", "priority", "P2",
                "labels", List.of("oom")));
    }

    @Override
    protected Object externalState() {
        return List.copyOf(tickets);
    }

    private static Incident incident(double confidence) {
        return Incident.builder("evt-42").symptomReason("CrashLoopBackOff").rootCause("OOMKilled", confidence)
                .resource(new ResourceRef("Pod", "web-1", "shop", Optional.empty(), Optional.of("web"), Optional.of("app")))
                .build();
    }

    private TestActionContext.Builder call(Map<String, Object> params) {
        var b = contextFor("create_ticket").incident(incident(0.92));
        params.forEach(b::param);
        return b;
    }

    @Test
    void postsTheTicketAsJsonAndOutputsItsId() throws Exception {
        var result = action("create_ticket").execute(call(Map.of("title", "Disk full", "priority", "p1",
                "description", "node-3 /var at 100%", "labels", List.of("disk", "node-3"))).build());

        assertThat(result.output()).contains(Map.of("ticket_id", "OPS-1", "status", 201L, "endpoint", endpoint.toString()));
        assertThat(result.summary()).isEqualTo("opened P1 ticket OPS-1: Disk full");
        assertThat(tickets).singleElement().satisfies(t -> {
            assertThat(t).containsEntry("title", "Disk full").containsEntry("priority", "P1")
                    .containsEntry("description", "node-3 /var at 100%").containsEntry("labels", List.of("disk", "node-3"))
                    .containsEntry("incident_id", "evt-42").containsEntry("resource", "Pod/shop/web-1");
        });
    }

    @Test
    void aDryRunSendsNothingAndSaysWhatItWouldDo() throws Exception {
        var result = action("create_ticket").execute(call(Map.of("title", "Disk full")).dryRun(true).build());

        assertThat(tickets).isEmpty();
        assertThat(result.summary()).isEqualTo("dry run: would have opened a P3 ticket at 127.0.0.1: Disk full");
        assertThat(result.touched()).singleElement().satisfies(t -> assertThat(t.change()).isEqualTo("create P3 ticket"));
    }

    @Test
    void refusesAnUnknownPriorityAHostNotAllowedAndBadLabelsSendingNothing() {
        assertThatThrownBy(() -> action("create_ticket").execute(call(Map.of("title", "x", "priority", "urgent")).build()))
                .hasMessage("parameter 'priority': 'urgent' is not one of P1, P2, P3, P4");
        assertThatThrownBy(() -> action("create_ticket").execute(call(Map.of("title", "x",
                "endpoint", "https://tickets.attacker.example/api")).build()))
                .hasMessage("ticket endpoint host 'tickets.attacker.example' is not allowed (allowed: 127.0.0.1)");
        assertThatThrownBy(() -> action("create_ticket").execute(call(Map.of("title", "x", "labels", List.of(""))).build()))
                .hasMessageStartingWith("parameter 'labels': every label must be non-empty text");
        assertThat(tickets).isEmpty();
    }

    @Test
    void serverErrorsAreRetryableAndRefusalsAreNot() {
        nextStatus.set(503);
        assertThatThrownBy(() -> action("create_ticket").execute(call(Map.of("title", "x")).build()))
                .isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageContaining("answered 503");
        nextStatus.set(400);
        assertThatThrownBy(() -> action("create_ticket").execute(call(Map.of("title", "x")).build()))
                .isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("refused the ticket with 400");
    }

    @Test
    void theModulesRunbookLoadsAndOpensATicketThroughTheEngine() throws Exception {
        ActionProvider tickets = provider();
        var registry = ActionRegistry.builder().provider(new BuiltinActions()).provider(tickets).build();
        var loaded = RunbookLoader.builder().actions(registry).build().load(Path.of("runbooks/oomkilled-open-ticket.yaml"));
        assertThat(loaded.diagnostics()).isEmpty();

        Execution e;
        try (RunbookEngine engine = RunbookEngine.builder().discoverActions(false).runbooks(loaded.runbooksOrThrow())
                .actionProvider(new BuiltinActions()).actionProvider(tickets).build()) {
            e = engine.handle(incident(0.92));
        }

        assertThat(e.status()).as("%s", e.error()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.dryRunSteps().get(0).summary())
                .isEqualTo("dry run: would have opened a P2 ticket at 127.0.0.1: OOMKilled: shop/web-1");
        assertThat(this.tickets).singleElement().satisfies(t -> assertThat(t)
                .containsEntry("title", "OOMKilled: shop/web-1").containsEntry("priority", "P2")
                .containsEntry("labels", List.of("oom", "shop"))
                .containsEntry("runbook_id", "oomkilled-open-ticket-v1"));
        assertThat(e.actionsTaken()).containsExactly("opened P2 ticket OPS-1: OOMKilled: shop/web-1");
    }
}
