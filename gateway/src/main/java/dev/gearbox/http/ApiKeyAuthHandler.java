package dev.gearbox.http;

import dev.gearbox.admission.ApiKeys;
import dev.gearbox.wire.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Checks the caller's key on every {@code /v1/*} request before its body is read, with the same
 * {@link ApiKeys} the admission stage uses; endpoints outside the pipeline (the model list) rely on it alone.
 */
public final class ApiKeyAuthHandler implements Handler<RoutingContext> {

    private final ApiKeys keys;

    private ApiKeyAuthHandler(ApiKeys keys) {
        this.keys = keys;
    }

    public static ApiKeyAuthHandler create(ApiKeys keys) {
        return new ApiKeyAuthHandler(keys);
    }

    @Override
    public void handle(RoutingContext rc) {
        try {
            ExchangeHandler.exchange(rc).admit(keys.resolve(credential(rc.request()), "Authorization"),
                    dev.gearbox.routing.Budget.NONE);
        } catch (ApiException e) {
            rc.fail(e);
            return;
        }
        rc.next();
    }

    /**
     * The caller's key as an {@code Authorization} value: that header, or else {@code x-api-key}, where
     * Anthropic's SDKs send it (Claude Code sends either).
     */
    static String credential(HttpServerRequest request) {
        String authorization = request.getHeader("authorization");
        if (authorization != null) {
            return authorization;
        }
        String apiKey = request.getHeader("x-api-key");
        return apiKey == null ? null : "Bearer " + apiKey;
    }
}
