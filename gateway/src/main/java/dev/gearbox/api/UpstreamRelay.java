package dev.gearbox.api;

import dev.gearbox.providers.Cancellation;
import dev.gearbox.providers.ModelTarget;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.providers.UpstreamResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Sends a prepared request to its provider and relays the answer to the client: a whole JSON body, an
 * SSE stream, or the provider's error in OpenAI's shape.
 *
 * <p>Shared by the chat and embeddings handlers, which differ only in how they prepare the request.
 */
final class UpstreamRelay {

    static final String MODEL_HEADER = "x-gearbox-model";
    static final String PROVIDER_HEADER = "x-gearbox-provider";

    private final UpstreamErrors errors;

    UpstreamRelay(UpstreamErrors errors) {
        this.errors = errors;
    }

    /** A cancellation that fires when the client goes away before the answer is complete. */
    static Cancellation cancelOnClose(RoutingContext rc) {
        Cancellation cancellation = new Cancellation();
        rc.response().closeHandler(v -> cancellation.cancel());
        return cancellation;
    }

    void relay(RoutingContext rc, ModelTarget target, UpstreamRequest request, boolean clientWantsUsage) {
        HttpServerResponse out = rc.response();
        out.putHeader(MODEL_HEADER, target.model().id()).putHeader(PROVIDER_HEADER, target.providerName());
        target.provider().send(request).onComplete(ar -> {
            if (request.cancellation().isCancelled()) {
                return;
            }
            if (ar.failed()) {
                rc.fail(errors.of(ar.cause()));
                return;
            }
            UpstreamResponse response = ar.result();
            int status = response.status();
            if (status < 200 || status > 299) {
                response.body().onComplete(body -> rc.fail(body.succeeded()
                        ? errors.of(target.providerName(), status, response.headers().get("retry-after"), body.result())
                        : errors.of(body.cause())));
                return;
            }
            if (request.stream() && response.isEventStream()) {
                out.setChunked(true)
                        .putHeader("content-type", "text/event-stream; charset=utf-8")
                        .putHeader("cache-control", "no-cache")
                        .putHeader("x-accel-buffering", "no");
                new StreamRelay(out, response.stream(), clientWantsUsage, request.requestId()).start();
                return;
            }
            String type = response.headers().get("content-type");
            response.body().onComplete(body -> {
                if (body.failed()) {
                    rc.fail(errors.of(body.cause()));
                } else if (!out.closed()) {
                    out.putHeader("content-type", type == null ? "application/json" : type).end(body.result());
                }
            });
        });
    }
}
