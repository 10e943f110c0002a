package dev.runbook.examples.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kubernetes API served in-process by fabric8's mock server in CRUD mode. The CRUD mock persists writes sent with
 * {@code dryRun=All}; the STAND-IN here runs such a write on a snapshot of the store and restores it afterwards
 * (no watch event is sent), so the engine's dry run changes nothing, as on a real API server. Strategic merge
 * patches are not supported by the mock (HTTP 415): the demo's runbooks use {@code k8s_set_resources} and JSON
 * patches, which the mock applies faithfully.
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
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new DryRunStandIn(), false);
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

    /** CRUD dispatcher whose dry-run writes leave the store as it was (stand-in, see the class comment). */
    private static final class DryRunStandIn extends KubernetesCrudDispatcher {
        private volatile boolean suppressEvents;
        /** Finishes closed watches off the event loop, see {@link #handleWatch}. */
        private final ExecutorService watchCloser = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mock-watch-close");
            t.setDaemon(true);
            return t;
        });
        /** The CRUD dispatcher's own (private) set of open watches. */
        private final Set<?> watches;

        DryRunStandIn() {
            try {
                var field = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
                field.setAccessible(true);
                this.watches = (Set<?>) field.get(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("fabric8's KubernetesCrudDispatcher changed: no watchEventListeners field", e);
            }
        }

        /**
         * Works around a deadlock in fabric8 7.8.0's mock: closing a watch waits, on the connection's event loop, for
         * the watch's send thread, which may itself wait for that event loop to finish a write; the loop then hangs
         * every request on it. Closing off the loop, after taking the watch out of the store's set under the monitor
         * every store write holds, avoids both the hang and writes to a shut-down sender (see runbook-k8s's
         * StandInDispatcher, where this was diagnosed).
         */
        @Override
        public MockResponse handleWatch(String path) {
            MockResponse upgrade = super.handleWatch(path);
            WebSocketListener watch = upgrade.getWebSocketListener();
            return upgrade.withWebSocketUpgrade(new WebSocketListener() {
                @Override
                public void onBeforeAccept(WebSocket ws, Response response) {
                    watch.onBeforeAccept(ws, response);
                }

                @Override
                public void onOpen(WebSocket ws, Response response) {
                    watch.onOpen(ws, response);
                }

                @Override
                public void onMessage(WebSocket ws, String text) {
                    watch.onMessage(ws, text);
                }

                @Override
                public void onMessage(WebSocket ws, byte[] bytes) {
                    watch.onMessage(ws, bytes);
                }

                @Override
                public void onClosing(WebSocket ws, int code, String reason) {
                    watch.onClosing(ws, code, reason);
                }

                @Override
                public void onClosed(WebSocket ws, int code, String reason) {
                    forget(watch);
                    offLoop(() -> watch.onClosed(ws, code, reason));
                }

                @Override
                public void onFailure(WebSocket ws, Throwable error, Response response) {
                    forget(watch);
                    offLoop(() -> watch.onFailure(ws, error, response));
                }
            });
        }

        private void forget(WebSocketListener watch) {
            synchronized (this) {
                watches.remove(watch);
            }
        }

        private void offLoop(Runnable close) {
            try {
                watchCloser.execute(close);
            } catch (RejectedExecutionException e) {
                Thread t = new Thread(close, "mock-watch-close");
                t.setDaemon(true);
                t.start();
            }
        }

        @Override
        public void releaseResources() {
            super.releaseResources();
            watchCloser.shutdown();
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            if (request.getMethod().equals("GET") || !request.getPath().contains("dryRun=All")) {
                return super.dispatch(request);
            }
            return dryRun(request);
        }

        private synchronized MockResponse dryRun(RecordedRequest request) {
            var snapshot = new HashMap<AttributeSet, String>(map);
            suppressEvents = true;
            try {
                return super.dispatch(request);
            } finally {
                map.clear();
                map.putAll(snapshot);
                suppressEvents = false;
            }
        }

        @Override
        public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
                                 GenericKubernetesResource resource, String newState) {
            if (!suppressEvents) {
                super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
            }
        }
    }
}
