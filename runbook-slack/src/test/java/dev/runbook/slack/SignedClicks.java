package dev.runbook.slack;

import dev.runbook.core.internal.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Builds interaction callbacks as Slack sends them, signed as Slack documents (written apart from the code under test). */
final class SignedClicks {
    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

    record Request(Map<String, List<String>> headers, byte[] body) {
    }

    private SignedClicks() {
    }

    /** The form body of a block_actions click on {@code actionId} with {@code value}. */
    static byte[] body(String userId, String username, String actionId, String value) {
        var user = new LinkedHashMap<String, Object>();
        user.put("id", userId);
        user.put("username", username);
        user.put("name", username);
        user.put("team_id", "T1");
        var action = new LinkedHashMap<String, Object>();
        action.put("type", "button");
        action.put("block_id", "runbook_approval");
        action.put("action_id", actionId);
        action.put("value", value);
        action.put("action_ts", "1700000001.000200");
        var payload = new LinkedHashMap<String, Object>();
        payload.put("type", "block_actions");
        payload.put("user", user);
        payload.put("api_app_id", "A1");
        payload.put("container", Map.of("type", "message", "message_ts", FakeSlack.TS, "channel_id", "C1"));
        payload.put("trigger_id", "123.456.abc");
        payload.put("channel", Map.of("id", "C1", "name", "incidents"));
        payload.put("response_url", "https://hooks.slack.com/actions/T1/1/xyz");
        payload.put("actions", List.of(action));
        return ("payload=" + URLEncoder.encode(Json.write(payload), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
    }

    static Request signed(byte[] body, Instant at, String secret) {
        String ts = Long.toString(at.getEpochSecond());
        return new Request(Map.of("X-Slack-Request-Timestamp", List.of(ts),
                "X-Slack-Signature", List.of(signature(ts, body, secret)),
                "Content-Type", List.of("application/x-www-form-urlencoded")), body);
    }

    static String signature(String ts, byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] base = ("v0:" + ts + ":" + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(base));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
