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
    public static final String FALLBACK_COST_RATIO = "x-gearbox-fallback-cost-ratio";

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
        String fast = twelveDigits(usd);
        return fast != null ? fast
                : BigDecimal.valueOf(usd).round(new MathContext(12)).stripTrailingZeros().toPlainString();
    }

    private static final double[] POWERS = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
        1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /**
     * The twelve significant digits in long arithmetic, or null where that could round otherwise than the
     * decimal would: outside the range whose scaling by a power of ten is exact, and within a hair of a tie.
     * On Java 17 {@code Double.toString} alone costs a microsecond and a half per answer.
     */
    private static String twelveDigits(double usd) {
        if (!(usd >= 1e-11 && usd < 1e11)) {
            return null;
        }
        int exponent = Math.max(-11, Math.min(10, (int) Math.floor(Math.log10(usd))));
        double scaled = usd * POWERS[11 - exponent];
        if (scaled >= 1e12 || scaled < 1e11) {
            // log10 was one off at a power of ten
            exponent += scaled >= 1e12 ? 1 : -1;
            if (exponent < -11 || exponent > 10) {
                return null;
            }
            scaled = usd * POWERS[11 - exponent];
        }
        double floor = Math.floor(scaled);
        if (Math.abs(scaled - floor - 0.5) < 0.01) {
            return null;
        }
        long digits = (long) floor + (scaled - floor > 0.5 ? 1 : 0);
        if (digits == 1_000_000_000_000L) {
            digits = 100_000_000_000L;
            exponent++;
        }
        // digits holds twelve digits d1..d12 worth d1.d2...d12 x 10^exponent; trailing zeros go.
        int length = 12;
        while (digits % 10 == 0) {
            digits /= 10;
            length--;
        }
        String text = Long.toString(digits);
        int point = exponent + 1;
        if (point <= 0) {
            return "0." + "0".repeat(-point) + text;
        }
        if (point >= length) {
            return text + "0".repeat(point - length);
        }
        return text.substring(0, point) + "." + text.substring(point);
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
        if (decision != null && exchange.answeredModel() != null) {
            double ratio = decision.costRatio(exchange.answeredModel());
            if (ratio > 1) {
                // A dearer fallback answered: how many times the routed model's estimate its estimate is.
                response.putHeader(FALLBACK_COST_RATIO, String.format(java.util.Locale.ROOT, "%.2f", ratio));
            }
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
