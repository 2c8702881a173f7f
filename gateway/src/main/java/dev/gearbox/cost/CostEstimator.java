package dev.gearbox.cost;

import dev.gearbox.config.ModelConfig;

/**
 * Estimates what a request will cost on a model before it is sent.
 *
 * <p>Prompt tokens are counted; completion tokens are the request's limit when it sets one (for a
 * reasoning model the limit covers its reasoning too), else the model's expected output plus its
 * expected reasoning. The estimate is an upper bound when a limit is set and a typical value otherwise.
 */
public final class CostEstimator {

    private CostEstimator() {
    }

    /** Expected completion tokens, reasoning included. */
    public static long expectedCompletionTokens(ModelConfig model, Integer maxTokens) {
        if (maxTokens != null) {
            return maxTokens;
        }
        return (long) model.expectedOutputTokens() + (model.reasons() ? model.expectedReasoningTokens() : 0);
    }

    /** Estimated USD of a request with this many prompt tokens on the model. */
    public static double estimate(ModelConfig model, int promptTokens, Integer maxTokens) {
        return model.price().cost(promptTokens, 0, expectedCompletionTokens(model, maxTokens));
    }
}
