package dev.gearbox.routing;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ModelKind;
import dev.gearbox.cost.CostEstimator;
import java.util.Comparator;
import java.util.Optional;

/**
 * The model of a tier that would serve a request for its caller, whatever the rules chose: the cheapest
 * available chat model of the tier that the caller's key and team allow, that can serve the request (tools,
 * JSON mode, images) and whose context window holds it. The shadow judge asks it the request the other tier
 * answered. Pure.
 */
public final class TierChoice {

    private TierChoice() {
    }

    /** The model, or empty when no model of the tier can serve the request for this caller. */
    public static Optional<ModelConfig> cheapest(Catalog catalog, RequestFeatures request, AllowedModels allowed, String tier) {
        int prompt = request.approxPromptTokens();
        return catalog.tier(tier).stream()
                .filter(m -> m.kind() == ModelKind.CHAT && allowed.permits(m, catalog))
                .filter(m -> Router.missing(m, request) == null && ContextWindow.tooLong(m, request) == null)
                .min(Comparator.comparingDouble(m -> CostEstimator.estimate(m, prompt, request.maxTokens())));
    }

    /** Whether the tier has a model for the request at all, the caller's lists aside: what tells "not allowed" apart. */
    public static boolean exists(Catalog catalog, RequestFeatures request, String tier) {
        return cheapest(catalog, request, AllowedModels.ANY, tier).isPresent();
    }

    /** Whether the caller's key and team allow {@code model}. */
    public static boolean allowed(Catalog catalog, AllowedModels allowed, ModelConfig model) {
        return allowed.permits(model, catalog);
    }
}
