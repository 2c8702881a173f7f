package dev.gearbox.routing;

import dev.gearbox.config.ModelConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** What an explanation collects while a decision is made: each rule tried, each model considered, and why. */
final class RouteTrace {

    final JsonArray rules = new JsonArray();
    final JsonArray candidates = new JsonArray();
    Double maxCost;
    Long maxLatency;
    /** The effort sent to reasoning models, and whether the route or the client chose it. */
    String effort;
    String effortFrom;

    void rule(Rule rule, boolean matched, String reason) {
        rules.add(new JsonObject().put("name", rule.name()).put("line", rule.line()).put("matched", matched).put("reason", reason));
    }

    void candidate(ModelConfig m, double cost, double latencyMs, String status, String reason) {
        candidates.add(new JsonObject().put("model", m.id()).put("tier", m.tier()).put("estimated_cost_usd", cost)
                .put("expected_latency_ms", Math.round(latencyMs)).put("status", status).put("reason", reason));
    }

    /** A model listed as a candidate is not tried after all, for {@code reason}. */
    void drop(ModelConfig m, String reason) {
        for (Object o : candidates) {
            JsonObject c = (JsonObject) o;
            if (c.getString("model").equals(m.id()) && "candidate".equals(c.getString("status"))) {
                c.put("status", "dropped").put("reason", reason);
            }
        }
    }

    void mark(ModelConfig chosen, List<ModelConfig> fallbacks) {
        for (Object o : candidates) {
            JsonObject c = (JsonObject) o;
            if (!"candidate".equals(c.getString("status"))) {
                continue;
            }
            String id = c.getString("model");
            c.put("status", id.equals(chosen.id()) ? "chosen"
                    : fallbacks.stream().anyMatch(f -> f.id().equals(id)) ? "fallback" : "candidate");
        }
    }
}
