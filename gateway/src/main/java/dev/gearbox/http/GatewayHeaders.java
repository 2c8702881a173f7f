package dev.gearbox.http;

import dev.gearbox.cost.Cost;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.routing.RouteDecision;
import io.vertx.core.http.HttpServerResponse;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The gateway's own response headers, written in one place from the exchange as the response head goes
 * out, whichever stage answered and whether it answered or failed.
 */
public final class GatewayHeaders {

    public static final String REQUEST_ID = "x-request-id";
    public static final String ROUTE = "x-gearbox-route";
    public static final String TIER = "x-gearbox-tier";
    public static final String ROUTE_NOTE = "x-gearbox-route-note";
    public static final String MODEL = "x-gearbox-model";
    public static final String PROVIDER = "x-gearbox-provider";
    public static final String FALLBACKS = "x-gearbox-fallbacks";
    public static final String CACHE = "x-gearbox-cache";
    public static final String COST = "x-gearbox-cost-usd";

    private GatewayHeaders() {
    }

    /**
     * Dollars as a client reads them: twelve significant digits, far finer than any price, so the binary
     * noise of a double (0.000035249999999999996) does not show.
     */
    static String usd(double usd) {
        if (usd == 0) {
            return "0";
        }
        return BigDecimal.valueOf(usd).round(new MathContext(12)).stripTrailingZeros().toPlainString();
    }

    static void write(Exchange exchange, HttpServerResponse response) {
        response.putHeader(REQUEST_ID, exchange.requestId());
        RouteDecision decision = exchange.decision();
        if (decision != null) {
            response.putHeader(ROUTE, decision.route()).putHeader(TIER, decision.tier());
            if (decision.note() != null) {
                response.putHeader(ROUTE_NOTE, decision.note());
            }
        }
        if (exchange.answeredModelId() != null) {
            response.putHeader(MODEL, exchange.answeredModelId()).putHeader(PROVIDER, exchange.answeredProvider());
        }
        if (exchange.fallbacks() != null) {
            response.putHeader(FALLBACKS, exchange.fallbacks());
        }
        if (exchange.cache() != null) {
            response.putHeader(CACHE, exchange.cache().wireName());
        }
        Cost cost = exchange.cost();
        if (cost != null) {
            response.putHeader(COST, usd(cost.usd()));
        }
    }
}
