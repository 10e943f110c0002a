package dev.runbook.examples.internal;

import dev.runbook.k8s.testing.StandInDispatcher;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kubernetes API served in-process by fabric8's mock server in CRUD mode, with runbook-k8s-testing's
 * {@link StandInDispatcher} (shared with runbook-k8s's tests): the CRUD mock persists writes sent with
 * {@code dryRun=All}; the STAND-IN runs such a write on a snapshot of the store and restores it afterwards
 * (no watch event is sent), so the engine's dry run changes nothing, as on a real API server; strategic merge
 * and JSON merge patches, which the plain mock refuses or gets wrong, are applied by the stand-in too.
 */
public final class MockKubernetes implements AutoCloseable {
    /** The mock logs every request at INFO through java.util.logging; kept referenced so the level sticks. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");
    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private MockKubernetes(KubernetesMockServer server, KubernetesClient client) {
        this.server = server;
        this.client = client;
    }

    /** Starts the server on a free loopback port and connects a client to it. */
    public static MockKubernetes start() {
        MOCK_LOG.setLevel(Level.WARNING);
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new StandInDispatcher(responses), false);
        server.init();
        // short timeouts: a request the mock cannot answer must fail fast instead of hanging the demo
        KubernetesClient client = server.createClient(b -> b.withConfig(Config.empty()).editOrNewConfig()
                .withMasterUrl(server.url("/")).withTrustCerts(true).withNamespace("default")
                .withRequestTimeout(5_000).withConnectionTimeout(2_000).withRequestRetryBackoffLimit(0).endConfig());
        return new MockKubernetes(server, client);
    }

    /** The client connected to the mock. */
    public KubernetesClient client() {
        return client;
    }

    /** The API server's URL. */
    public String url() {
        return server.url("/");
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
