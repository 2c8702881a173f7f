package dev.gearbox.routing;

import dev.gearbox.config.ModelConfig;
import java.util.List;

/**
 * Where a request goes and why.
 *
 * @param route the route's name, or {@code direct} for a concrete model no route claimed
 * @param model the model to try first
 * @param fallbacks the models to try next, in order
 * @param estimatedCostUsd the cost estimate on {@code model}
 * @param deadlineMs the most time the upstream call may take, or null for the provider's own timeouts
 * @param cache when the answer may be cached
 * @param note why the choice differs from the route's plain choice (a budget), or null
 * @param version the rules version that decided
 * @param fallbackCostsUsd the cost estimate on each fallback, in their order; empty when not known
 * @param effort the reasoning effort the gateway sets on reasoning models, or null to leave the client's
 */
public record RouteDecision(
        String route, ModelConfig model, List<ModelConfig> fallbacks, double estimatedCostUsd, Long deadlineMs,
        CacheMode cache, String note, String version, List<Double> fallbackCostsUsd, Effort effort) {

    public RouteDecision {
        fallbacks = List.copyOf(fallbacks);
        fallbackCostsUsd = List.copyOf(fallbackCostsUsd);
        if (!fallbackCostsUsd.isEmpty() && fallbackCostsUsd.size() != fallbacks.size()) {
            throw new IllegalArgumentException("fallbackCostsUsd: " + fallbackCostsUsd.size() + " estimates (expected: "
                    + fallbacks.size() + ", one per fallback)");
        }
    }

    /** A decision without fallback estimates or an effort of its own. */
    public RouteDecision(String route, ModelConfig model, List<ModelConfig> fallbacks, double estimatedCostUsd,
                         Long deadlineMs, CacheMode cache, String note, String version) {
        this(route, model, fallbacks, estimatedCostUsd, deadlineMs, cache, note, version, List.of(), null);
    }

    /** The tier reported in {@code x-gearbox-tier}. */
    public String tier() {
        return model.tier() == null ? "none" : model.tier();
    }

    /**
     * How many times the routed model's estimate the estimate on {@code answered} is: above 1 when a dearer
     * fallback answered (a route's {@code fallback_max_cost_ratio} allows it), else 1.
     */
    public double costRatio(ModelConfig answered) {
        int at = fallbacks.indexOf(answered);
        if (at < 0 || fallbackCostsUsd.isEmpty() || !(estimatedCostUsd > 0)) {
            return 1;
        }
        return Math.max(1, fallbackCostsUsd.get(at) / estimatedCostUsd);
    }
}
