package dev.gearbox.inbound;

import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.Request;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * One client API the gateway speaks: it parses the client's request into the canonical form and renders
 * the canonical answer (or an error) back in the client's own format. Routing, budgets, cache and cost
 * never know which inbound API a request came through.
 */
public interface InboundApi {

    /** The request body in canonical form; throws {@link ApiException} (400) when it is unusable. */
    Request parse(Buffer body);

    /**
     * Writes the answer: a whole body, or a stream consumed with backpressure until it ends. The exchange
     * holds the request it answers, for an API whose answers repeat parts of it.
     */
    void render(Exchange exchange, Answer answer, HttpServerResponse response);

    /** Writes an error in the client API's shape, with the status its SDKs expect. */
    void renderError(ApiException error, HttpServerResponse response);
}
