package dev.gearbox.console;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * The headers every console answer carries, pages, scripts, API answers and errors alike: a strict
 * Content-Security-Policy (scripts, styles and connections to the console's own origin only, no inline
 * script or style, no frames, no forms elsewhere), no sniffing, no referrer, no framing.
 */
final class SecurityHeaders {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private SecurityHeaders() {
    }

    static void add(RoutingContext rc) {
        MultiMap headers = rc.response().headers();
        headers.set("content-security-policy", POLICY)
                .set("x-content-type-options", "nosniff")
                .set("referrer-policy", "no-referrer")
                .set("x-frame-options", "DENY")
                .set("cross-origin-opener-policy", "same-origin")
                .set("cross-origin-resource-policy", "same-origin");
        rc.next();
    }
}
