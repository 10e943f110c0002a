package dev.runbook.dashboard.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import dev.runbook.core.approval.PendingApprovals;
import dev.runbook.core.engine.Execution;
import dev.runbook.core.engine.RunbookEngine;
import dev.runbook.dashboard.Figures;
import dev.runbook.dashboard.StatsSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's pages, JSON API, event stream and controls, mountable on any {@code HttpServer} context.
 * Reads need the token unless the host opted out; controls always need it, as a header (never a query
 * parameter or cookie, so another site cannot make a browser send it), and a confirmation in the body.
 */
public final class DashboardHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardHandler.class);
    private static final Map<String, String> ASSETS = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "pages.js", "text/javascript; charset=utf-8",
            "chart.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");

    /**
     * What the handler serves.
     *
     * @param engine         the engine (runbooks, kill switch)
     * @param ring           the feed's events
     * @param history        the feed's finished executions
     * @param stats          the figures for the charts
     * @param approvals      the approval gateway answered from the page, when the host uses one
     * @param token          the access token
     * @param readsNeedToken whether reads need the token too
     * @param maxStreams     event streams open at once
     */
    public record Config(RunbookEngine engine, EventRing ring, History history, StatsSource stats,
                         Optional<PendingApprovals> approvals, String token, boolean readsNeedToken, int maxStreams) {
    }

    private final Config cfg;
    private final Semaphore streams;
    private final AtomicBoolean stopping = new AtomicBoolean();

    public DashboardHandler(Config cfg) {
        this.cfg = cfg;
        this.streams = new Semaphore(cfg.maxStreams());
    }

    /** Ends every open event stream. */
    public void stop() {
        stopping.set(true);
        cfg.ring().wake();
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            serve(ex);
        }
    }

    /** Answers one request; errors become replies (before the exchange closes). */
    private void serve(HttpExchange ex) throws IOException {
        try {
            String ctx = ex.getHttpContext().getPath();
            if (!ctx.endsWith("/") && ex.getRequestURI().getPath().equals(ctx)) {
                // The page's addresses are relative: mounted at /dashboard it must be read as /dashboard/.
                Http.secure(ex);
                ex.getResponseHeaders().set("Location", ctx + "/");
                ex.sendResponseHeaders(308, -1);
                return;
            }
            String path = relative(ex);
            String method = ex.getRequestMethod();
            if (path.startsWith("api/")) {
                api(ex, method, path.substring(4));
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                Http.error(ex, 405, method + " " + path + ": pages are read with GET");
            } else {
                asset(ex, path.isEmpty() ? "index.html" : path.startsWith("static/") ? path.substring(7) : path);
            }
        } catch (Http.BadRequest e) {
            Http.error(ex, e.status, e.getMessage());
        } catch (IOException e) {
            LOG.debug("dashboard: client went away: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("dashboard: {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            Http.error(ex, 500, "internal error: " + e.getClass().getSimpleName());
        }
    }

    /** The path below the context the handler is mounted on, without its leading slash. */
    private static String relative(HttpExchange ex) {
        String ctx = ex.getHttpContext().getPath();
        String p = ex.getRequestURI().getPath();
        String rest = p.length() >= ctx.length() ? p.substring(ctx.length()) : "";
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        return rest;
    }

    private void asset(HttpExchange ex, String name) throws IOException {
        String type = ASSETS.get(name);
        if (type == null) {
            Http.error(ex, 404, "no page " + Views.clip(name));
            return;
        }
        try (InputStream in = DashboardHandler.class.getResourceAsStream("/dev/runbook/dashboard/static/" + name)) {
            if (in == null) {
                Http.error(ex, 500, "asset " + name + " missing from the jar");
                return;
            }
            Http.send(ex, 200, type, in.readAllBytes());
        }
    }

    private void api(HttpExchange ex, String method, String path) throws IOException, Http.BadRequest {
        boolean control = !method.equals("GET");
        Map<String, String> q = Http.query(ex);
        Optional<String> header = Http.tokenHeader(ex);
        // EventSource cannot send headers: reads may carry the token as ?token=, controls never.
        Optional<String> given = control ? header : header.or(() -> Optional.ofNullable(q.get("token")));
        if ((control || cfg.readsNeedToken()) && !given.map(t -> Tokens.matches(cfg.token(), t)).orElse(false)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"runbook-dashboard\"");
            Http.error(ex, 401, (control ? "controls" : "reads") + " need the dashboard's token: send the header "
                    + "'X-Runbook-Token: <token>' or 'Authorization: Bearer <token>'"
                    + (control ? "" : " (or ?token= for the event stream)"));
            return;
        }
        if (control && !method.equals("POST")) {
            Http.error(ex, 405, method + " /api/" + path + ": controls are POST");
            return;
        }
        if (control) {
            controls(ex, path);
            return;
        }
        switch (path.indexOf('/') < 0 ? path : path.substring(0, path.indexOf('/'))) {
            case "events" -> events(ex, q);
            case "executions" -> executions(ex, path, q);
            case "runbooks" -> Http.json(ex, 200, Map.of("runbooks",
                    cfg.engine().runbooks().stream().map(RunbookViews::runbook).toList()));
            case "stats" -> stats(ex);
            case "control" -> Http.json(ex, 200, controlState(ex));
            default -> Http.error(ex, 404, "no API /api/" + Views.clip(path)
                    + " (events, executions, runbooks, stats, control)");
        }
    }

    private void events(HttpExchange ex, Map<String, String> q) throws IOException {
        if (!streams.tryAcquire()) {
            Http.error(ex, 503, "too many event streams open (" + cfg.maxStreams() + ")");
            return;
        }
        try {
            String last = ex.getRequestHeaders().getFirst("Last-Event-ID");
            if (last == null) {
                last = q.get("lastEventId");
            }
            long lastId = -1;
            if (last != null && !last.isBlank()) {
                try {
                    lastId = Long.parseLong(last.trim());
                } catch (NumberFormatException e) {
                    lastId = 0; // unreadable: replay what the ring holds
                }
            }
            Sse.stream(ex, cfg.ring(), Math.max(lastId, 0), lastId >= 0, stopping::get);
        } finally {
            streams.release();
        }
    }

    private void executions(HttpExchange ex, String path, Map<String, String> q) throws IOException, Http.BadRequest {
        if (path.startsWith("executions/")) {
            String id = path.substring("executions/".length());
            Optional<Execution> e = cfg.history().find(id);
            if (e.isEmpty()) {
                Http.error(ex, 404, "no execution " + Views.clip(id) + " in the history");
                return;
            }
            Http.json(ex, 200, Views.detail(e.get()));
            return;
        }
        int page = Http.intParam(q, "page", 0);
        int size = Http.intParam(q, "size", 25);
        History.Page p;
        try {
            p = cfg.history().page(page, size);
        } catch (IllegalArgumentException e) {
            throw new Http.BadRequest(400, e.getMessage());
        }
        var m = new LinkedHashMap<String, Object>();
        m.put("page", p.page());
        m.put("size", p.size());
        m.put("total", p.total());
        m.put("pages", p.pages());
        m.put("lastEventId", cfg.ring().lastId());
        m.put("items", p.items().stream().map(Views::summary).toList());
        Http.json(ex, 200, m);
    }

    private void stats(HttpExchange ex) throws IOException {
        var m = new LinkedHashMap<String, Object>();
        m.put("source", cfg.stats().description());
        m.put("perRunbook", figures(cfg.stats().perRunbook()));
        m.put("perRootCause", figures(cfg.stats().perRootCause()));
        Http.json(ex, 200, m);
    }

    private static List<Map<String, Object>> figures(List<Figures> list) {
        return list.stream().map(f -> {
            var m = new LinkedHashMap<String, Object>();
            m.put("key", f.key());
            m.put("executions", f.executions());
            m.put("succeeded", f.succeeded());
            m.put("denied", f.denied());
            m.put("successRate", f.successRate());
            m.put("meanDurationMs", f.meanDuration().map(d -> (Object) d.toMillis()).orElse(null));
            m.put("meanTimeToRemediationMs", f.meanTimeToRemediation().map(d -> (Object) d.toMillis()).orElse(null));
            return (Map<String, Object>) m;
        }).toList();
    }

    private Map<String, Object> controlState(HttpExchange ex) {
        var m = new LinkedHashMap<String, Object>();
        var kill = cfg.engine().killSwitch().engaged();
        m.put("killSwitch", Map.of("engaged", kill.isPresent(), "reason", kill.orElse("")));
        m.put("approvalsEnabled", cfg.approvals().isPresent());
        m.put("approvals", cfg.approvals().map(a -> a.waiting().stream().map(Views::request).toList())
                .orElse(List.of()));
        m.put("principal", principal(ex).orElse(""));
        m.put("running", List.copyOf(cfg.engine().runningExecutions()));
        return m;
    }

    private static Optional<String> principal(HttpExchange ex) {
        HttpPrincipal p = ex.getPrincipal();
        return p == null ? Optional.empty() : Optional.of(p.getUsername());
    }

    private void controls(HttpExchange ex, String path) throws IOException, Http.BadRequest {
        Map<String, Object> body = Http.jsonBody(ex);
        if (!Boolean.TRUE.equals(body.get("confirm"))) {
            throw new Http.BadRequest(400, "confirm: every control must be confirmed; send \"confirm\": true");
        }
        if (path.equals("control/kill-switch")) {
            Controls.killSwitch(ex, cfg.engine().killSwitch(), body, who(ex, body));
        } else if (path.startsWith("approvals/")) {
            Controls.answer(ex, cfg.approvals(), path.substring("approvals/".length()), body, who(ex, body));
        } else {
            Http.error(ex, 404, "no control /api/" + Views.clip(path) + " (control/kill-switch, approvals/<execution id>)");
        }
    }

    /** Who acts: the host's authenticated principal, else the name sent with the token. */
    private static String who(HttpExchange ex, Map<String, Object> body) throws Http.BadRequest {
        Optional<String> p = principal(ex);
        if (p.isPresent()) {
            return p.get();
        }
        return Controls.name(body);
    }
}
