package dev.runbook.slack;

import dev.runbook.core.internal.Json;
import java.util.Map;
import java.util.Objects;

/**
 * What to answer Slack's interaction request with: a status and a JSON body ({@link #CONTENT_TYPE}). A 200 carries
 * an ephemeral-style message for the person who clicked ({@code response_type: ephemeral}, the original message
 * kept); a refusal carries only a short reason and never says which check failed beyond that.
 *
 * @param status the HTTP status
 * @param body   the JSON body
 */
public record SlackResponse(int status, String body) {
    /** The content type of every body. */
    public static final String CONTENT_TYPE = "application/json; charset=utf-8";

    public SlackResponse {
        Objects.requireNonNull(body, "body");
    }

    /** A 200 showing {@code text} to the person who clicked. */
    public static SlackResponse message(String text) {
        return new SlackResponse(200, Json.write(Map.of("response_type", "ephemeral", "replace_original", false,
                "text", text)));
    }

    /** An error status with a short reason. */
    public static SlackResponse error(int status, String reason) {
        return new SlackResponse(status, Json.write(Map.of("error", reason)));
    }
}
