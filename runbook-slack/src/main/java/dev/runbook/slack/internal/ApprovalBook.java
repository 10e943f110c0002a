package dev.runbook.slack.internal;

import dev.runbook.core.approval.ApprovalDecision;
import dev.runbook.core.approval.ApprovalRequest;
import dev.runbook.core.internal.Durations;
import dev.runbook.slack.SlackApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approvals waiting in Slack: posts each request, takes the first allowed click, denies at the deadline, and
 * replaces the buttons with the outcome once the request is decided (whoever decided it: a click, the deadline,
 * the engine giving up, or the gateway closing).
 */
public final class ApprovalBook {
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalBook.class);
    private static final int DECIDED_MEMORY = 1000;

    /** Where the message was posted. */
    private record MessageRef(String channel, String ts) {
    }

    private record Pending(ApprovalRequest request, Optional<String> requester, List<Map<String, Object>> summary,
                           Instant deadline, CompletableFuture<ApprovalDecision> future,
                           CompletableFuture<Optional<MessageRef>> posted, AtomicReference<String> outcome) {
    }

    /**
     * Everything the book needs.
     *
     * @param channel   where approval messages go
     * @param timeout   how long a request waits for a click
     * @param requester who requested an execution, when the host says
     * @param executor  runs Web API calls (they block and retry)
     * @param scheduler fires the deadlines
     */
    public record Config(SlackWebApi api, String channel, Approvers approvers, Duration timeout,
                         Function<ApprovalRequest, Optional<String>> requester, Clock clock, Executor executor,
                         ScheduledExecutorService scheduler) {
    }

    private final Config cfg;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, String> decided = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > DECIDED_MEMORY;
        }
    });

    /** A book with this configuration. */
    public ApprovalBook(Config cfg) {
        this.cfg = cfg;
    }

    /** Posts the request and returns the stage its decision completes. */
    public CompletableFuture<ApprovalDecision> request(ApprovalRequest r) {
        String id = r.executionId();
        var p = new Pending(r, cfg.requester().apply(r), ApprovalMessages.summary(r),
                cfg.clock().instant().plus(cfg.timeout()), new CompletableFuture<>(), new CompletableFuture<>(),
                new AtomicReference<>());
        if (pending.putIfAbsent(id, p) != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("execution " + id
                    + " already waits for a Slack approval"));
        }
        p.future().whenComplete((d, e) -> finished(p, d, e));
        try {
            cfg.executor().execute(() -> post(p));
            cfg.scheduler().schedule(() -> expire(p), cfg.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            p.posted().complete(Optional.empty());
            p.future().completeExceptionally(new IllegalStateException("the Slack approval gateway is closed", e));
        }
        return p.future();
    }

    private void post(Pending p) {
        String id = p.request().executionId();
        try {
            var body = cfg.api().postJson("chat.postMessage",
                    ApprovalMessages.post(cfg.channel(), p.request(), p.summary()), id);
            Object channel = body.get("channel");
            Object ts = body.get("ts");
            if (!(ts instanceof String t) || t.isBlank()) {
                throw new SlackApiException("chat.postMessage", Optional.empty(), 200,
                        "Slack chat.postMessage answered ok without a message ts", null);
            }
            p.posted().complete(Optional.of(new MessageRef(channel instanceof String c ? c : cfg.channel(), t)));
            LOG.info("execution {}: approval requested in Slack channel {} (ts {})", id, channel, t);
        } catch (SlackApiException e) {
            LOG.warn("execution {}: the Slack approval message could not be posted, so the execution is denied: {}",
                    id, e.getMessage());
            p.posted().complete(Optional.empty());
            p.future().completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.posted().complete(Optional.empty());
            p.future().completeExceptionally(e);
        } catch (RuntimeException e) {
            LOG.warn("execution {}: posting the Slack approval message failed", id, e);
            p.posted().complete(Optional.empty());
            p.future().completeExceptionally(e);
        }
    }

    /**
     * Takes a click: the decision, or why not.
     *
     * @return the text to show the person who clicked
     */
    public String decide(InteractionPayload click) throws InterruptedException {
        boolean approve = click.actionId().equals(ApprovalMessages.APPROVE);
        if (!approve && !click.actionId().equals(ApprovalMessages.DENY)) {
            return "Unknown action '" + ApprovalMessages.escape(clip(click.actionId())) + "'; nothing was decided.";
        }
        String id = click.value();
        Pending p = pending.get(id);
        if (p == null) {
            String before = decided.get(id);
            return before != null ? "This request was already decided: " + before + "."
                    : "No approval is waiting for execution " + ApprovalMessages.escape(clip(id))
                    + " (unknown, or already decided).";
        }
        Optional<String> refusal = cfg.approvers().refusal(click.userId(), approve, p.requester(), cfg.api(), id);
        if (refusal.isPresent()) {
            LOG.warn("execution {}: {} of Slack user {} not taken: {}", id, approve ? "approval" : "denial",
                    click.userId(), refusal.get());
            return refusal.get() + ".";
        }
        Instant now = cfg.clock().instant();
        var decision = approve ? ApprovalDecision.approve(click.approverName(), "approved in Slack", now)
                : ApprovalDecision.deny(click.approverName(), "denied in Slack", now);
        String outcome = (approve ? "Approved" : "Denied") + " by <@" + click.userId() + ">";
        if (!p.outcome().compareAndSet(null, outcome) || !p.future().complete(decision)) {
            return "This request was already decided: " + Optional.ofNullable(p.outcome().get()).orElse("closed") + ".";
        }
        LOG.info("execution {} of runbook {}: {} in Slack", id, p.request().runbookId(), outcome);
        return outcome + ": execution " + ApprovalMessages.escape(clip(id)) + " of runbook "
                + ApprovalMessages.escape(p.request().runbookId()) + (approve ? " proceeds." : " will not run.");
    }

    /** Denies every request whose deadline has passed on the clock; returns how many. */
    public int expireOverdue() {
        int n = 0;
        for (Pending p : new ArrayList<>(pending.values())) {
            if (!cfg.clock().instant().isBefore(p.deadline()) && timeOut(p)) {
                n++;
            }
        }
        return n;
    }

    private void expire(Pending p) {
        if (p.future().isDone()) {
            return;
        }
        Duration left = Duration.between(cfg.clock().instant(), p.deadline());
        if (left.isNegative() || left.isZero()) {
            timeOut(p);
            return;
        }
        // The timer and the clock disagree (a test clock, a clock step): check again when the clock says.
        try {
            cfg.scheduler().schedule(() -> expire(p), left.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("execution {}: scheduler closed", p.request().executionId());
        }
    }

    private boolean timeOut(Pending p) {
        String why = "no answer within " + Durations.human(cfg.timeout());
        if (!p.outcome().compareAndSet(null, "Timed out: " + why)) {
            return false;
        }
        boolean done = p.future().complete(ApprovalDecision.deny("slack", why, cfg.clock().instant()));
        if (done) {
            LOG.info("execution {}: denied, {} in Slack", p.request().executionId(), why);
        }
        return done;
    }

    /** Denies everything still waiting (the gateway is closing). */
    public void denyAll(String why) {
        for (Pending p : new ArrayList<>(pending.values())) {
            if (p.outcome().compareAndSet(null, "Closed: " + why)) {
                p.future().complete(ApprovalDecision.deny("slack", why, cfg.clock().instant()));
            }
        }
    }

    /** The requests waiting for a click. */
    public List<ApprovalRequest> waiting() {
        return pending.values().stream().map(Pending::request).toList();
    }

    private void finished(Pending p, ApprovalDecision d, Throwable e) {
        String id = p.request().executionId();
        pending.remove(id, p);
        String outcome = e != null
                ? "No longer waiting: the engine stopped waiting for an answer or the request failed"
                : Optional.ofNullable(p.outcome().get()).orElse((d.approved() ? "Approved by " : "Denied by ")
                + ApprovalMessages.escape(d.approver()));
        decided.put(id, outcome);
        if (!p.posted().isDone()) {
            // Decided before Slack answered the post: the posting thread updates the message once it has the ts.
            p.posted().thenAccept(ref -> ref.ifPresent(m -> update(p, m, outcome)));
            return;
        }
        p.posted().join().ifPresent(m -> {
            try {
                cfg.executor().execute(() -> update(p, m, outcome));
            } catch (RejectedExecutionException x) {
                LOG.warn("execution {}: the Slack approval message was not updated: the gateway is closed", id);
            }
        });
    }

    private void update(Pending p, MessageRef m, String outcome) {
        try {
            cfg.api().postJson("chat.update", ApprovalMessages.update(m.channel(), m.ts(), p.request(), p.summary(),
                    outcome), p.request().executionId());
        } catch (SlackApiException e) {
            LOG.warn("execution {}: the Slack approval message was not updated: {}", p.request().executionId(),
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
