package dev.runbook.core.action.builtin;

import dev.runbook.core.action.ActionProvider;
import dev.runbook.testkit.ActionProviderCompatibilityKit;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Core's built-in actions pass the action compatibility kit. Lives in runbook-testkit's tests, not in core, because
 * the kit depends on core (core's tests cannot depend on the kit's module without a cycle).
 */
class BuiltinActionsCompatibilityTest extends ActionProviderCompatibilityKit {
    private LoopbackHttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = LoopbackHttpServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Override
    protected ActionProvider provider() {
        return new BuiltinActions(BuiltinActionsConfig.custom().allowWebhookHost("127.0.0.1").build());
    }

    @Override
    protected Map<String, Map<String, Object>> validParams() {
        return Map.of(
                "calculate", Map.of("expression", 512L),
                "wait", Map.of("duration", "5s"),
                "log", Map.of("message", "hello", "level", "debug"),
                "set", Map.of("value", Map.of("k", "v")),
                "assert", Map.of("that", true, "message", "never shown"),
                "fail", Map.of("message", "forced failure"),
                "webhook", Map.of("url", server.url("/hook").toString(), "method", "PUT",
                        "headers", Map.of("X-Test", "1"), "body", Map.of("a", 1), "timeout", "5s",
                        "expect_status", java.util.List.of(200, 204)),
                "slack_notify", Map.of("message", "hi", "channel", "#sre",
                        "webhook_url", server.url("/services/T/B/X").toString()));
    }

    @Override
    protected Object externalState() {
        return server.count();
    }
}
