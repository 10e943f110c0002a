package dev.runbook.slack;

import dev.runbook.slack.internal.ApprovalBook;
import dev.runbook.slack.internal.InteractionPayload;
import dev.runbook.slack.internal.SignatureVerifier;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes Slack's interaction callbacks (the Approve and Deny clicks) for a {@link SlackApprovalGateway}. A host with
 * an HTTP server of its own calls {@link #handle} from the route it registered as the Slack app's Request URL,
 * with the request's headers and its body exactly as received (the signature covers those bytes), and writes the
 * {@link SlackResponse} back; {@link SlackCallbackServer} does that for hosts without a server.
 *
 * <p>Every request is checked as Slack documents: {@code X-Slack-Signature} must be {@code v0=} and the hex
 * HMAC-SHA256, keyed with the signing secret, of {@code v0:<X-Slack-Request-Timestamp>:<body>} (compared in
 * constant time), and the timestamp within 5 minutes of the gateway's clock, either way. A signed request seen
 * before within those 5 minutes is a replay. Anything else is answered 401 and logged at WARN, and decides
 * nothing. Thread-safe.
 */
public final class SlackInteractionHandler {
    /** The largest body accepted; Slack's block_actions payloads are far smaller. */
    public static final int MAX_BODY_BYTES = 256 * 1024;
    /** The timestamp header. */
    public static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
    /** The signature header. */
    public static final String SIGNATURE_HEADER = "X-Slack-Signature";

    private static final Logger LOG = LoggerFactory.getLogger(SlackInteractionHandler.class);

    private final SignatureVerifier verifier;
    private final ApprovalBook book;

    SlackInteractionHandler(SignatureVerifier verifier, ApprovalBook book) {
        this.verifier = verifier;
        this.book = book;
    }

    /**
     * Handles one callback.
     *
     * @param headers the request's headers (names in any case, as {@code com.sun.net.httpserver.Headers} or a
     *                servlet gives them)
     * @param rawBody the body exactly as received
     * @return 200 with a message for whoever clicked (also when nothing was decided: unknown or decided
     *         execution, approver not allowed); 401 for a missing, forged, stale or replayed signature; 400 for a
     *         signed body that is not a block_actions payload; 413 for an oversized body; 503 when the replay
     *         memory is full
     */
    public SlackResponse handle(Map<String, List<String>> headers, byte[] rawBody) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(rawBody, "rawBody");
        if (rawBody.length > MAX_BODY_BYTES) {
            LOG.warn("Slack interaction refused: body of {} bytes is over {}", rawBody.length, MAX_BODY_BYTES);
            return SlackResponse.error(413, "body too large");
        }
        Optional<String> ts = header(headers, TIMESTAMP_HEADER);
        var verdict = verifier.verify(ts, header(headers, SIGNATURE_HEADER), rawBody);
        if (verdict == SignatureVerifier.Verdict.MEMORY_FULL) {
            LOG.warn("Slack interaction refused: too many callbacks in the last 5 minutes to remember one more");
            return SlackResponse.error(503, "busy, try again");
        }
        if (verdict != SignatureVerifier.Verdict.VALID) {
            LOG.warn("Slack interaction refused with 401: {} (timestamp {}, {} bytes)",
                    verdict.name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    ts.map(t -> t.length() > 20 ? t.substring(0, 20) + "..." : t).orElse("absent"), rawBody.length);
            return SlackResponse.error(401, "request verification failed");
        }
        InteractionPayload click;
        try {
            click = InteractionPayload.parse(rawBody);
        } catch (IllegalArgumentException e) {
            LOG.warn("Slack interaction refused with 400: {}", e.getMessage());
            return SlackResponse.error(400, e.getMessage());
        }
        try {
            return SlackResponse.message(book.decide(click));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SlackResponse.error(503, "interrupted; nothing was decided");
        }
    }

    private static Optional<String> header(Map<String, List<String>> headers, String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null
                    && !e.getValue().isEmpty()) {
                return Optional.ofNullable(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }
}
