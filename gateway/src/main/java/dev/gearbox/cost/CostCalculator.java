package dev.gearbox.cost;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ModelKind;
import dev.gearbox.routing.Catalog;
import java.util.Comparator;
import java.util.Optional;

/**
 * Prices answers: tokens × the catalog's list prices, cached prompt tokens at their own price, reasoning
 * tokens as output. The baseline is what the same tokens would have cost on the baseline model, by
 * default the catalog's flagship reasoning model, so savings show what routing saved against sending
 * everything there.
 */
public final class CostCalculator {

    private CostCalculator() {
    }

    /** The cost of an answer on the model that gave it, and on the baseline. */
    public static Cost cost(ModelConfig model, ModelConfig baseline, Usage usage) {
        double usd = price(model, usage);
        return new Cost(usd, baseline == null ? usd : price(baseline, usage));
    }

    /** A cache hit: it cost nothing, and saved the whole baseline. */
    public static Cost cacheHit(ModelConfig baseline, Usage usage) {
        return new Cost(0, baseline == null ? 0 : price(baseline, usage));
    }

    static double price(ModelConfig model, Usage usage) {
        return model.price().cost(usage.promptTokens(), usage.cachedPromptTokens(), usage.completionTokens());
    }

    /**
     * The baseline model: the one named, else the reasoning-tier chat model with the highest output price
     * among those that can be served, else among the whole catalog.
     */
    public static Optional<ModelConfig> baseline(Catalog catalog, String named) {
        if (named != null) {
            return catalog.model(named);
        }
        Comparator<ModelConfig> byPrice = Comparator.comparingDouble((ModelConfig m) -> m.price().output())
                .thenComparingDouble(m -> m.price().input());
        Optional<ModelConfig> served = catalog.models().stream()
                .filter(m -> m.kind() == ModelKind.CHAT && "reasoning".equals(m.tier()) && catalog.available(m))
                .max(byPrice);
        return served.isPresent() ? served : catalog.models().stream()
                .filter(m -> m.kind() == ModelKind.CHAT && "reasoning".equals(m.tier())).max(byPrice);
    }
}
