package dev.gearbox.http;

import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Pipeline;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.StreamObserver;
import dev.gearbox.inbound.InboundApi;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.ApiException;
import dev.gearbox.work.Offload;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves one inbound API over the pipeline: the API parses the body onto the request's exchange, the
 * pipeline answers, the API renders. A client that goes away cancels the exchange, and with it the
 * upstream call.
 */
public final class InboundHandler implements Handler<RoutingContext> {

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

    private InboundHandler(InboundApi api, Pipeline pipeline, Offload offload) {
        this.api = api;
        this.pipeline = pipeline;
        this.offload = offload;
    }

    /** @param offload where a large body is parsed, so it does not hold the event loop */
    public static InboundHandler create(InboundApi api, Pipeline pipeline, Offload offload) {
        return new InboundHandler(api, pipeline, offload);
    }

    @Override
    public void handle(RoutingContext rc) {
        Exchange exchange = ExchangeHandler.exchange(rc);
        HttpServerResponse response = rc.response();
        exchange.credential(ApiKeyAuthHandler.credential(rc.request()));
        Buffer body = rc.body().buffer();
        offload.forSize(body == null ? 0 : body.length(), () -> api.parse(body)).onComplete(parsed -> {
            if (parsed.failed()) {
                if (parsed.cause() instanceof ApiException e) {
                    api.renderError(e, response);
                } else {
                    rc.fail(parsed.cause());
                }
                return;
            }
            if (response.closed()) {
                return;
            }
            exchange.request(parsed.result());
            answer(rc, exchange, response);
        });
    }

    private void answer(RoutingContext rc, Exchange exchange, HttpServerResponse response) {
        // On HTTP/2 the stream closes as the response ends, which is no disconnect.
        response.closeHandler(v -> {
            if (!response.ended()) {
                exchange.cancel();
            }
        });
        pipeline.apply(exchange).onComplete(ar -> {
            if (response.closed()) {
                exchange.cancel();
                if (ar.succeeded() && ar.result() instanceof AnswerStream stream) {
                    // Nobody will read it, but its observers (the cache) must still hear that it ended.
                    stream.consume(DISCARD);
                }
                return;
            }
            if (ar.succeeded()) {
                api.render(exchange, ar.result(), response);
            } else if (ar.cause() instanceof ApiException e) {
                api.renderError(e, response);
            } else {
                rc.fail(ar.cause());
            }
        });
    }
}
