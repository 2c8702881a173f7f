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
        // Most prices print within twelve digits as Double.toString has them; BigDecimal only for the rest.
        String shortest = Double.toString(usd);
        if (shortest.indexOf('E') < 0 && significantDigits(shortest) <= 12) {
            return shortest.endsWith(".0") ? shortest.substring(0, shortest.length() - 2) : shortest;
        }
        return BigDecimal.valueOf(usd).round(new MathContext(12)).stripTrailingZeros().toPlainString();
    }

    /** Significant digits of a plain decimal as Double.toString writes it ("0.00045" has 2, "12.5" 3). */
    private static int significantDigits(String plain) {
        int digits = 0;
        boolean leading = true;
        int lastNonZero = 0;
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            if (leading && c == '0') {
                continue;
            }
            leading = false;
            digits++;
            if (c != '0') {
                lastNonZero = digits;
            }
        }
        // Trailing zeros of the fraction ("12.50") do not count; Double.toString writes none but ".0".
        return plain.indexOf('.') >= 0 && plain.endsWith("0") ? lastNonZero : Math.max(digits, lastNonZero);
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
