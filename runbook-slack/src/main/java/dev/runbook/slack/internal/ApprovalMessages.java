package dev.runbook.slack.internal;

import dev.runbook.core.action.TouchedResource;
import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.model.Incident;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Block Kit bodies of the approval message and of its update. Incident fields, step lines and resource names
 * are untrusted: they go into the JSON only as values (the writer escapes them), and their mrkdwn control
 * characters ({@code & < >}) are escaped as Slack documents, so an incident cannot mention {@code @channel}, add a
 * link or end a formatting span. Texts are cut to Slack's limits.
 */
public final class ApprovalMessages {
    /** {@code action_id} of the Approve button. */
    public static final String APPROVE = "runbook_approve";
    /** {@code action_id} of the Deny button. */
    public static final String DENY = "runbook_deny";

    private static final int SECTION_LIMIT = 2900; // Slack: 3000 characters per section text
    private static final int FIELD_LIMIT = 1900; // Slack: 2000 per field
    private static final int MAX_LINES = 20;

    private ApprovalMessages() {
    }

    /** The blocks describing the request, without buttons: kept for the update. */
    public static List<Map<String, Object>> summary(ApprovalRequest r) {
        Incident i = r.incident();
        var blocks = new ArrayList<Map<String, Object>>();
        blocks.add(Map.of("type", "header", "text", plain("Runbook approval needed")));
        blocks.add(Map.of("type", "section", "fields", List.of(
                mrkdwn("*Runbook*\n" + field(r.runbookId() + " v" + r.runbookVersion())),
                mrkdwn("*Incident*\n" + field(i.incidentId())),
                mrkdwn("*Symptom*\n" + field(i.symptomReason().isEmpty() ? "-" : i.symptomReason())),
                mrkdwn("*Root cause*\n" + field(i.rootCauseReason().isEmpty() ? "-" : i.rootCauseReason())),
                mrkdwn("*Confidence*\n" + String.format(Locale.ROOT, "%.2f", i.rcaConfidence())),
                mrkdwn("*Resource*\n" + field(i.resource().kind() + "/"
                        + (i.resource().namespace().isEmpty() ? "" : i.resource().namespace() + "/")
                        + i.resource().name())))));
        blocks.add(section("*Planned steps (dry run)*", r.plannedSteps()));
        blocks.add(section("*Resources it would touch*", r.touched().stream().map(ApprovalMessages::touched).toList()));
        return List.copyOf(blocks);
    }

    /** The {@code chat.postMessage} body: the summary and an actions block whose buttons carry the execution id. */
    public static Map<String, Object> post(String channel, ApprovalRequest r, List<Map<String, Object>> summary) {
        var blocks = new ArrayList<Object>(summary);
        blocks.add(Map.of("type", "actions", "block_id", "runbook_approval", "elements", List.of(
                button(APPROVE, "Approve", "primary", r.executionId()),
                button(DENY, "Deny", "danger", r.executionId()))));
        var body = new LinkedHashMap<String, Object>();
        body.put("channel", channel);
        body.put("text", fallback(r));
        body.put("blocks", blocks);
        return body;
    }

    /** The {@code chat.update} body: the summary with the outcome in place of the buttons. */
    public static Map<String, Object> update(String channel, String ts, ApprovalRequest r,
                                             List<Map<String, Object>> summary, String outcome) {
        var blocks = new ArrayList<Object>(summary);
        blocks.add(Map.of("type", "context", "elements", List.of(mrkdwn(outcome))));
        var body = new LinkedHashMap<String, Object>();
        body.put("channel", channel);
        body.put("ts", ts);
        body.put("text", fallback(r) + ": " + outcome);
        body.put("blocks", blocks);
        return body;
    }

    /** Escapes Slack's mrkdwn control characters. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String fallback(ApprovalRequest r) {
        return "Approval needed: runbook " + escape(r.runbookId()) + " for incident " + escape(cut(r.incident()
                .incidentId(), 200));
    }

    private static String touched(TouchedResource t) {
        return t.key() + (t.change().isEmpty() ? "" : ": " + t.change());
    }

    private static Map<String, Object> section(String title, List<String> lines) {
        var sb = new StringBuilder(title);
        if (lines.isEmpty()) {
            sb.append("\nnone");
        }
        int shown = 0;
        for (String line : lines) {
            String bullet = "\n• " + escape(cut(line.replace('\n', ' '), 300));
            if (shown == MAX_LINES || sb.length() + bullet.length() > SECTION_LIMIT - 40) {
                sb.append("\n… and ").append(lines.size() - shown).append(" more");
                break;
            }
            sb.append(bullet);
            shown++;
        }
        return Map.of("type", "section", "text", mrkdwn(sb.toString()));
    }

    private static Map<String, Object> button(String actionId, String text, String style, String value) {
        var b = new LinkedHashMap<String, Object>();
        b.put("type", "button");
        b.put("action_id", actionId);
        b.put("text", plain(text));
        b.put("style", style);
        b.put("value", value);
        return b;
    }

    private static String field(String s) {
        return escape(cut(s, FIELD_LIMIT));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static Map<String, Object> mrkdwn(String text) {
        return Map.of("type", "mrkdwn", "text", text);
    }

    private static Map<String, Object> plain(String text) {
        return Map.of("type", "plain_text", "text", text);
    }
}
