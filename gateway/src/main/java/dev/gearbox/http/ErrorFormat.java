package dev.gearbox.http;

import dev.gearbox.inbound.InboundApi;
import dev.gearbox.inbound.openai.OpenAiRendering;
import dev.gearbox.wire.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Which client API's error shape a request's failures are written in. The gateway's errors that come before
 * or around an inbound API (a refused key, a body too large or too slow, a failure) must reach the client in
 * the shape its SDK parses, so each inbound API's paths name it first; every other path gets OpenAI's.
 */
public final class ErrorFormat {

    private static final String KEY = "gearbox.error-format";

    private ErrorFormat() {
    }

    /** A handler for an inbound API's paths, placed before any handler that can fail the request. */
    public static Handler<RoutingContext> of(InboundApi api) {
        return rc -> {
            rc.put(KEY, api);
            rc.next();
        };
    }

    /** Writes {@code error} in the shape of the API the request came through. */
    public static void render(RoutingContext rc, ApiException error) {
        InboundApi api = rc.get(KEY);
        if (api != null) {
            api.renderError(error, rc.response());
        } else {
            OpenAiRendering.renderError(error, rc.response());
        }
    }
}
