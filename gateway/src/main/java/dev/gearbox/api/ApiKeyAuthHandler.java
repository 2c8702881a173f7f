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

    private final Map<String, String> tenantByKey;

    public ApiKeyAuthHandler(List<ApiKeyConfig> keys) {
        Map<String, String> map = new HashMap<>();
        for (ApiKeyConfig key : keys) {
            map.put(key.key().value(), key.tenant());
        }
        this.tenantByKey = Map.copyOf(map);
    }

    @Override
    public void handle(RoutingContext rc) {
        if (tenantByKey.isEmpty()) {
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
        String tenant = tenantByKey.get(key);
        if (tenant == null) {
            // Never echo the key: a mistyped key is still close to a real one.
            rc.fail(ApiException.invalidApiKey("Incorrect API key provided."));
            return;
        }
        RequestContext.of(rc).tenant(tenant);
        rc.next();
    }
}
