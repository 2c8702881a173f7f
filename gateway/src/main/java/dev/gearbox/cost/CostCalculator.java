package dev.gearbox.cost;

import dev.gearbox.config.ModelConfig;

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
        return model.price().cost(usage.promptTokens(), usage.cachedPromptTokens(), usage.cacheWritePromptTokens(),
                usage.completionTokens());
    }
}
