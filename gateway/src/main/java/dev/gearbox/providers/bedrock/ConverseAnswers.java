package dev.gearbox.providers.bedrock;

import dev.gearbox.cost.Usage;
import io.vertx.core.json.JsonObject;

/** What Converse's whole answers and streams share: the usage block and the stop reason, in chat terms. */
final class ConverseAnswers {

    private ConverseAnswers() {
    }

    /**
     * Converse's {@code usage}: {@code inputTokens} counts the prompt outside the cache, so every prompt token
     * is it plus the cache's reads and writes, each priced at its own price. Null when there is none.
     */
    static Usage usage(Object value) {
        if (!(value instanceof JsonObject u) || !(u.getValue("inputTokens") instanceof Number input)) {
            return null;
        }
        long read = count(u, "cacheReadInputTokens");
        long written = count(u, "cacheWriteInputTokens");
        return new Usage(input.longValue() + read + written, read, count(u, "outputTokens"), 0, false, written);
    }

    private static long count(JsonObject usage, String field) {
        return usage.getValue(field) instanceof Number n ? Math.max(0, n.longValue()) : 0;
    }

    /** Usage as the canonical block, the cache's reads and writes as Anthropic's fields the pricing reads. */
    static JsonObject chatUsage(Usage usage) {
        return new JsonObject()
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.promptTokens() + usage.completionTokens())
                .put("prompt_tokens_details", new JsonObject().put("cached_tokens", usage.cachedPromptTokens()))
                .put("cache_read_input_tokens", usage.cachedPromptTokens())
                .put("cache_creation_input_tokens", usage.cacheWritePromptTokens());
    }

    /** A Converse stop reason in chat terms. */
    static String finishReason(Object stopReason, boolean calledTools) {
        if (!(stopReason instanceof String reason)) {
            return calledTools ? "tool_calls" : "stop";
        }
        return switch (reason) {
            case "tool_use" -> "tool_calls";
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "guardrail_intervened", "content_filtered" -> "content_filter";
            default -> calledTools ? "tool_calls" : "stop";
        };
    }
}
