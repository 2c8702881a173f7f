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
 * @param effort the reasoning effort the gateway sets on reasoning models, or null to leave the client's
 */
public record RouteDecision(
        String route, ModelConfig model, List<ModelConfig> fallbacks, double estimatedCostUsd, Long deadlineMs,
        CacheMode cache, String note, String version, Effort effort) {

    /** The tier reported in {@code x-gearbox-tier}. */
    public String tier() {
        return model.tier() == null ? "none" : model.tier();
    }
}
