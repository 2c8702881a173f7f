package dev.gearbox.routing;

import java.util.List;
import java.util.Map;

/**
 * The {@code then} of a route: which models may serve the request, in what order, within what limits.
 *
 * @param tier every available model of this tier; exclusive with {@code models}
 * @param models these models; exclusive with {@code tier}
 * @param strategy how to order them; default cheapest for a tier, ordered for a list
 * @param weights relative weights by model id, for the weighted strategy
 * @param fallbacks more models to try, in order, after the candidates (used by the resilience layer)
 * @param fallbackMaxCostRatio how many times the chosen model's estimate a fallback may cost; null is 1, so
 *     a fallback dearer than the chosen model is tried only where the route opts in
 * @param timeoutMs the most time the whole upstream call may take
 * @param maxCostUsd the most a request may be estimated to cost; a header may lower it
 * @param latencyBudgetMs the most latency a candidate may be expected to have; a header may lower it
 * @param onOverBudget what to do when no candidate is within budget
 * @param cache whether answers on this route may be cached: false, true (deterministic requests only) or always
 * @param effort the reasoning effort asked of the route's reasoning models, or null for the client's or the model's own
 */
public record RouteAction(
        String tier, List<String> models, Strategy strategy, Map<String, Double> weights, List<String> fallbacks,
        Double fallbackMaxCostRatio, Long timeoutMs, Double maxCostUsd, Long latencyBudgetMs, OverBudget onOverBudget,
        CacheMode cache, EffortPolicy effort) {

    public RouteAction {
        if ((tier == null) == (models == null || models.isEmpty())) {
            throw new IllegalArgumentException("tier: exactly one of tier or models is needed (expected: tier: cheap, or models: [a, b])");
        }
        models = models == null ? List.of() : List.copyOf(models);
        strategy = strategy != null ? strategy : tier != null ? Strategy.CHEAPEST : Strategy.ORDERED;
        weights = weights == null ? Map.of() : Map.copyOf(weights);
        if (strategy == Strategy.WEIGHTED && weights.isEmpty()) {
            throw new IllegalArgumentException("weights: missing (expected: weights by model id for the weighted strategy)");
        }
        for (Map.Entry<String, Double> w : weights.entrySet()) {
            if (w.getValue() == null || w.getValue() < 0) {
                throw new IllegalArgumentException("weights: " + w.getKey() + ": " + w.getValue() + " (expected: >= 0)");
            }
        }
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
        if (fallbackMaxCostRatio != null && !(fallbackMaxCostRatio >= 1)) {
            throw new IllegalArgumentException("fallback_max_cost_ratio: " + fallbackMaxCostRatio
                    + " (expected: >= 1, how many times the chosen model's estimated cost a fallback may cost)");
        }
        if (timeoutMs != null && timeoutMs <= 0) {
            throw new IllegalArgumentException("timeout_ms: " + timeoutMs + " (expected: > 0)");
        }
        if (maxCostUsd != null && maxCostUsd <= 0) {
            throw new IllegalArgumentException("max_cost_usd: " + maxCostUsd + " (expected: > 0)");
        }
        if (latencyBudgetMs != null && latencyBudgetMs <= 0) {
            throw new IllegalArgumentException("latency_budget_ms: " + latencyBudgetMs + " (expected: > 0)");
        }
        onOverBudget = onOverBudget == null ? OverBudget.CHEAPEST : onOverBudget;
        cache = cache == null ? CacheMode.DETERMINISTIC : cache;
    }

    /** How many times the chosen model's estimate a fallback may cost: 1 unless the route opts in to more. */
    public double fallbackCostRatio() {
        return fallbackMaxCostRatio == null ? 1 : fallbackMaxCostRatio;
    }
}
