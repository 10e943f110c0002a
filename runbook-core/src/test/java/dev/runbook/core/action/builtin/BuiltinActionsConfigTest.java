package dev.runbook.core.action.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuiltinActionsConfigTest {

    @Test
    void defaultsDenyEveryHost() {
        var c = BuiltinActionsConfig.ofDefaults();
        assertThat(c.allowedWebhookHosts()).isEmpty();
        assertThat(c.slackWebhookUrl()).isEmpty();
        assertThat(c.httpClient()).isEmpty();
        assertThat(c.defaultTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.allowsHost("hooks.slack.com")).isFalse();
    }

    @Test
    void builderCollectsHostsInLowerCase() {
        var c = BuiltinActionsConfig.custom().allowWebhookHost("Hooks.Slack.com")
                .allowWebhookHosts(List.of("ci.example.org", "10.0.0.7")).defaultTimeout(Duration.ofSeconds(5)).build();
        assertThat(c.allowedWebhookHosts()).containsExactlyInAnyOrder("hooks.slack.com", "ci.example.org", "10.0.0.7");
        assertThat(c.allowsHost("HOOKS.slack.COM")).isTrue();
        assertThat(c.allowsHost("evil.hooks.slack.com")).isFalse();
        assertThat(c.defaultTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void builderRejectsBadValuesAtOnce() {
        var b = BuiltinActionsConfig.custom();
        assertThatThrownBy(() -> b.allowWebhookHost("https://hooks.slack.com")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'https://hooks.slack.com'").hasMessageContaining("bare host name");
        assertThatThrownBy(() -> b.allowWebhookHost("*.slack.com")).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> b.allowWebhookHost(" ")).hasMessageContaining("blank");
        assertThatThrownBy(() -> b.defaultTimeout(Duration.ZERO)).hasMessageContaining("defaultTimeout");
        assertThatThrownBy(() -> b.slackWebhookUrl(URI.create("ftp://hooks.slack.com/services/SECRET")))
                .hasMessageContaining("slackWebhookUrl").hasMessageNotContaining("SECRET");
    }

    @Test
    void toStringHidesTheSlackSecret() {
        var c = BuiltinActionsConfig.custom().slackWebhookUrl(URI.create("https://hooks.slack.com/services/T/B/SECRET"))
                .build();
        assertThat(c.toString()).contains("hooks.slack.com").doesNotContain("SECRET");
    }

    @Test
    void readsTheAllowListFromThePropertyElseTheEnvironment() {
        Map<String, String> props = Map.of(BuiltinActionsConfig.ALLOWED_HOSTS_PROPERTY, "a.example, B.example,,");
        Map<String, String> env = Map.of(BuiltinActionsConfig.ALLOWED_HOSTS_ENV, "env.example");
        assertThat(BuiltinActionsConfig.fromEnvironment(props::get, env::get).allowedWebhookHosts())
                .isEqualTo(Set.of("a.example", "b.example"));
        assertThat(BuiltinActionsConfig.fromEnvironment(k -> null, env::get).allowedWebhookHosts())
                .isEqualTo(Set.of("env.example"));
        assertThat(BuiltinActionsConfig.fromEnvironment(k -> null, k -> null).allowedWebhookHosts()).isEmpty();
        assertThatThrownBy(() -> BuiltinActionsConfig.fromEnvironment(k -> null,
                Map.of(BuiltinActionsConfig.ALLOWED_HOSTS_ENV, "ok.example,http://bad")::get))
                .hasMessageContaining(BuiltinActionsConfig.ALLOWED_HOSTS_ENV).hasMessageContaining("'http://bad'");
    }
}
