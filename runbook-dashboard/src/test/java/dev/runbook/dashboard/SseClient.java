package dev.runbook.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.stream.Stream;

/** Reads a server-sent event stream event by event (blocking; tests bound it with {@code @Timeout}). */
final class SseClient implements AutoCloseable {
    /** One event as received; {@code id} is -1 when the event had none. */
    record Event(long id, String type, String data) {
    }

    private final Stream<String> lines;
    private final Iterator<String> it;
    final int status;

    SseClient(HttpClient http, URI events, String token, Long lastEventId) throws IOException, InterruptedException {
        var req = HttpRequest.newBuilder(events).header("Authorization", "Bearer " + token);
        if (lastEventId != null) {
            req.header("Last-Event-ID", String.valueOf(lastEventId));
        }
        HttpResponse<Stream<String>> r = http.send(req.build(), HttpResponse.BodyHandlers.ofLines());
        this.status = r.statusCode();
        this.lines = r.body();
        this.it = lines.iterator();
    }

    /** The next event (comments and retry lines skipped). */
    Event next() {
        long id = -1;
        String type = "message";
        var data = new StringBuilder();
        boolean any = false;
        while (it.hasNext()) {
            String line = it.next();
            if (line.isEmpty()) {
                if (any) {
                    return new Event(id, type, data.toString());
                }
                continue;
            }
            if (line.startsWith(":") || line.startsWith("retry:")) {
                continue;
            }
            any = true;
            if (line.startsWith("id: ")) {
                id = Long.parseLong(line.substring(4));
            } else if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data.append(line.substring(6));
            }
        }
        throw new IllegalStateException("stream ended");
    }

    @Override
    public void close() {
        lines.close();
    }
}
