package dev.runbook.k8s.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * fabric8's CRUD mock plus expectations (as {@code KubernetesMixedDispatcher}), with STAND-INS for API-server
 * behaviours the mock lacks (see ../shared notes): these are test doubles, so what they do is proven only against
 * them; the real behaviour is asserted on the requests (RequestAssertionTest) and in the real-cluster profile.
 * <ul>
 *   <li>{@code dryRun=All}: the mutating request runs on a snapshot of the store that is then restored, and no watch
 *       event is sent (the mock would persist it);</li>
 *   <li>strategic merge patches (the mock answers 415): applied by {@link StrategicMerge}, with the API's merge keys
 *       by field path and the {@code $patch}, {@code $retainKeys}, {@code $deleteFromPrimitiveList} and
 *       {@code $setElementOrder} directives;</li>
 *   <li>server-side apply (the mock answers 415): modelled as a create, or as a strategic merge of the applied
 *       object into the live one. It cannot model what makes server-side apply differ: no {@code managedFields}, no
 *       field ownership, so no conflicts with other managers (a test simulates one with a canned 409), and fields a
 *       manager stops applying are kept where the real server would remove them; lists merge by the strategic merge
 *       keys, not by the {@code x-kubernetes-list-map-keys} apply uses (a container port is keyed by
 *       {@code containerPort} and {@code protocol} there);</li>
 *   <li>JSON merge patches: applied by {@link JsonMergePatch} (RFC 7386), as the mock's own merge appends to lists
 *       and keeps {@code null}s;</li>
 *   <li>JSON patches: applied by zjsonpatch (RFC 6902) without the mock's creation of missing parent objects, so an
 *       {@code add} under a missing parent fails as on the API server (422);</li>
 *   <li>the Eviction API (the mock answers 409): deletes the pod, or 429 for pods listed in {@link #pdbBlocked}.</li>
 * </ul>
 * The mock also matches no pod on a {@code spec.nodeName} field selector: that selector is dropped here.
 * Every request is recorded, so tests can check that dry runs sent only {@code dryRun=All} writes.
 * <p>
 * One fix to the mock itself: closing a watch no longer blocks the server's event loop nor fails a concurrent
 * write (see {@link #handleWatch}).
 */
public final class StandInDispatcher extends KubernetesCrudDispatcher {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final MockDispatcher expectations;
    private final Map<ServerRequest, Queue<ServerResponse>> responses;
    private volatile boolean suppressEvents;
    /** Finishes closed watches off the event loop (see {@link #handleWatch}). */
    private final ExecutorService watchCloser = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mock-watch-close");
        t.setDaemon(true);
        return t;
    });
    /** Recorded requests, in order. */
    public final List<Recorded> requests = new CopyOnWriteArrayList<>();
    /**
     * When set, an accepted eviction does not delete the pod but leaves it Terminating, its
     * {@code metadata.deletionTimestamp} set to this instant (a NotReady node's kubelet never confirms the deletion),
     * with a stand-in finalizer, without which the CRUD mock would remove it.
     */
    public volatile java.time.Instant evictionLeavesTerminatingSince;
    /** Pods (namespace/name) whose eviction a PodDisruptionBudget refuses (429). */
    public final Set<String> pdbBlocked = ConcurrentHashMap.newKeySet();

    /** One request the server received. */
    public record Recorded(String method, String path, String contentType, String body) {
        public boolean mutating() {
            return !method.equals("GET");
        }

        public boolean dryRun() {
            return path.contains("dryRun=All") || body.contains("\"dryRun\":[\"All\"]");
        }
    }

    /** The CRUD dispatcher's own (private) set of open watches, see {@link #handleWatch}. */
    private final Set<?> watches;

    public StandInDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
        this.responses = responses;
        this.expectations = new MockDispatcher(responses);
        try {
            var field = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
            field.setAccessible(true);
            this.watches = (Set<?>) field.get(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fabric8's KubernetesCrudDispatcher changed: no watchEventListeners field", e);
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest original) {
        String ct = original.getHeader("Content-Type");
        // reading a request body consumes it: keep the bytes and hand on a fresh copy
        byte[] bytes = original.getBody() == null ? new byte[0] : original.getBody().readByteArray();
        String body = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        RecordedRequest request = new RecordedRequest(original.getHttpVersion(), original.method(), original.getPath(),
                original.getHeaders(), new Buffer(bytes));
        requests.add(new Recorded(request.getMethod(), request.getPath(), ct == null ? "" : ct, body));
        Queue<ServerResponse> q = responses.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
        if (q != null && !q.isEmpty()) {
            return expectations.dispatch(request);
        }
        if (request.getMethod().equals("GET")) {
            if (request.getPath().contains("fieldSelector=spec.nodeName")) {
                // stand-in: the mock matches no pod on spec.nodeName; drop the selector (the drain filters by node itself)
                String path = request.getPath().replaceAll("fieldSelector=spec\\.nodeName(%3D|=)[^&]*&?", "");
                return super.dispatch(new RecordedRequest(request.getHttpVersion(), request.method(), path,
                        request.getHeaders(), new Buffer(bytes)));
            }
            return super.dispatch(request);
        }
        synchronized (this) {
            boolean dry = request.getPath().contains("dryRun=All");
            if (!dry) {
                return handle(request, ct, body);
            }
            var snapshot = new HashMap<AttributeSet, String>(map);
            suppressEvents = true;
            try {
                return handle(request, ct, body);
            } finally {
                map.clear();
                map.putAll(snapshot);
                suppressEvents = false;
            }
        }
    }

    private MockResponse handle(RecordedRequest request, String ct, String body) {
        String path = request.getPath();
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (request.getMethod().equals("POST") && bare.endsWith("/eviction")) {
            return evict(request, bare.substring(0, bare.length() - "/eviction".length()), body);
        }
        // subresources (status, scale) keep the mock's own handling, which writes only that part of the object
        if (request.getMethod().equals("PATCH") && ct != null && !bare.endsWith("/status") && !bare.endsWith("/scale")) {
            if (ct.startsWith("application/strategic-merge-patch+json")) {
                return patch(request, bare, body, false, live -> StrategicMerge.apply(live, map(body)));
            }
            if (ct.startsWith("application/apply-patch+yaml")) {
                return patch(request, bare, body, true, live -> StrategicMerge.apply(live, map(body)));
            }
            if (ct.startsWith("application/merge-patch+json")) {
                return patch(request, bare, body, false, live -> JsonMergePatch.apply(live, MAPPER.readValue(body, Object.class)));
            }
            if (ct.startsWith("application/json-patch+json")) {
                return patch(request, bare, body, false, live -> MAPPER.convertValue(
                        JsonPatch.apply(MAPPER.readTree(body), MAPPER.valueToTree(live)), Map.class));
            }
        }
        return super.dispatch(request);
    }

    private MockResponse evict(RecordedRequest request, String podPath, String body) {
        MockResponse current = super.handleGet(podPath);
        if (current.code() != 200) {
            return new MockResponse().setResponseCode(404).setBody(status(404, "NotFound", "pod not found"));
        }
        String[] parts = podPath.split("/");
        String key = parts[parts.length - 3] + "/" + parts[parts.length - 1];
        if (pdbBlocked.contains(key)) {
            return new MockResponse().setResponseCode(429).setBody(status(429, "TooManyRequests",
                    "Cannot evict pod as it would violate the pod's disruption budget."));
        }
        if (!body.contains("\"dryRun\":[\"All\"]")) {
            java.time.Instant since = evictionLeavesTerminatingSince;
            if (since == null) {
                super.handleDelete(podPath);
            } else {
                leaveTerminating(request, podPath, current, since);
            }
        }
        return new MockResponse().setResponseCode(201).setBody(status(201, "Success", ""));
    }

    @SuppressWarnings("unchecked")
    private void leaveTerminating(RecordedRequest request, String podPath, MockResponse current, java.time.Instant since) {
        try {
            Map<String, Object> pod = MAPPER.readValue(current.getBody().readUtf8(), Map.class);
            var meta = (Map<String, Object>) pod.get("metadata");
            meta.put("deletionTimestamp", since.toString());
            // the CRUD mock removes an object whose deletionTimestamp is set and that has no finalizer
            meta.put("finalizers", List.of("runbook.test/stand-in-terminating"));
            super.handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, podPath, request.getHeaders(),
                    new Buffer().writeUtf8(MAPPER.writeValueAsString(pod))));
        } catch (Exception e) {
            throw new IllegalStateException("stand-in could not mark " + podPath + " Terminating", e);
        }
    }

    /** A patch of the live object into its next state; it may throw for a patch the server refuses. */
    @FunctionalInterface
    private interface Patcher {
        Object apply(Map<String, Object> live) throws Exception;
    }

    /**
     * Reads the live object, patches it and stores the result with a PUT, which keeps the mock's own checks (a stale
     * {@code resourceVersion} in the result answers 409) and watch events. Server-side apply creates a missing object.
     */
    private MockResponse patch(RecordedRequest request, String bare, String body, boolean apply, Patcher patcher) {
        MockResponse current = super.handleGet(bare);
        if (current.code() == 404 && apply) {
            String collection = bare.substring(0, bare.lastIndexOf('/'));
            return super.handleCreate(new RecordedRequest("HTTP/1.1", HttpMethod.POST, collection,
                    request.getHeaders(), new Buffer().writeUtf8(body)));
        }
        if (current.code() != 200) {
            return current;
        }
        Object next;
        try {
            next = patcher.apply(map(current.getBody().readUtf8()));
        } catch (JsonPatchException e) {
            return new MockResponse().setResponseCode(422).setBody(status(422, "Invalid", e.getMessage()));
        } catch (Exception e) {
            return new MockResponse().setResponseCode(400).setBody(status(400, "BadRequest", e.toString()));
        }
        try {
            return super.handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, bare, request.getHeaders(),
                    new Buffer().writeUtf8(MAPPER.writeValueAsString(next))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stand-in could not write the patched " + bare, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, Map.class);
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
                             GenericKubernetesResource resource, String newState) {
        if (!suppressEvents) {
            super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        }
    }

    /**
     * fabric8 7.8.0's watch listener deadlocks the mock's event loop when a client closes a watch while an event is
     * being sent on it: its {@code onClosed} (and {@code onFailure}) runs on the connection's Vert.x event loop and
     * waits up to a minute for the listener's send thread, while that thread waits up to 30 s for its WebSocket write,
     * which only that same event loop can complete. For those 30 s every request on that loop hangs and the server
     * cannot be closed (seen as a client request timeout after a wait condition's informer stopped). Handing the two
     * blocking callbacks to another thread lets the loop finish the write, so the send thread and then the close
     * complete at once. The other callbacks do not block and stay on the loop, in order.
     * <p>
     * The listener leaves the set of watches only after that wait, its send thread already shut down: a change
     * meanwhile would throw RejectedExecutionException out of the store's write and fail that request. So the closed
     * watch is first taken out of the set under this dispatcher's monitor, which every store write holds (the
     * monitor is never held while blocking, so taking it on the event loop is safe).
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
            // a connection closed while the server shuts down: still never block its event loop
            Thread t = new Thread(close, "mock-watch-close");
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public void releaseResources() {
        super.releaseResources();
        // the close tasks left finish on their own, their event loops being free
        watchCloser.shutdown();
    }

    private static String status(int code, String reason, String message) {
        try {
            return MAPPER.writeValueAsString(Map.of("apiVersion", "v1", "kind", "Status", "status",
                    code < 300 ? "Success" : "Failure", "code", code, "reason", reason, "message", message));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
