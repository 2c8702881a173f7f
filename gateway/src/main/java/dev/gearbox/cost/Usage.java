package dev.gearbox.cost;

import io.vertx.core.json.JsonObject;

/**
 * The tokens of one answer.
 *
 * @param promptTokens prompt tokens, cached ones included
 * @param cachedPromptTokens prompt tokens the provider served from its prompt cache
 * @param completionTokens completion tokens, reasoning included
 * @param reasoningTokens completion tokens spent reasoning
 * @param estimated whether the gateway counted them itself because the provider reported none
 * @param cacheWritePromptTokens prompt tokens the provider wrote to its prompt cache (Anthropic's
 *     {@code cache_creation_input_tokens}), billed at their own price; part of {@code promptTokens}
 */
public record Usage(long promptTokens, long cachedPromptTokens, long completionTokens, long reasoningTokens,
                    boolean estimated, long cacheWritePromptTokens) {

    public static final Usage NONE = new Usage(0, 0, 0, 0, false);

    public Usage {
        if (promptTokens < 0 || cachedPromptTokens < 0 || completionTokens < 0 || reasoningTokens < 0
                || cacheWritePromptTokens < 0) {
            throw new IllegalArgumentException("tokens: negative counts (expected: >= 0)");
        }
        cachedPromptTokens = Math.min(cachedPromptTokens, promptTokens);
        cacheWritePromptTokens = Math.min(cacheWritePromptTokens, promptTokens - cachedPromptTokens);
    }

    /** Usage without prompt cache writes, as OpenAI-compatible providers report it. */
    public Usage(long promptTokens, long cachedPromptTokens, long completionTokens, long reasoningTokens,
                 boolean estimated) {
        this(promptTokens, cachedPromptTokens, completionTokens, reasoningTokens, estimated, 0);
    }

    /**
     * Reads OpenAI's {@code usage} block; null when there is none. DeepSeek's
     * {@code prompt_cache_hit_tokens} counts as cached prompt tokens, and {@code cache_creation_input_tokens}
     * (which the Anthropic translator carries over into the canonical usage block) as cache writes.
     */
    public static Usage fromJson(Object usage) {
        if (!(usage instanceof JsonObject u) || !(u.getValue("prompt_tokens") instanceof Number)) {
            return null;
        }
        long prompt = number(u.getValue("prompt_tokens"));
        long completion = number(u.getValue("completion_tokens"));
        long cached = u.getValue("prompt_tokens_details") instanceof JsonObject d ? number(d.getValue("cached_tokens")) : 0;
        if (cached == 0) {
            cached = number(u.getValue("prompt_cache_hit_tokens"));
        }
        long reasoning = u.getValue("completion_tokens_details") instanceof JsonObject d
                ? number(d.getValue("reasoning_tokens")) : 0;
        return new Usage(prompt, cached, completion, Math.min(reasoning, completion), false,
                number(u.getValue("cache_creation_input_tokens")));
    }

    /**
     * Usage from the counts of OpenAI's {@code usage} block (-1 for one not reported); null without
     * {@code prompt_tokens}. DeepSeek's {@code prompt_cache_hit_tokens} counts as cached prompt tokens.
     */
    public static Usage fromCounts(long prompt, long completion, long cached, long cacheHit, long reasoning) {
        if (prompt < 0) {
            return null;
        }
        long c = Math.max(0, completion);
        long hit = cached > 0 ? cached : Math.max(0, cacheHit);
        return new Usage(prompt, hit, c, Math.min(Math.max(0, reasoning), c), false);
    }

    /** Tokens counted by the gateway itself. */
    public static Usage estimated(long promptTokens, long completionTokens) {
        return new Usage(promptTokens, 0, completionTokens, 0, true);
    }

    private static long number(Object value) {
        return value instanceof Number n ? Math.max(0, n.longValue()) : 0;
    }
}
