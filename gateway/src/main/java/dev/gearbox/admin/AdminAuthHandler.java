package dev.gearbox.admin;

import dev.gearbox.config.Secret;
import dev.gearbox.wire.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Guards {@code /admin/*}: with a bearer token when one is configured, and without one by answering only
 * connections from loopback, since the admin API mints keys and the server may bind every interface.
 *
 * <p>Loopback is trusted only when nothing stands between the caller and the gateway: behind a proxy or a
 * sidecar on the same host every caller's connection comes from loopback. A request that says it was
 * forwarded ({@code Forwarded}, {@code X-Forwarded-For}, {@code X-Real-IP}) is therefore refused without a
 * token, whatever its peer address.
 */
public final class AdminAuthHandler implements Handler<RoutingContext> {

    private static final List<String> FORWARDING_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");

    private final byte[] expected;

    /** @param token the admin token, or null to answer loopback connections only */
    public AdminAuthHandler(Secret token) {
        this.expected = token == null ? null : ("Bearer " + token.value()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(RoutingContext rc) {
        if (expected == null) {
            String forwarded = forwardingHeader(rc.request().headers());
            SocketAddress peer = rc.request().connection().remoteAddress();
            if (forwarded != null) {
                rc.fail(new ApiException(403, "permission_error", "admin_loopback_only", null,
                        "Admin endpoints answer only direct loopback connections while no admin token is configured, and"
                                + " this request came through a proxy (it carries " + forwarded + "); set server.admin_token."));
            } else if (peer != null && loopback(peer.hostAddress())) {
                rc.next();
            } else {
                rc.fail(new ApiException(403, "permission_error", "admin_loopback_only", null,
                        "Admin endpoints answer only on loopback while no admin token is configured (set server.admin_token)."));
            }
            return;
        }
        String header = rc.request().getHeader("authorization");
        // Constant-time: the admin token guards rule changes and must not leak through timing.
        if (header == null || !MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
            rc.fail(ApiException.invalidApiKey("Admin endpoints need 'Authorization: Bearer <admin token>'."));
            return;
        }
        rc.next();
    }

    /** The first forwarding header the request carries (header names are case-insensitive); null if none. */
    private static String forwardingHeader(MultiMap headers) {
        for (String name : FORWARDING_HEADERS) {
            if (headers.contains(name)) {
                return name;
            }
        }
        return null;
    }

    private static boolean loopback(String address) {
        return address != null && (address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1"));
    }
}
