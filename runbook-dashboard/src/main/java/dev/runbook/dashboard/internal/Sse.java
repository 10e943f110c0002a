package dev.runbook.dashboard.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * One server-sent event stream: replays what the client missed ({@code Last-Event-ID}) from the ring, then
 * follows it live, with a comment line every 15 s so that proxies keep the connection. Each event carries its
 * {@code id:}, so the browser's automatic reconnect resumes where it stopped.
 */
final class Sse {
    private static final long KEEPALIVE_MILLIS = 15_000;

    private Sse() {
    }

    /** Streams until the client goes away or {@code stopping} turns true. */
    static void stream(HttpExchange ex, EventRing ring, long lastSeen, boolean resumed, BooleanSupplier stopping)
            throws IOException {
        Http.secure(ex);
        var h = ex.getResponseHeaders();
        h.set("Content-Type", "text/event-stream; charset=utf-8");
        h.set("X-Accel-Buffering", "no");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            long last = resumed ? lastSeen : ring.lastId();
            // The browser retries after 1 s; the hello says where the live stream starts.
            write(out, "retry: 1000\nevent: hello\ndata: {\"lastId\":" + last + "}\n\n");
            EventRing.Batch batch = ring.after(last);
            while (!stopping.getAsBoolean()) {
                if (batch.gap()) {
                    // Events the client missed are gone: it reloads what it shows.
                    write(out, "event: reset\ndata: {}\n\n");
                }
                for (EventRing.Event e : batch.events()) {
                    write(out, "id: " + e.id() + "\nevent: " + e.type() + "\ndata: " + e.json() + "\n\n");
                    last = e.id();
                }
                if (batch.events().isEmpty() && !batch.gap()) {
                    write(out, ": keepalive\n\n");
                }
                try {
                    batch = ring.await(last, KEEPALIVE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } catch (IOException gone) {
            // The client closed the stream: nothing to do, it reconnects with Last-Event-ID if it wants more.
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
