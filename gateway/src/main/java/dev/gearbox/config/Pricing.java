package dev.gearbox.config;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * A model's list price in US dollars per million tokens. Reasoning tokens are billed as output.
 *
 * @param input price of prompt tokens
 * @param cachedInput price of prompt tokens served from the provider's prompt cache; defaults to {@code input}
 * @param output price of completion tokens, reasoning included
 * @param asOf the day the price was taken from the provider's price list, as {@code YYYY-MM-DD}
 * @param cacheWrite price of prompt tokens written to the provider's prompt cache (Anthropic's 5-minute
 *     cache writes); defaults to {@code input}
 */
public record Pricing(Double input, Double cachedInput, Double output, String asOf, Double cacheWrite) {

    private static final double PER_TOKEN = 1e-6;

    @JsonCreator
    public Pricing {
        if (input == null || input < 0) {
            throw new IllegalArgumentException("input: " + input + " (expected: USD per 1M tokens, >= 0)");
        }
        if (output == null || output < 0) {
            throw new IllegalArgumentException("output: " + output + " (expected: USD per 1M tokens, >= 0)");
        }
        cachedInput = cachedInput == null ? input : cachedInput;
        if (cachedInput < 0) {
            throw new IllegalArgumentException("cached_input: " + cachedInput + " (expected: USD per 1M tokens, >= 0)");
        }
        cacheWrite = cacheWrite == null ? input : cacheWrite;
        if (cacheWrite < 0) {
            throw new IllegalArgumentException("cache_write: " + cacheWrite + " (expected: USD per 1M tokens, >= 0)");
        }
        if (asOf != null && !asOf.matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw new IllegalArgumentException("as_of: '" + asOf + "' (expected: a date as YYYY-MM-DD)");
        }
    }

    /** A price without a price of its own for cache writes. */
    public Pricing(Double input, Double cachedInput, Double output, String asOf) {
        this(input, cachedInput, output, asOf, null);
    }

    /** A price of zero, for models whose price is not known. */
    public static Pricing free() {
        return new Pricing(0.0, 0.0, 0.0, null);
    }

    /** USD for the given tokens; cached prompt tokens are part of {@code promptTokens}. */
    public double cost(long promptTokens, long cachedPromptTokens, long completionTokens) {
        long uncached = Math.max(0, promptTokens - cachedPromptTokens);
        return (uncached * input + cachedPromptTokens * cachedInput + completionTokens * output) * PER_TOKEN;
    }

    /** USD for the given tokens; cached and cache-written prompt tokens are part of {@code promptTokens}. */
    public double cost(long promptTokens, long cachedPromptTokens, long cacheWritePromptTokens, long completionTokens) {
        long uncached = Math.max(0, promptTokens - cachedPromptTokens - cacheWritePromptTokens);
        return (uncached * input + cachedPromptTokens * cachedInput + cacheWritePromptTokens * cacheWrite
                + completionTokens * output) * PER_TOKEN;
    }
}
