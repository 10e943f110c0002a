package dev.runbook.core.action.builtin;

import dev.runbook.core.action.WaitConditionProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Configuration of {@link BuiltinActions}: which hosts {@code webhook} and {@code slack_notify} may call,
 * the default Slack incoming webhook, the HTTP client and timeout, and extra wait-condition providers.
 * Build one with {@link #custom()}; {@link #ofDefaults()} allows no webhook host at all.
 *
 * @param allowedWebhookHosts    host names (lower case) that webhooks may call; empty denies every host
 * @param slackWebhookUrl        the Slack incoming webhook {@code slack_notify} uses when a step gives none;
 *                               its host is allowed for {@code slack_notify} implicitly
 * @param httpClient             the client for webhooks; empty means one the actions create on first use
 *                               (HTTP/1.1, no redirects, 10 s connect timeout)
 * @param defaultTimeout         the request timeout when a step gives none
 * @param waitConditionProviders providers asked before those found through {@link java.util.ServiceLoader}
 */
public record BuiltinActionsConfig(Set<String> allowedWebhookHosts, Optional<URI> slackWebhookUrl,
                                   Optional<HttpClient> httpClient, Duration defaultTimeout,
                                   List<WaitConditionProvider> waitConditionProviders) {

    /** The system property holding a comma-separated host allow-list. */
    public static final String ALLOWED_HOSTS_PROPERTY = "runbook.webhook.allowed-hosts";
    /** The environment variable holding a comma-separated host allow-list (used when the property is unset). */
    public static final String ALLOWED_HOSTS_ENV = "RUNBOOK_WEBHOOK_ALLOWED_HOSTS";
    /** The request timeout unless configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*"
            + "|\\[[0-9a-f:.]+\\]|[0-9a-f:]*:[0-9a-f:.]+");

    public BuiltinActionsConfig {
        var hosts = new LinkedHashSet<String>();
        for (String h : Objects.requireNonNull(allowedWebhookHosts, "allowedWebhookHosts")) {
            hosts.add(checkHost(h));
        }
        allowedWebhookHosts = Set.copyOf(hosts);
        Objects.requireNonNull(slackWebhookUrl, "slackWebhookUrl").ifPresent(BuiltinActionsConfig::checkSlackUrl);
        Objects.requireNonNull(httpClient, "httpClient");
        checkTimeout(defaultTimeout);
        waitConditionProviders = List.copyOf(waitConditionProviders);
    }

    /** A builder starting from {@link #ofDefaults()}. */
    public static Builder custom() {
        return new Builder();
    }

    /** No allowed webhook host, no Slack webhook, a client created on demand, a 30 s timeout. */
    public static BuiltinActionsConfig ofDefaults() {
        return custom().build();
    }

    /**
     * The defaults with the allow-list read from the system property {@value #ALLOWED_HOSTS_PROPERTY}, else
     * the environment variable {@value #ALLOWED_HOSTS_ENV} (comma separated), else empty.
     *
     * @throws IllegalArgumentException naming the property or variable when an entry is not a host name
     */
    public static BuiltinActionsConfig fromEnvironment() {
        return fromEnvironment(System::getProperty, System::getenv);
    }

    static BuiltinActionsConfig fromEnvironment(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String source = ALLOWED_HOSTS_PROPERTY + " system property";
        String value = properties.apply(ALLOWED_HOSTS_PROPERTY);
        if (value == null || value.isBlank()) {
            source = ALLOWED_HOSTS_ENV + " environment variable";
            value = environment.apply(ALLOWED_HOSTS_ENV);
        }
        var builder = custom();
        if (value != null) {
            for (String part : value.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    builder.allowWebhookHost(part.trim());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid entry in the " + source + ": " + e.getMessage(), e);
                }
            }
        }
        return builder.build();
    }

    /** Whether {@code host} is on the allow-list (case-insensitive, exact match). */
    public boolean allowsHost(String host) {
        return host != null && allowedWebhookHosts.contains(host.toLowerCase(Locale.ROOT));
    }

    private static String checkHost(String host) {
        Objects.requireNonNull(host, "host");
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.isEmpty()) {
            throw new IllegalArgumentException("allowed webhook host must not be blank");
        }
        if (!HOST.matcher(h).matches()) {
            throw new IllegalArgumentException("allowed webhook host must be a bare host name such as hooks.slack.com "
                    + "(no scheme, port, path or wildcard), got '" + host + "'");
        }
        return h;
    }

    private static void checkSlackUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("slackWebhookUrl must be an absolute http(s) URL such as "
                    + "https://hooks.slack.com/services/..., got '" + redact(url) + "'");
        }
    }

    private static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "defaultTimeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("defaultTimeout must be positive, got " + timeout);
        }
    }

    private static String redact(URI url) {
        // Slack webhook URLs carry their secret in the path: show only scheme and host.
        return url.getHost() == null ? url.getScheme() + ":..." : url.getScheme() + "://" + url.getHost() + "/...";
    }

    @Override
    public String toString() {
        return "BuiltinActionsConfig[allowedWebhookHosts=" + allowedWebhookHosts + ", slackWebhookUrl="
                + slackWebhookUrl.map(BuiltinActionsConfig::redact).orElse("none") + ", httpClient="
                + (httpClient.isPresent() ? "custom" : "default") + ", defaultTimeout=" + defaultTimeout
                + ", waitConditionProviders=" + waitConditionProviders.size() + "]";
    }

    /** Builds {@link BuiltinActionsConfig}s; each method checks its argument at once. */
    public static final class Builder {
        private final Set<String> hosts = new LinkedHashSet<>();
        private URI slackWebhookUrl;
        private HttpClient httpClient;
        private Duration defaultTimeout = DEFAULT_TIMEOUT;
        private final List<WaitConditionProvider> providers = new ArrayList<>();

        private Builder() {
        }

        /** Allows webhooks to this host (exact, case-insensitive), for instance {@code hooks.slack.com}. */
        public Builder allowWebhookHost(String host) {
            hosts.add(checkHost(host));
            return this;
        }

        /** Allows webhooks to each of these hosts. */
        public Builder allowWebhookHosts(Collection<String> hosts) {
            Objects.requireNonNull(hosts, "hosts").forEach(this::allowWebhookHost);
            return this;
        }

        /** The Slack incoming webhook {@code slack_notify} uses by default; its host is allowed for it. */
        public Builder slackWebhookUrl(URI url) {
            checkSlackUrl(Objects.requireNonNull(url, "slackWebhookUrl"));
            this.slackWebhookUrl = url;
            return this;
        }

        /** The HTTP client to use (it should not follow redirects, or the allow-list can be bypassed). */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /** The request timeout when a step gives none; positive. */
        public Builder defaultTimeout(Duration timeout) {
            checkTimeout(timeout);
            this.defaultTimeout = timeout;
            return this;
        }

        /** A provider asked for wait conditions before those found through ServiceLoader. */
        public Builder waitConditionProvider(WaitConditionProvider provider) {
            providers.add(Objects.requireNonNull(provider, "waitConditionProvider"));
            return this;
        }

        /** The configuration. */
        public BuiltinActionsConfig build() {
            return new BuiltinActionsConfig(hosts, Optional.ofNullable(slackWebhookUrl), Optional.ofNullable(httpClient),
                    defaultTimeout, providers);
        }
    }
}
