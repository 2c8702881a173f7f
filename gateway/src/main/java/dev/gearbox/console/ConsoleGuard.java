package dev.gearbox.console;

import dev.gearbox.wire.ApiException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Who may use the console, checked before any of its pages or API calls is served.
 *
 * <ul>
 *   <li>Without an admin token the console answers, like the admin API, only direct loopback connections
 *       (the admin API's own check runs first), and here also only a {@code Host} that names loopback: a page
 *       of another site whose name an attacker points at 127.0.0.1 (DNS rebinding) is same-origin with
 *       itself, not with the console, and names its own host.</li>
 *   <li>Every API call but signing in needs a session cookie ({@link Sessions}): 401 without one.</li>
 *   <li>Every call that is not a {@code GET} carries the session's CSRF token in {@value #CSRF_HEADER}: 403
 *       otherwise. A page of another site can neither read the token nor send the header without the
 *       gateway's consent, which it never gives (no CORS).</li>
 * </ul>
 */
final class ConsoleGuard {

    static final String COOKIE = "gearbox_console";
    static final String CSRF_HEADER = "x-csrf-token";
    static final String LOGIN_PAGE = "/console/login";
    private static final String SESSION = "gearbox.console.session";
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "::1", "[::1]", "0:0:0:0:0:0:0:1");

    private final Sessions sessions;
    private final boolean tokenless;

    /** @param tokenless whether no admin token is configured, so only loopback may use the console */
    ConsoleGuard(Sessions sessions, boolean tokenless) {
        this.sessions = sessions;
        this.tokenless = tokenless;
    }

    /** The {@code Host} rule without a token; passes everything with one. */
    void host(RoutingContext rc) {
        if (tokenless && !loopbackHost(rc.request().authority())) {
            rc.fail(new ApiException(403, "permission_error", "console_loopback_only", null, "The console answers only at"
                    + " localhost or a loopback address while no admin token is configured (set server.admin_token)."));
            return;
        }
        rc.next();
    }

    /** An API call: a session, and the CSRF token on anything but a read. */
    void api(RoutingContext rc) {
        Sessions.Session session = session(rc);
        if (session == null) {
            rc.fail(new ApiException(401, "invalid_request_error", "console_session_required", null,
                    "Sign in to the console first (POST /console/api/login with the admin token)."));
            return;
        }
        HttpMethod method = rc.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD
                && !sessions.csrfMatches(session, rc.request().getHeader(CSRF_HEADER))) {
            rc.fail(new ApiException(403, "permission_error", "csrf_token_invalid", null,
                    "A console call that changes something needs the session's CSRF token in " + CSRF_HEADER + "."));
            return;
        }
        rc.put(SESSION, session);
        // The admin handlers behind it answer the gateway's state now, and some of it is not for a cache.
        rc.response().putHeader("cache-control", "no-store");
        rc.next();
    }

    /** A page: served with a session, else the browser goes to the sign-in page. */
    void page(RoutingContext rc) {
        if (session(rc) == null) {
            rc.response().setStatusCode(302).putHeader("location", LOGIN_PAGE).putHeader("cache-control", "no-store").end();
            return;
        }
        rc.next();
    }

    /** The session {@link #api} found for this call. */
    static Sessions.Session of(RoutingContext rc) {
        return rc.get(SESSION);
    }

    private Sessions.Session session(RoutingContext rc) {
        Cookie cookie = rc.request().getCookie(COOKIE);
        return cookie == null ? null : sessions.verify(cookie.getValue());
    }

    /** Whether the request came over TLS, to the gateway or to the proxy that forwarded it. */
    static boolean secure(HttpServerRequest request) {
        String proto = request.getHeader("x-forwarded-proto");
        String forwarded = request.getHeader("forwarded");
        return request.isSSL() || "https".equalsIgnoreCase(proto)
                || (forwarded != null && forwarded.toLowerCase(java.util.Locale.ROOT).contains("proto=https"));
    }

    private static boolean loopbackHost(HostAndPort authority) {
        if (authority == null) {
            return false;
        }
        String host = authority.host().toLowerCase(java.util.Locale.ROOT);
        return LOOPBACK_NAMES.contains(host) || host.matches("127(\\.\\d{1,3}){3}");
    }
}
