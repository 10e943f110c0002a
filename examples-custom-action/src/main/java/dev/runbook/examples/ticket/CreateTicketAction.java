package dev.runbook.examples.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.retry.RetryAfter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code create_ticket}: opens a ticket by POSTing JSON to a ticket webhook.
 *
 * <p>Parameters: {@code title} (required), {@code priority} ({@code P1}..{@code P4}, default {@code P3}),
 * {@code description}, {@code labels} (a list of text), {@code endpoint} (default: the configured one; its host must
 * be allowed). The body is built as a JSON object from the rendered values, so incident data stays data.
 * Output: {@code {ticket_id, status, endpoint}}. In a dry run the params are checked and nothing is sent.
 */
public final class CreateTicketAction implements Action {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PRIORITIES = Set.of("P1", "P2", "P3", "P4");
    private static final int MAX_TITLE = 200;

    private final Optional<URI> endpoint;
    private final Set<String> allowedHosts;
    private final HttpClient client;

    CreateTicketAction(Optional<URI> endpoint, Set<String> allowedHosts, HttpClient client) {
        this.endpoint = endpoint;
        this.allowedHosts = allowedHosts;
        this.client = client;
    }

    @Override
    public String name() {
        return "create_ticket";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("ticket.create");
    }

    @Override
    public String description() {
        return "Opens a ticket through the ticket system's webhook (JSON POST)";
    }

    @Override
    public ParamSchema schema() {
        return ParamSchema.of(
                ParamSpec.required("title", ParamType.STRING, "one-line summary, at most " + MAX_TITLE + " characters"),
                ParamSpec.withDefault("priority", ParamType.STRING, "P3", "P1 (highest) to P4"),
                ParamSpec.optional("description", ParamType.STRING, "the ticket's body"),
                ParamSpec.optional("labels", ParamType.LIST, "labels, a list of text"),
                ParamSpec.optional("endpoint", ParamType.STRING,
                        "ticket webhook URL; default the configured one; its host must be allowed"));
    }

    @Override
    public boolean mutating() {
        return true;
    }

    @Override
    public ActionResult execute(ActionContext ctx) throws Exception {
        String title = ctx.string("title").strip();
        if (title.isEmpty() || title.length() > MAX_TITLE) {
            throw new IllegalArgumentException("parameter 'title': must be 1 to " + MAX_TITLE + " characters, got "
                    + title.length());
        }
        String priority = ctx.string("priority").toUpperCase(Locale.ROOT);
        if (!PRIORITIES.contains(priority)) {
            throw new IllegalArgumentException("parameter 'priority': '" + ctx.string("priority")
                    + "' is not one of P1, P2, P3, P4");
        }
        List<String> labels = new ArrayList<>();
        for (Object label : ctx.params().get("labels") instanceof List<?> l ? l : List.of()) {
            if (!(label instanceof String s) || s.isBlank()) {
                throw new IllegalArgumentException("parameter 'labels': every label must be non-empty text, got " + label);
            }
            labels.add(s);
        }
        URI target = target(ctx.optionalString("endpoint"));

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title);
        body.put("priority", priority);
        body.put("description", ctx.optionalString("description").orElse(""));
        body.put("labels", labels);
        body.put("incident_id", ctx.incident().incidentId());
        body.put("resource", ctx.incident().resource().key());
        body.put("runbook_id", ctx.runbook().id());
        body.put("execution_id", ctx.executionId());
        var touched = new TouchedResource("Ticket", "", title, "create " + priority + " ticket");
        if (ctx.dryRun()) {
            return ActionResult.of(Map.of("endpoint", target.toString(), "body", body)).touching(touched)
                    .withSummary("dry run: would have opened a " + priority + " ticket at " + target.getHost() + ": " + title);
        }

        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout(ctx))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8)).build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw ActionException.retryable("cannot reach the ticket endpoint " + target + ": " + e);
        }
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            // The server's Retry-After, if any, sets the floor of the engine's next wait (up to the step's max_backoff).
            throw ActionException.retryable("ticket endpoint " + target + " answered " + status + ": " + excerpt(response.body()))
                    .retryAfter(response.headers().firstValue(RetryAfter.HEADER).flatMap(v -> RetryAfter.parse(v, ctx.clock())));
        }
        if (status < 200 || status >= 300) {
            throw ActionException.permanent("ticket endpoint " + target + " refused the ticket with " + status + ": "
                    + excerpt(response.body()));
        }
        String ticketId = ticketId(response);
        return ActionResult.of(Map.of("ticket_id", ticketId, "status", (long) status, "endpoint", target.toString()))
                .touching(touched).withSummary("opened " + priority + " ticket " + ticketId + ": " + title);
    }

    private URI target(Optional<String> override) {
        URI uri;
        if (override.isPresent()) {
            try {
                uri = URI.create(override.get());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parameter 'endpoint': '" + override.get() + "' is not a URL");
            }
        } else {
            uri = endpoint.orElseThrow(() -> new IllegalArgumentException("no ticket endpoint: give parameter "
                    + "'endpoint' or set runbook.ticket.endpoint / RUNBOOK_TICKET_ENDPOINT"));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("ticket endpoint must be an absolute http(s) URL, got '" + uri + "'");
        }
        // an allow-list, so a runbook (or a template in it) cannot send incident data to any host
        if (!allowedHosts.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("ticket endpoint host '" + uri.getHost() + "' is not allowed (allowed: "
                    + (allowedHosts.isEmpty() ? "none; set runbook.ticket.allowed-hosts" : String.join(", ",
                    allowedHosts.stream().sorted().toList())) + ")");
        }
        return uri;
    }

    private static Duration timeout(ActionContext ctx) {
        Duration max = Duration.ofSeconds(30);
        return ctx.deadline().map(d -> Duration.between(Instant.now(ctx.clock()), d))
                .filter(d -> d.compareTo(Duration.ofMillis(100)) > 0 && d.compareTo(max) < 0).orElse(max);
    }

    /** The id from a JSON body {"id": ...} or {"key": ...}, else the Location header, else "unknown". */
    private static String ticketId(HttpResponse<String> response) {
        try {
            JsonNode node = JSON.readTree(response.body());
            for (String field : List.of("id", "key", "ticket_id")) {
                if (node != null && node.hasNonNull(field)) {
                    return node.get(field).asText();
                }
            }
        } catch (IOException e) {
            // not JSON: fall back to the Location header
        }
        return response.headers().firstValue("Location").map(l -> l.substring(l.lastIndexOf('/') + 1)).orElse("unknown");
    }

    private static String excerpt(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }
}
