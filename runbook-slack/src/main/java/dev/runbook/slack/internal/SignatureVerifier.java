package dev.runbook.slack.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signing, as documented ("Verifying requests from Slack"): the base string
 * {@code v0:<X-Slack-Request-Timestamp>:<raw body>}, HMAC-SHA256 keyed with the signing secret, hex, compared in
 * constant time with {@code X-Slack-Signature: v0=<hex>}; the timestamp within {@link #WINDOW} of the clock in
 * either direction. A verified signature is remembered for the window, so the same request sent again is a replay.
 * The memory holds at most {@code capacity} signatures: when it is full of live ones, further requests are refused
 * rather than forgetting one (which would let it be replayed).
 */
public final class SignatureVerifier {
    /** How far a request's timestamp may be from the clock, and how long signatures are remembered. */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    /** Why a request was refused, or that it passed. */
    public enum Verdict {
        /** Signed, fresh and new. */
        VALID,
        /** {@code X-Slack-Request-Timestamp} or {@code X-Slack-Signature} is missing. */
        MISSING_HEADER,
        /** The timestamp is not a number of seconds. */
        BAD_TIMESTAMP,
        /** The timestamp is more than the window away from the clock. */
        STALE,
        /** The signature does not match. */
        BAD_SIGNATURE,
        /** The same signed request was seen within the window. */
        REPLAY,
        /** Too many signatures are remembered to take one more. */
        MEMORY_FULL
    }

    private final SecretKeySpec key;
    private final Clock clock;
    private final int capacity;
    /** Verified signatures and their request timestamps, oldest first (insertion order). */
    private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

    /** A verifier with this signing secret. */
    public SignatureVerifier(String signingSecret, Clock clock, int capacity) {
        this.key = new SecretKeySpec(Objects.requireNonNull(signingSecret, "signingSecret")
                .getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (capacity < 1) {
            throw new IllegalArgumentException("replay memory capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Checks one request; a valid one is remembered. */
    public Verdict verify(Optional<String> timestamp, Optional<String> signature, byte[] rawBody) {
        if (timestamp.isEmpty() || signature.isEmpty()) {
            return Verdict.MISSING_HEADER;
        }
        String ts = timestamp.get().trim();
        if (ts.isEmpty() || ts.length() > 18 || !ts.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Verdict.BAD_TIMESTAMP;
        }
        Instant at = Instant.ofEpochSecond(Long.parseLong(ts));
        Instant now = clock.instant();
        if (Duration.between(at, now).abs().compareTo(WINDOW) > 0) {
            return Verdict.STALE;
        }
        byte[] expected = ("v0=" + HexFormat.of().formatHex(hmac(ts, rawBody))).getBytes(StandardCharsets.US_ASCII);
        String given = signature.get().trim();
        if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            return Verdict.BAD_SIGNATURE;
        }
        synchronized (seen) {
            forgetOlderThan(now.minus(WINDOW));
            if (seen.containsKey(given)) {
                return Verdict.REPLAY;
            }
            if (seen.size() >= capacity) {
                return Verdict.MEMORY_FULL;
            }
            seen.put(given, at);
        }
        return Verdict.VALID;
    }

    private byte[] hmac(String ts, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(("v0:" + ts + ":").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private void forgetOlderThan(Instant limit) {
        // Timestamps may arrive out of order within the window, so scan rather than stop at the first live one.
        for (Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().isBefore(limit)) {
                it.remove();
            }
        }
    }
}
