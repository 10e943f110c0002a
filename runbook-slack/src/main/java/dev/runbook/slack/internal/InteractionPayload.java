package dev.runbook.slack.internal;

import dev.runbook.core.internal.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The part of a Slack {@code block_actions} interaction that an approval needs, read from the form body
 * {@code payload=<url-encoded JSON>}. Everything in it is data: it is matched against known values, never
 * evaluated.
 *
 * @param userId   {@code user.id}, Slack's user id ({@code U123ABC})
 * @param username {@code user.username}, or empty
 * @param actionId {@code actions[0].action_id}
 * @param value    {@code actions[0].value}: the execution id the button was made for
 */
public record InteractionPayload(String userId, String username, String actionId, String value) {
    private static final Pattern USER_ID = Pattern.compile("[A-Z0-9]{1,32}");
    private static final int MAX_FIELD = 2000;

    /**
     * Parses a form body.
     *
     * @throws IllegalArgumentException naming the field that is missing or malformed
     */
    public static InteractionPayload parse(byte[] rawBody) {
        String form = new String(rawBody, StandardCharsets.UTF_8);
        String json = null;
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals("payload")) {
                try {
                    json = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("form field 'payload' is not URL-encoded: " + e.getMessage());
                }
            }
        }
        if (json == null) {
            throw new IllegalArgumentException("the body has no form field 'payload' (expected "
                    + "application/x-www-form-urlencoded payload=<JSON>)");
        }
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("form field 'payload': " + e.getMessage());
        }
        Map<?, ?> root = map(parsed, "payload");
        String type = text(root, "type", "payload.type");
        if (!type.equals("block_actions")) {
            throw new IllegalArgumentException("payload.type is '" + clip(type) + "', expected 'block_actions'");
        }
        Map<?, ?> user = map(root.get("user"), "payload.user");
        String userId = text(user, "id", "payload.user.id");
        if (!USER_ID.matcher(userId).matches()) {
            throw new IllegalArgumentException("payload.user.id '" + clip(userId) + "' is not a Slack user id");
        }
        String username = user.get("username") instanceof String s ? s : "";
        if (!(root.get("actions") instanceof List<?> actions) || actions.isEmpty()) {
            throw new IllegalArgumentException("payload.actions is missing or empty");
        }
        Map<?, ?> action = map(actions.get(0), "payload.actions[0]");
        return new InteractionPayload(userId, clip(username), text(action, "action_id", "payload.actions[0].action_id"),
                text(action, "value", "payload.actions[0].value"));
    }

    private static Map<?, ?> map(Object o, String where) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException(where + " is missing or not an object");
    }

    private static String text(Map<?, ?> m, String key, String where) {
        if (m.get(key) instanceof String s && !s.isEmpty()) {
            if (s.length() > MAX_FIELD) {
                throw new IllegalArgumentException(where + " is longer than " + MAX_FIELD + " characters");
            }
            return s;
        }
        throw new IllegalArgumentException(where + " is missing or not a non-empty string");
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    /** The user as recorded with the decision: {@code slack:U123 (alice)}. */
    public String approverName() {
        return "slack:" + userId + (username.isEmpty() ? "" : " (" + username + ")");
    }
}
