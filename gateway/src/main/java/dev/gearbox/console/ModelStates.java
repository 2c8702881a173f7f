package dev.gearbox.console;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ModelKind;
import dev.gearbox.resilience.Deployment;
import dev.gearbox.resilience.Deployments;
import dev.gearbox.routing.Catalog;
import dev.gearbox.routing.LatencyStats;
import dev.gearbox.routing.RoutingRules;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * {@code GET /console/api/models}: each chat model's breaker state, bulkhead room and the latency the router
 * expects of it now, beside the catalog {@code GET /admin/routes} shows.
 */
final class ModelStates {

    private final RoutingRules rules;
    private final Deployments deployments;
    private final LatencyStats latency;

    ModelStates(RoutingRules rules, Deployments deployments, LatencyStats latency) {
        this.rules = rules;
        this.deployments = deployments;
        this.latency = latency;
    }

    void handle(RoutingContext rc) {
        Catalog catalog = rules.current().catalog();
        JsonArray models = new JsonArray();
        for (ModelConfig m : catalog.models()) {
            if (m.kind() != ModelKind.CHAT) {
                continue;
            }
            JsonObject model = new JsonObject().put("id", m.id()).put("available", catalog.available(m))
                    .put("expected_first_token_ms", Math.round(latency.expectedFirstTokenMs(m)))
                    .put("expected_total_ms", Math.round(latency.expectedTotalMs(m)));
            Deployment d = deployments.existing(m);
            if (d == null) {
                // Not called yet: its breaker is made, closed, on the first call.
                model.put("breaker", catalog.available(m) ? "closed" : "not configured").put("calls", 0);
            } else {
                model.put("breaker", d.breaker().getState().name().toLowerCase(Locale.ROOT))
                        .put("failure_rate", rate(d.breaker().getMetrics().getFailureRate()))
                        .put("slow_call_rate", rate(d.breaker().getMetrics().getSlowCallRate()))
                        .put("calls", d.breaker().getMetrics().getNumberOfBufferedCalls())
                        .put("in_flight", d.policy().maxConcurrent() - d.bulkhead().getMetrics().getAvailableConcurrentCalls())
                        .put("max_concurrent", d.policy().maxConcurrent());
            }
            models.add(model);
        }
        ConsoleJson.send(rc, 200, new JsonObject().put("models", models));
    }

    /** Resilience4j says -1 until the window has its minimum of calls. */
    private static Double rate(float percent) {
        return percent < 0 ? null : percent / 100.0;
    }
}
