package dev.runbook.k8s.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;

/**
 * The cluster a test runs against: by default fabric8's mock server in CRUD mode (with the {@link StandInDispatcher}
 * stand-ins and expectations); with the system property {@value #REAL_PROPERTY}=true (the {@code real-cluster} Maven
 * profile) the cluster of the kubeconfig ({@code KUBECONFIG}), in a fresh namespace deleted afterwards.
 */
public final class TestCluster implements AutoCloseable {
    /** Set by the real-cluster profile. */
    public static final String REAL_PROPERTY = "runbook.k8s.real-cluster";

    private final KubernetesClient client;
    private final Optional<KubernetesMockServer> server;
    private final Optional<StandInDispatcher> dispatcher;
    private final String namespace;

    private TestCluster(KubernetesClient client, KubernetesMockServer server, StandInDispatcher dispatcher, String namespace) {
        this.client = client;
        this.server = Optional.ofNullable(server);
        this.dispatcher = Optional.ofNullable(dispatcher);
        this.namespace = namespace;
    }

    /** Whether tests run against a real cluster. */
    public static boolean real() {
        return Boolean.getBoolean(REAL_PROPERTY);
    }

    /** The mock (default) or the real cluster. */
    public static TestCluster start() {
        if (real()) {
            KubernetesClient c = new KubernetesClientBuilder().build();
            String ns = "runbook-it-" + UUID.randomUUID().toString().substring(0, 8);
            c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            return new TestCluster(c, null, null, ns);
        }
        return mock();
    }

    /** Always the mock, for tests that assert mock-only details (requests, canned responses). */
    public static TestCluster mock() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        var dispatcher = new StandInDispatcher(responses);
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
        server.init();
        // short timeouts: a request the mock cannot answer must fail fast, not hang the build
        KubernetesClient c = server.createClient(b -> b.withConfig(Config.empty()).editOrNewConfig()
                .withMasterUrl(server.url("/")).withTrustCerts(true).withNamespace("default")
                .withRequestTimeout(5_000).withConnectionTimeout(2_000).withRequestRetryBackoffLimit(0).endConfig());
        return new TestCluster(c, server, dispatcher, "shop");
    }

    public KubernetesClient client() {
        return client;
    }

    public String namespace() {
        return namespace;
    }

    /** The mock server, for expectations; empty against a real cluster. */
    public Optional<KubernetesMockServer> server() {
        return server;
    }

    /** The stand-in dispatcher (request log, PDB refusals); empty against a real cluster. */
    public Optional<StandInDispatcher> dispatcher() {
        return dispatcher;
    }

    @Override
    public void close() {
        if (server.isEmpty()) {
            client.namespaces().withName(namespace).delete();
        }
        client.close();
        server.ifPresent(KubernetesMockServer::destroy);
    }
}
