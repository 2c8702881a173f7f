package dev.gearbox.console;

import dev.gearbox.wire.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;

/**
 * {@code GET /console/api/overview?window=15m|1h|6h|24h}: requests, spend, savings against the baseline,
 * the share of reasoning calls, errors, refusals and fallbacks, per minute and per route and model, from
 * {@link MeterHistory}.
 */
final class OverviewHandler {

    private static final Map<String, Duration> WINDOWS = Map.of("15m", Duration.ofMinutes(15), "1h", Duration.ofHours(1),
            "6h", Duration.ofHours(6), "24h", Duration.ofHours(24));
    private static final String REASONING = "reasoning";

    private final MeterHistory history;

    OverviewHandler(MeterHistory history) {
        this.history = history;
    }

    void handle(RoutingContext rc) {
        String name = rc.request().getParam("window", "1h");
        Duration span = WINDOWS.get(name);
        if (span == null) {
            throw ApiException.invalidRequest("window", "window: '" + name + "' (expected one of: 15m, 1h, 6h, 24h)");
        }
        // Sampling walks the registry: on a worker, never on the event loop.
        rc.vertx().executeBlocking(() -> json(name, history.window(span)), false).onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
            } else {
                ConsoleJson.send(rc, 200, ar.result());
            }
        });
    }

    static JsonObject json(String name, MeterHistory.Window window) {
        JsonArray minutes = new JsonArray();
        double[] total = new double[MeterHistory.FIELDS];
        double reasoning = 0;
        for (Map.Entry<Long, double[]> m : window.perMinute().entrySet()) {
            minutes.add(new JsonArray().add(m.getKey() * 60).add(m.getValue()[MeterHistory.REQUESTS])
                    .add(m.getValue()[MeterHistory.ERRORS] + m.getValue()[MeterHistory.REFUSED])
                    .add(m.getValue()[MeterHistory.COST])
                    .add(m.getValue()[MeterHistory.BASELINE] - m.getValue()[MeterHistory.COST]));
        }
        JsonArray byRoute = new JsonArray();
        for (Map.Entry<MeterHistory.Key, double[]> e : window.byKey().entrySet()) {
            double[] v = e.getValue();
            if (v[MeterHistory.REQUESTS] == 0 && v[MeterHistory.COST] == 0) {
                continue;
            }
            for (int i = 0; i < total.length; i++) {
                total[i] += v[i];
            }
            reasoning += REASONING.equals(e.getKey().tier()) ? v[MeterHistory.REQUESTS] : 0;
            byRoute.add(figures(v).put("route", e.getKey().route()).put("model", e.getKey().model())
                    .put("tier", e.getKey().tier()));
        }
        JsonObject fallbacks = new JsonObject();
        window.fallbacks().forEach((model, n) -> fallbacks.put(model, n.longValue()));
        long fallbackTotal = window.fallbacks().values().stream().mapToLong(Double::longValue).sum();
        return new JsonObject().put("window", name).put("from", window.fromMinute() * 60).put("to", window.toMinute() * 60 + 59)
                .put("totals", figures(total).put("fallbacks", fallbackTotal)
                        .put("reasoning_share", total[MeterHistory.REQUESTS] == 0 ? null : reasoning / total[MeterHistory.REQUESTS]))
                .put("series_columns", new JsonArray().add("at").add("requests").add("errors").add("spend_usd").add("savings_usd"))
                .put("series", minutes).put("by_route_model", byRoute).put("fallbacks_by_model", fallbacks);
    }

    private static JsonObject figures(double[] v) {
        return new JsonObject().put("requests", (long) v[MeterHistory.REQUESTS]).put("errors", (long) v[MeterHistory.ERRORS])
                .put("refused", (long) v[MeterHistory.REFUSED]).put("spend_usd", v[MeterHistory.COST])
                .put("baseline_usd", v[MeterHistory.BASELINE]).put("savings_usd", v[MeterHistory.BASELINE] - v[MeterHistory.COST]);
    }
}
