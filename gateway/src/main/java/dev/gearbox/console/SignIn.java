package dev.gearbox.console;

import dev.gearbox.config.Secret;
import dev.gearbox.wire.ApiException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Signing in and out: the admin token is exchanged once for a session cookie ({@code HttpOnly},
 * {@code SameSite=Strict}, {@code Secure} when the console is reached over TLS), so it never lives in a page,
 * a URL or the browser's storage. Without an admin token any loopback caller signs in with nothing.
 */
final class SignIn {

    private final Sessions sessions;
    private final byte[] token;

    /** @param token the admin token, or null when none is configured */
    SignIn(Sessions sessions, Secret token) {
        this.sessions = sessions;
        this.token = token == null ? null : token.value().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code GET /console/api/login}: whether signing in takes a token. Tells nothing else. */
    void describe(RoutingContext rc) {
        ConsoleJson.send(rc, 200, new JsonObject().put("token_required", token != null));
    }

    /** {@code POST /console/api/login} with {@code {"token": "..."}}. */
    void login(RoutingContext rc) {
        // No session yet, so no CSRF token: a JSON body cannot be sent by another site's form, and a browser
        // says where a fetch comes from.
        String site = rc.request().getHeader("sec-fetch-site");
        String type = rc.request().getHeader("content-type");
        if ((site != null && !site.equals("same-origin")) || type == null || !type.startsWith("application/json")) {
            throw new ApiException(403, "permission_error", "console_login_refused", null,
                    "Sign in from the console's own page, with a JSON body.");
        }
        String presented = ConsoleJson.string(ConsoleJson.body(rc), "token", token != null);
        // Constant-time, as the admin API compares it.
        if (token != null && !MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "invalid_request_error", "invalid_admin_token", "token",
                    "That is not the admin token.");
        }
        Sessions.Session session = sessions.open();
        rc.response().addCookie(cookie(session.cookie(), Sessions.TTL, ConsoleGuard.secure(rc.request())));
        ConsoleJson.send(rc, 200, state(session));
    }

    /** {@code GET /console/api/session}: the session's CSRF token, for the page's own script to send back. */
    void session(RoutingContext rc) {
        ConsoleJson.send(rc, 200, state(ConsoleGuard.of(rc)));
    }

    /** {@code POST /console/api/logout}. */
    void logout(RoutingContext rc) {
        sessions.close(ConsoleGuard.of(rc));
        rc.response().addCookie(cookie("", Duration.ZERO, ConsoleGuard.secure(rc.request())));
        rc.response().setStatusCode(204).putHeader("cache-control", "no-store").end();
    }

    private JsonObject state(Sessions.Session session) {
        return new JsonObject().put("csrf", session.csrf()).put("expires_at", session.expiresAt().toString())
                .put("token_required", token != null);
    }

    private static Cookie cookie(String value, Duration maxAge, boolean secure) {
        return Cookie.cookie(ConsoleGuard.COOKIE, value).setPath("/console").setMaxAge(maxAge.toSeconds())
                .setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setSecure(secure);
    }
}
