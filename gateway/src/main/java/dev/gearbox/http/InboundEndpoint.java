package dev.gearbox.http;

import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Pipeline;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.StreamObserver;
import dev.gearbox.inbound.InboundApi;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.work.Offload;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one inbound API over the pipeline once its request's body has arrived: the API parses the body onto
 * the exchange, the pipeline answers, the API renders. A client that goes away cancels the exchange (see
 * {@link InboundRoutes}), and with it the upstream call.
 */
final class InboundEndpoint {

    private static final Logger log = LoggerFactory.getLogger(InboundEndpoint.class);

    private static final StreamObserver DISCARD = new StreamObserver() {
        @Override
        public void event(SseEvent data) {
        }

        @Override
        public void end(StreamEnd end) {
        }
    };

    private final InboundApi api;
    private final Pipeline pipeline;
    private final Offload offload;

    /** @param offload where a large body is parsed, so it does not hold the event loop */
    InboundEndpoint(InboundApi api, Pipeline pipeline, Offload offload) {
        this.api = api;
        this.pipeline = pipeline;
        this.offload = offload;
    }

    InboundApi api() {
        return api;
    }

    void serve(HttpServerRequest request, Exchange exchange, Buffer body) {
        HttpServerResponse response = request.response();
        offload.forSize(body.length(), () -> api.parse(body)).onComplete(parsed -> {
            if (response.closed()) {
                return;
            }
            if (parsed.failed()) {
                fail(request, parsed.cause());
                return;
            }
            exchange.request(parsed.result());
            pipeline.apply(exchange).onComplete(ar -> {
                if (response.closed()) {
                    exchange.interrupts().clientGone();
                    if (ar.succeeded() && ar.result() instanceof AnswerStream stream) {
                        // Nobody will read it, but its observers (the cache) must still hear that it ended.
                        stream.consume(DISCARD);
                    }
                    return;
                }
                if (ar.succeeded()) {
                    api.render(exchange, ar.result(), response);
                } else {
                    fail(request, ar.cause());
                }
            });
        });
    }

    /** Writes a failure in the API's shape: the gateway's own errors as they are, anything else as a 500. */
    void fail(HttpServerRequest request, Throwable failure) {
        HttpServerResponse response = request.response();
        if (response.closed()) {
            return;
        }
        if (response.headWritten()) {
            // Mid-stream there is no status left to set; closing tells the client the answer is incomplete.
            response.reset();
            return;
        }
        if (failure instanceof ApiException e) {
            api.renderError(e, response);
            return;
        }
        log.error("request {} {} failed", request.method().name(), request.path(), failure);
        api.renderError(HttpErrors.internal(), response);
    }
}
