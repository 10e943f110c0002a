package dev.runbook.slack;

import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.approval.ApprovalGateway;
import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.engine.Sleeper;
import dev.runbook.core.retry.Backoff;
import dev.runbook.slack.internal.ApprovalBook;
import dev.runbook.slack.internal.Approvers;
import dev.runbook.slack.internal.SignatureVerifier;
import dev.runbook.slack.internal.SlackWebApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Asks for approvals in Slack, as the seed's "Approval Workflow (Slack)" does: {@link #requestApproval} posts a
 * Block Kit message ({@code chat.postMessage}) with the runbook, the incident, the dry run's planned steps and the
 * resources they touch, and Approve / Deny buttons whose {@code value} is the execution id. A click reaches the
 * host's HTTP endpoint, which hands it to {@link #interactionHandler()}; the first allowed click decides. A request
 * nobody answers within the {@linkplain Builder#approvalTimeout timeout} (5 minutes, as in the seed) is denied.
 * Whatever decides, the message's buttons are then replaced by the outcome ({@code chat.update}).
 *
 * <p>A message Slack refuses ({@code {"ok":false,"error":"channel_not_found"}}) or does not take in time fails the
 * request's stage, which the engine records as a denial. 429 and 5xx answers are retried through {@link Backoff},
 * honouring {@code Retry-After}.
 *
 * <p><b>Who may decide.</b> Anyone in the channel, unless {@link Builder#approvers} or {@link Builder#approverGroup}
 * name who may (then only those). With {@link Builder#forbidRequesterApproval} (on by default) the person who
 * requested the execution may deny but not approve it. The requester is what {@link Builder#requester} returns; by
 * default the incident attribute {@value #REQUESTER_ATTRIBUTE}, which the host sets to the Slack user id of whoever
 * raised or triggered the incident. An execution without a known requester has no one to exclude.
 *
 * <p>The Slack app needs the bot scopes {@code chat:write} and, for an approver group, {@code usergroups:read}.
 * Close the gateway when the host stops: requests still waiting are denied.
 */
public final class SlackApprovalGateway implements ApprovalGateway, AutoCloseable {
    /** The incident attribute the default {@link Builder#requester} reads: the requester's Slack user id. */
    public static final String REQUESTER_ATTRIBUTE = "slack_requester";
    /** How long a request waits for a click unless configured: the seed's 5 minutes. */
    public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofMinutes(5);
    /** How long one Web API request may take unless configured. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The Web API unless configured. */
    public static final URI DEFAULT_API_BASE = URI.create("https://slack.com/api");

    private final ApprovalBook book;
    private final SlackInteractionHandler handler;
    private final List<ExecutorService> owned;
    private final String channel;

    private SlackApprovalGateway(String channel, ApprovalBook book, SignatureVerifier verifier,
                                 List<ExecutorService> owned) {
        this.book = book;
        this.handler = new SlackInteractionHandler(verifier, book);
        this.owned = List.copyOf(owned);
        this.channel = channel;
    }

    /** A builder; the bot token, channel and signing secret are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Posts the approval message; the stage completes with the first allowed click, or a denial at the timeout. */
    @Override
    public CompletionStage<ApprovalDecision> requestApproval(ApprovalRequest request) {
        return book.request(Objects.requireNonNull(request, "request"));
    }

    /** The handler of Slack's interaction callbacks for this gateway, to mount on the host's HTTP server. */
    public SlackInteractionHandler interactionHandler() {
        return handler;
    }

    /** The requests waiting for a click. */
    public List<ApprovalRequest> waiting() {
        return book.waiting();
    }

    /**
     * Denies every request whose timeout has passed on the gateway's clock, and returns how many. The gateway's own
     * timer does this at each deadline; a host (or a test) on a clock of its own calls it after moving the clock.
     */
    public int expireOverdue() {
        return book.expireOverdue();
    }

    /** Denies the requests still waiting (their messages say so) and stops the gateway's own threads. */
    @Override
    public void close() {
        book.denyAll("the Slack approval gateway was closed");
        owned.forEach(ExecutorService::shutdown);
    }

    @Override
    public String toString() {
        return "SlackApprovalGateway[" + channel + "]";
    }

    /** Builds a {@link SlackApprovalGateway}; each setter checks its value at once. */
    public static final class Builder {
        private static final Pattern SLACK_ID = Pattern.compile("[A-Z0-9]{2,32}");

        private String botToken;
        private String channel;
        private String signingSecret;
        private URI apiBase = DEFAULT_API_BASE;
        private Clock clock = Clock.systemUTC();
        private HttpClient httpClient;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration approvalTimeout = DEFAULT_APPROVAL_TIMEOUT;
        private final Set<String> approvers = new LinkedHashSet<>();
        private Optional<String> approverGroup = Optional.empty();
        private boolean forbidRequesterApproval = true;
        private Function<ApprovalRequest, Optional<String>> requester = Builder::requesterAttribute;
        private Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30), 4);
        private Sleeper sleeper = Sleeper.system();
        private Executor executor;
        private ScheduledExecutorService scheduler;

        private Builder() {
        }

        /** The bot token ({@code xoxb-...}); required. It is sent only as {@code Authorization: Bearer}, never logged. */
        public Builder botToken(String token) {
            Objects.requireNonNull(token, "botToken");
            if (!token.startsWith("xox") || token.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("botToken must be a Slack token without spaces, starting with "
                        + "'xoxb-' for a bot (value not shown)");
            }
            this.botToken = token;
            return this;
        }

        /** The channel to post in: an id ({@code C0123ABC}) or a name ({@code #incidents}); required. */
        public Builder channel(String channel) {
            Objects.requireNonNull(channel, "channel");
            if (channel.isBlank() || channel.length() > 80 || channel.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("channel must be a channel id such as C0123ABC or a name such as "
                        + "#incidents, without spaces, got '" + channel + "'");
            }
            this.channel = channel;
            return this;
        }

        /** The app's signing secret, which verifies callbacks; required. Never logged. */
        public Builder signingSecret(String secret) {
            Objects.requireNonNull(secret, "signingSecret");
            if (secret.isBlank()) {
                throw new IllegalArgumentException("signingSecret must not be blank: copy it from the Slack app's "
                        + "Basic Information page");
            }
            this.signingSecret = secret;
            return this;
        }

        /** The Web API base (default {@code https://slack.com/api}); tests point it at a local server. */
        public Builder apiBase(URI base) {
            Objects.requireNonNull(base, "apiBase");
            String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
            if (!base.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || base.getHost() == null
                    || base.getRawQuery() != null) {
                throw new IllegalArgumentException("apiBase must be an absolute http(s) URL with a host and no query, "
                        + "such as https://slack.com/api, got '" + base + "'");
            }
            this.apiBase = base;
            return this;
        }

        /** The clock of deadlines, decisions and the signature's timestamp window (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The HTTP client of Web API calls (default: HTTP/1.1, no redirects, 10 s connect timeout). */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /** How long one Web API request may take (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** How long a request waits for a click before it is denied (default 5 minutes). */
        public Builder approvalTimeout(Duration timeout) {
            this.approvalTimeout = positive(timeout, "approvalTimeout");
            return this;
        }

        /** Allows these Slack user ids ({@code U0123ABC}) to decide; with no approvers and no group, anyone may. */
        public Builder approvers(Collection<String> userIds) {
            int i = 0;
            for (String id : Objects.requireNonNull(userIds, "approvers")) {
                approvers.add(slackId(id, "approvers[" + i++ + "]", "U0123ABC"));
            }
            return this;
        }

        /** Allows the members of this user group ({@code S0123ABC}, read with {@code usergroups.users.list}). */
        public Builder approverGroup(String usergroupId) {
            this.approverGroup = Optional.of(slackId(usergroupId, "approverGroup", "S0123ABC"));
            return this;
        }

        /** Whether the requester may not approve their own execution (default true); they may always deny it. */
        public Builder forbidRequesterApproval(boolean forbid) {
            this.forbidRequesterApproval = forbid;
            return this;
        }

        /**
         * Who requested an execution: a Slack user id, or empty when unknown (default: the incident attribute
         * {@value #REQUESTER_ATTRIBUTE} when it is text).
         */
        public Builder requester(Function<ApprovalRequest, Optional<String>> requester) {
            this.requester = Objects.requireNonNull(requester, "requester");
            return this;
        }

        /** The retries of 429, 5xx and connection failures (default 4 attempts, 1 s doubling to 30 s, jittered). */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** How retries wait (default {@link Sleeper#system()}); tests pass one that advances their clock. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Runs the Web API calls, which block (default: up to 4 threads of the gateway's own). */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Fires the timeouts (default: one thread of the gateway's own). */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The gateway.
         *
         * @throws IllegalStateException naming a required setting that is missing
         */
        public SlackApprovalGateway build() {
            var missing = new ArrayList<String>();
            if (botToken == null) {
                missing.add("botToken");
            }
            if (channel == null) {
                missing.add("channel");
            }
            if (signingSecret == null) {
                missing.add("signingSecret");
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("SlackApprovalGateway needs " + String.join(", ", missing)
                        + "; set them on the builder");
            }
            var owned = new ArrayList<ExecutorService>();
            Executor ex = executor;
            if (ex == null) {
                var pool = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                        daemon("slack-approval"));
                pool.allowCoreThreadTimeOut(true);
                owned.add(pool);
                ex = pool;
            }
            ScheduledExecutorService timer = scheduler;
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(daemon("slack-approval-timer"));
                owned.add(timer);
            }
            HttpClient client = httpClient != null ? httpClient : HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            var api = new SlackWebApi(apiBase, botToken, client, requestTimeout, backoff, sleeper, clock);
            var who = new Approvers(approvers, approverGroup, forbidRequesterApproval);
            var book = new ApprovalBook(new ApprovalBook.Config(api, channel, who, approvalTimeout, requester, clock,
                    ex, timer));
            return new SlackApprovalGateway(channel, book, new SignatureVerifier(signingSecret, clock, 10_000), owned);
        }

        private static Optional<String> requesterAttribute(ApprovalRequest r) {
            return r.incident().attributes().get(REQUESTER_ATTRIBUTE) instanceof String s && !s.isBlank()
                    ? Optional.of(s) : Optional.empty();
        }

        private static String slackId(String id, String field, String example) {
            Objects.requireNonNull(id, field);
            if (!SLACK_ID.matcher(id).matches()) {
                throw new IllegalArgumentException(field + " must be a Slack id of capital letters and digits such as "
                        + example + ", got '" + id + "'");
            }
            return id;
        }

        private static Duration positive(Duration d, String field) {
            Objects.requireNonNull(d, field);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, got " + d);
            }
            return d;
        }

        private static java.util.concurrent.ThreadFactory daemon(String name) {
            return r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            };
        }
    }
}
