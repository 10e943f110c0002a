package dev.runbook.core.action.builtin.internal;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import dev.runbook.core.action.builtin.BuiltinActionsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code slack_notify}: posts a message to a Slack incoming webhook. */
final class SlackNotifyAction extends BaseAction {
    private final BuiltinActionsConfig config;
    private final Supplier<HttpClient> client;

    SlackNotifyAction(BuiltinActionsConfig config, Supplier<HttpClient> client) {
        super("slack_notify", "Posts a message to a Slack incoming webhook",
                ParamSchema.of(
                        ParamSpec.required("message", ParamType.STRING, "the message text"),
                        ParamSpec.optional("channel", ParamType.STRING, "the channel, for instance #sre-alerts"),
                        ParamSpec.optional("webhook_url", ParamType.STRING,
                                "the incoming webhook URL (default: the configured one); its host must be allowed")),
                true);
        this.config = config;
        this.client = client;
    }

    @Override
    public ActionResult execute(ActionContext ctx) throws Exception {
        String message = ctx.string("message");
        Optional<String> channel = ctx.optionalString("channel").filter(c -> !c.isBlank());
        Optional<String> given = ctx.optionalString("webhook_url").filter(u -> !u.isBlank());
        URI url;
        String source;
        if (given.isPresent()) {
            url = HttpCalls.parseUrl(given.get(), "webhook_url");
            source = "webhook_url";
        } else if (config.slackWebhookUrl().isPresent()) {
            url = config.slackWebhookUrl().get();
            source = "slackWebhookUrl (configuration)";
        } else {
            throw ActionException.permanent("slack_notify has no webhook: give the parameter 'webhook_url' or configure "
                    + "BuiltinActionsConfig.custom().slackWebhookUrl(...)");
        }
        var allowed = new HashSet<>(config.allowedWebhookHosts());
        config.slackWebhookUrl().ifPresent(u -> allowed.add(u.getHost().toLowerCase(Locale.ROOT)));
        HttpCalls.checkAllowed(url, source, allowed);
        String where = channel.map(c -> " to " + c).orElse("");
        var out = new LinkedHashMap<String, Object>();
        channel.ifPresent(c -> out.put("channel", c));
        out.put("message", message);
        if (ctx.dryRun()) {
            out.put("dry_run", true);
            return new ActionResult(Optional.of(out), List.of(), "dry run: would post a Slack message" + where);
        }
        Duration timeout = ctx.remaining(config.defaultTimeout());
        if (timeout.isZero()) {
            throw ActionException.retryable("no time left before the step's deadline to post the Slack message");
        }
        if (timeout.compareTo(config.defaultTimeout()) > 0) {
            timeout = config.defaultTimeout();
        }
        String what = "Slack webhook " + HttpCalls.safe(url).replaceAll("(://[^/]+).*", "$1/...");
        var response = HttpCalls.send(client.get(),
                HttpCalls.Request.postJson(url, HttpCalls.slackPayload(message, channel), timeout), what);
        HttpCalls.requireStatus(response, s -> s >= 200 && s < 300, what, ctx.clock());
        out.put("status", (long) response.status());
        return new ActionResult(Optional.of(out), List.of(), "posted a Slack message" + where);
    }
}
