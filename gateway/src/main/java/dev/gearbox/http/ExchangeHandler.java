package dev.gearbox.http;

import dev.gearbox.exchange.Exchange;
import dev.gearbox.wire.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The first handler of every request the web router serves: begins its {@link Exchange}
 * ({@link ExchangeStart}), writes the gateway's headers from the exchange as the response head goes out,
 * and finishes the exchange when the response ends.
 */
public final class ExchangeHandler implements Handler<RoutingContext> {

    private static final String KEY = "gearbox.exchange";

    private final ExchangeStart start;

    private ExchangeHandler(ExchangeStart start) {
        this.start = start;
    }

    public static ExchangeHandler create(ExchangeStart start) {
        return new ExchangeHandler(start);
    }

    /** The exchange of a request; every request has one once it is past the first handler. */
    public static Exchange exchange(RoutingContext rc) {
        Exchange exchange = rc.get(KEY);
        if (exchange == null) {
            throw new IllegalStateException("no exchange: ExchangeHandler must run first");
        }
        return exchange;
    }

    @Override
    public void handle(RoutingContext rc) {
        Exchange exchange = start.begin(rc.request());
        rc.put(KEY, exchange);
        HttpServerResponse response = rc.response();
        rc.addHeadersEndHandler(v -> GatewayHeaders.write(exchange, response));
        rc.addEndHandler(ar -> {
            if (ar.failed() && !response.ended() && !response.closed()) {
                // A request that fails as it is read (a form body the codec cannot decode) fails the context
                // before the failure handler answers it: the exchange ends with that answer, so the status
                // logged and counted is the one sent.
                boolean[] finished = {false};
                response.endHandler(v -> finishOnce(finished, exchange, rc, false));
                response.closeHandler(v -> finishOnce(finished, exchange, rc, true));
                return;
            }
            start.finish(exchange, rc.request(), ar.failed());
        });
        if (ExchangeStart.hasNamelessHeader(rc.request())) {
            rc.fail(ApiException.invalidRequest(null, "A header has no name."));
            return;
        }
        if (!wellEscaped(rc.request().path())) {
            // The router would fail to decode it later, as a 500; it is the client's malformed request.
            rc.fail(ApiException.invalidRequest(null, "The request path has a malformed percent-escape."));
            return;
        }
        rc.next();
    }

    private void finishOnce(boolean[] finished, Exchange exchange, RoutingContext rc, boolean cut) {
        if (!finished[0]) {
            finished[0] = true;
            start.finish(exchange, rc.request(), cut);
        }
    }

    /** Whether every {@code %} in the raw path starts a two-digit hex escape. */
    static boolean wellEscaped(String path) {
        if (path == null) {
            return true;
        }
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0
                    || Character.digit(path.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
