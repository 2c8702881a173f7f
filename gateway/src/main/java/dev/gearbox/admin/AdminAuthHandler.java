package dev.gearbox.admin;

import dev.gearbox.wire.ApiException;
import dev.gearbox.config.Secret;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Guards {@code /admin/*} with a bearer token when one is configured. */
public final class AdminAuthHandler implements Handler<RoutingContext> {

    private final byte[] expected;

    /** @param token the admin token, or null to leave the admin endpoints open */
    public AdminAuthHandler(Secret token) {
        this.expected = token == null ? null : ("Bearer " + token.value()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(RoutingContext rc) {
        if (expected == null) {
            rc.next();
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
}
