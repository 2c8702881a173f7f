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

    /** Expected completion tokens, reasoning included, at the model's default reasoning effort. */
    public static long expectedCompletionTokens(ModelConfig model, Integer maxTokens) {
        return expectedCompletionTokens(model, maxTokens, 1);
    }

    /**
     * Expected completion tokens, reasoning included.
     *
     * @param reasoningShare the reasoning effort asked for, as a share of the model's expected reasoning tokens
     *                       (1 for the default effort)
     */
    public static long expectedCompletionTokens(ModelConfig model, Integer maxTokens, double reasoningShare) {
        if (maxTokens != null) {
            return maxTokens;
        }
        return (long) model.expectedOutputTokens() + (model.reasons() ? Math.round(model.expectedReasoningTokens() * reasoningShare) : 0);
    }

    /** Estimated USD of a request with this many prompt tokens on the model, at its default reasoning effort. */
    public static double estimate(ModelConfig model, int promptTokens, Integer maxTokens) {
        return estimate(model, promptTokens, maxTokens, 1);
    }

    /** Estimated USD of a request on the model at a reasoning effort given as a share of its default's tokens. */
    public static double estimate(ModelConfig model, int promptTokens, Integer maxTokens, double reasoningShare) {
        return model.price().cost(promptTokens, 0, expectedCompletionTokens(model, maxTokens, reasoningShare));
    }
}
