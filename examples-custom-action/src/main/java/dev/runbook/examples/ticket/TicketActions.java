package dev.runbook.examples.ticket;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Registers {@code create_ticket} (listed in {@code META-INF/services/dev.runbook.core.action.ActionProvider}, so
 * the engine, the loader and the CLI find it on the class path).
 *
 * <p>The no-argument constructor, which ServiceLoader uses, reads its configuration from system properties or the
 * environment: {@code runbook.ticket.endpoint} / {@code RUNBOOK_TICKET_ENDPOINT} (the default ticket URL) and
 * {@code runbook.ticket.allowed-hosts} / {@code RUNBOOK_TICKET_ALLOWED_HOSTS} (comma-separated; the endpoint's host
 * is always allowed). Hosts that embed the engine pass their settings to the other constructor instead.
 */
public final class TicketActions implements ActionProvider {
    private final CreateTicketAction createTicket;

    /** Configured from system properties or the environment (see the class comment). */
    public TicketActions() {
        this(setting("runbook.ticket.endpoint", "RUNBOOK_TICKET_ENDPOINT").map(URI::create),
                setting("runbook.ticket.allowed-hosts", "RUNBOOK_TICKET_ALLOWED_HOSTS")
                        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(h -> !h.isEmpty())
                                .collect(Collectors.toSet())).orElse(Set.of()),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    /**
     * Configured by the host.
     *
     * @param endpoint     the default ticket URL (a step may name another one, whose host must be allowed)
     * @param allowedHosts hosts tickets may be posted to, besides the endpoint's
     * @param client       the HTTP client to post with
     */
    public TicketActions(Optional<URI> endpoint, Set<String> allowedHosts, HttpClient client) {
        Set<String> hosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        endpoint.map(URI::getHost).ifPresent(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
        this.createTicket = new CreateTicketAction(endpoint, Set.copyOf(hosts), client);
    }

    private static Optional<String> setting(String property, String env) {
        return Optional.ofNullable(System.getProperty(property)).or(() -> Optional.ofNullable(System.getenv(env)))
                .filter(v -> !v.isBlank());
    }

    @Override
    public List<Action> actions() {
        return List.of(createTicket);
    }

    @Override
    public String id() {
        return "tickets";
    }
}
