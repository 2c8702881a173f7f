package dev.gearbox.api;

import dev.gearbox.config.ApiKeyConfig;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks {@code Authorization: Bearer <key>} against the configured inbound keys and records the
 * key's tenant on the request context. With no keys configured every request passes.
 */
public final class ApiKeyAuthHandler implements Handler<RoutingContext> {

    private static final String BEARER = "Bearer ";

    private final Map<String, ApiKeyConfig> byKey;

    public ApiKeyAuthHandler(List<ApiKeyConfig> keys) {
        Map<String, ApiKeyConfig> map = new HashMap<>();
        for (ApiKeyConfig key : keys) {
            map.put(key.key().value(), key);
        }
        this.byKey = Map.copyOf(map);
    }

    @Override
    public void handle(RoutingContext rc) {
        if (byKey.isEmpty()) {
            rc.next();
            return;
        }
        String header = rc.request().getHeader("authorization");
        if (header == null || header.isBlank()) {
            rc.fail(ApiException.invalidApiKey(
                    "You didn't provide an API key. Send it in the Authorization header as 'Bearer <key>'."));
            return;
        }
        String key = header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : "";
        ApiKeyConfig known = byKey.get(key);
        if (known == null) {
            // Never echo the key: a mistyped key is still close to a real one.
            rc.fail(ApiException.invalidApiKey("Incorrect API key provided."));
            return;
        }
        RequestContext ctx = RequestContext.of(rc);
        ctx.tenant(known.tenant());
        ctx.apiKeyName(known.key().variable());
        rc.next();
    }
}
