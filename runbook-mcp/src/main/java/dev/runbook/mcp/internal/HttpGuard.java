package dev.runbook.mcp.internal;

import dev.runbook.core.internal.Json;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In front of the MCP transport servlet: a request reaches it only from this machine's pages and processes that know
 * the token.
 * <ul>
 *   <li>{@code Host} must be exactly {@code 127.0.0.1} or {@code localhost} with the bound port, else
 *   403 (DNS rebinding);</li>
 *   <li>{@code Origin}, when sent, must be exactly {@code http://} one of those with the bound port, else 403: it is
 *   compared whole, so {@code http://localhost:@evil.com}, {@code http://localhost.evil.com} and another port fail;</li>
 *   <li>{@code Authorization: Bearer <token>} must carry the token (compared in constant time), else 401.</li>
 * </ul>
 * An exception from the transport becomes a plain JSON-RPC error; its stack trace goes to the log only.
 */
public final class HttpGuard extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);
    private static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost");

    private final HttpServlet transport;
    private final transient Optional<byte[]> token;
    private final transient IntSupplier port;

    /**
     * @param transport the MCP servlet
     * @param token     the bearer token, empty when authentication is off
     * @param port      the bound port (known once the connector started)
     */
    public HttpGuard(HttpServlet transport, Optional<String> token, IntSupplier port) {
        this.transport = transport;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.port = port;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        transport.init(config);
    }

    @Override
    public void destroy() {
        transport.destroy();
        super.destroy();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int p = port.getAsInt();
        List<String> hosts = Collections.list(req.getHeaders("Host"));
        if (hosts.size() != 1 || !allowed(hosts.get(0), "", p)) {
            refuse(resp, 403, "Host " + hosts + " is not this server; use http://127.0.0.1:" + p + "/mcp");
            return;
        }
        List<String> origins = Collections.list(req.getHeaders("Origin"));
        if (origins.size() > 1 || (origins.size() == 1 && !allowed(origins.get(0), "http://", p))) {
            refuse(resp, 403, "Origin " + origins + " is not allowed: only pages of http://127.0.0.1:" + p
                    + " or http://localhost:" + p + " may call this server");
            return;
        }
        if (token.isPresent()) {
            String auth = req.getHeader("Authorization");
            if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                resp.setHeader("WWW-Authenticate", "Bearer realm=\"runbook-mcp\"");
                refuse(resp, 401, "missing bearer token: send 'Authorization: Bearer <token>' with the token the "
                        + "server wrote at start (see its log) or was given");
                return;
            }
            byte[] given = auth.substring(7).strip().getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(given, token.get())) {
                resp.setHeader("WWW-Authenticate", "Bearer realm=\"runbook-mcp\", error=\"invalid_token\"");
                refuse(resp, 401, "wrong bearer token");
                return;
            }
        }
        try {
            transport.service(req, resp);
        } catch (IOException | ServletException | RuntimeException e) {
            LOG.warn("MCP HTTP request {} {} failed", req.getMethod(), req.getRequestURI(), e);
            if (!resp.isCommitted()) {
                resp.reset();
                refuse(resp, 500, "internal error while handling the request; the server's log has the details");
            }
        }
    }

    /** {@code value} equals {@code prefix + host + ":" + port} for a loopback host, ignoring case. */
    private static boolean allowed(String value, String prefix, int port) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (String h : LOOPBACK) {
            if (v.equals(prefix + h + ":" + port)) {
                return true;
            }
        }
        return false;
    }

    /** A JSON-RPC error body with only a message: no exception, no stack trace. */
    static void refuse(HttpServletResponse resp, int status, String message) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        var error = new java.util.LinkedHashMap<String, Object>();
        error.put("code", code(status));
        error.put("message", message);
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("jsonrpc", "2.0");
        body.put("id", null);
        body.put("error", error);
        resp.getWriter().write(Json.write(body));
    }

    private static int code(int status) {
        return status >= 500 ? -32603 : -32000 - (status == 401 ? 1 : 3);
    }
}
