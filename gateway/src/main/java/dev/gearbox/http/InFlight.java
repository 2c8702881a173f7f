package dev.gearbox.http;

import dev.gearbox.exchange.Exchange;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests whose response has not ended yet, each with the event loop it belongs to, so a shutdown knows
 * when draining is done and can interrupt, on its own loop, whatever outlasts the drain.
 */
public final class InFlight {

    private final Map<Exchange, Context> live = new ConcurrentHashMap<>();

    /** Called on the request's event loop. */
    public void started(Exchange exchange) {
        live.put(exchange, Objects.requireNonNull(Vertx.currentContext(), "a request started off an event loop"));
    }

    public void ended(Exchange exchange) {
        live.remove(exchange);
    }

    public int count() {
        return live.size();
    }

    /** Tells every request still in flight that the gateway is shutting down ({@link Exchange#shutDown}). */
    public void shutDownAll() {
        live.forEach((exchange, context) -> context.runOnContext(v -> exchange.interrupts().shutDown()));
    }
}
