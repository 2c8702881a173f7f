package dev.gearbox.admission;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.routing.Catalog;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.wire.Request;
import io.vertx.core.json.JsonObject;

/**
 * The most a request may cost, reserved before it is sent. Only the canonical {@link Request} is read, so
 * every inbound API gets the same bound: the prompt is at most one token per byte of the body; the output
 * at most {@code max_completion_tokens} (or {@code max_tokens}, or the configured default) per choice; at
 * the prices of the model it names, or of the dearest model of the catalog when it names an alias.
 */
final class CostCeiling {

    private final RoutingRules rules;
    private final int defaultMaxOutputTokens;

    CostCeiling(RoutingRules rules, int defaultMaxOutputTokens) {
        this.rules = rules;
        this.defaultMaxOutputTokens = defaultMaxOutputTokens;
    }

    double usd(Request request) {
        long prompt = request.sizeBytes();
        long output = request.choices() == 0 ? 0 : (long) maxOutput(request.body()) * Math.max(1, request.choices());
        Catalog catalog = rules.current().catalog();
        if (request.model() != null) {
            ModelConfig named = catalog.find(request.model()).orElse(null);
            if (named != null) {
                return named.price().cost(prompt, 0, output);
            }
        }
        double most = 0;
        for (ModelConfig m : catalog.models()) {
            most = Math.max(most, m.price().cost(prompt, 0, output));
        }
        return most;
    }

    private int maxOutput(JsonObject body) {
        for (String field : new String[] {"max_completion_tokens", "max_tokens", "max_output_tokens"}) {
            if (body.getValue(field) instanceof Number n && n.longValue() > 0) {
                return (int) Math.min(n.longValue(), Integer.MAX_VALUE);
            }
        }
        return defaultMaxOutputTokens;
    }
}
