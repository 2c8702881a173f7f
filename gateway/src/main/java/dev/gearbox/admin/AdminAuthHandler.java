package dev.gearbox.admin;

import dev.gearbox.wire.ApiException;
import dev.gearbox.config.Secret;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import io.vertx.core.net.SocketAddress;
import java.security.MessageDigest;

/**
 * Guards {@code /admin/*}: with a bearer token when one is configured, and without one by answering only
 * connections from loopback, since the admin API mints keys and the server may bind every interface.
 */
public final class AdminAuthHandler implements Handler<RoutingContext> {

    private final byte[] expected;

    /** @param token the admin token, or null to answer loopback connections only */
    public AdminAuthHandler(Secret token) {
        this.expected = token == null ? null : ("Bearer " + token.value()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(RoutingContext rc) {
        if (expected == null) {
            SocketAddress peer = rc.request().connection().remoteAddress();
            if (peer != null && loopback(peer.hostAddress())) {
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

    private static boolean loopback(String address) {
        return address != null && (address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1"));
    }
}
