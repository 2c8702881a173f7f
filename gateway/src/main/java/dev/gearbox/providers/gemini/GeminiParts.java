package dev.gearbox.providers.gemini;

import dev.gearbox.cost.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What Gemini's answers and stream chunks share: a candidate's parts read as text, thought summaries and
 * function calls; its finish reason in chat terms; {@code usageMetadata} as usage.
 */
final class GeminiParts {

    /** Gemini gives a call no id of its own; the gateway names it so, and never sends such an id back. */
    static final String SYNTHETIC_ID = "call_gx_";

    /** The parts of one candidate, read. */
    static final class Read {
        final StringBuilder text = new StringBuilder();
        final StringBuilder thoughts = new StringBuilder();
        final JsonArray toolCalls = new JsonArray();
        String textSignature;
        boolean sawText;
        boolean sawThought;
    }

    private GeminiParts() {
    }

    /**
     * Reads {@code parts}; each call gets the next index from {@code firstCallIndex} and an id made from
     * {@code idPrefix} unless Gemini gave one.
     */
    static Read read(Object parts, int firstCallIndex, String idPrefix) {
        Read read = new Read();
        if (!(parts instanceof JsonArray array)) {
            return read;
        }
        for (Object value : array) {
            if (!(value instanceof JsonObject part)) {
                continue;
            }
            String signature = part.getValue("thoughtSignature") instanceof String s ? s : null;
            if (part.getValue("functionCall") instanceof JsonObject call) {
                int index = firstCallIndex + read.toolCalls.size();
                String id = call.getValue("id") instanceof String given ? given : idPrefix + index;
                JsonObject toolCall = new JsonObject().put("index", index).put("id", id).put("type", "function")
                        .put("function", new JsonObject().put("name", call.getValue("name"))
                                .put("arguments", (call.getValue("args") instanceof JsonObject args ? args : new JsonObject()).encode()));
                if (signature != null) {
                    toolCall.put("extra_content", google(signature));
                }
                read.toolCalls.add(toolCall);
            } else if (part.getValue("text") instanceof String text) {
                if (Boolean.TRUE.equals(part.getValue("thought"))) {
                    read.thoughts.append(text);
                    read.sawThought = true;
                } else {
                    read.text.append(text);
                    read.sawText = true;
                    if (signature != null) {
                        read.textSignature = signature;
                    }
                }
            } else if (signature != null) {
                // A signature on a part of its own (an empty text part) belongs to the turn's text.
                read.textSignature = signature;
            }
        }
        return read;
    }

    /** Where a thought signature goes in the chat form, as Google's OpenAI-compatible endpoint puts it. */
    static JsonObject google(String signature) {
        return new JsonObject().put("google", new JsonObject().put("thought_signature", signature));
    }

    /** A Gemini finish reason in chat terms; null while the candidate goes on. */
    static String finishReason(Object reason, boolean calledTools) {
        if (!(reason instanceof String r) || r.equals("FINISH_REASON_UNSPECIFIED")) {
            return null;
        }
        return switch (r) {
            case "MAX_TOKENS" -> "length";
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE" -> "content_filter";
            default -> calledTools ? "tool_calls" : "stop";
        };
    }

    /**
     * {@code usageMetadata} as usage: every prompt token (tool-use prompts included) as prompt, cached content as
     * cached, thoughts as reasoning within completion (Gemini counts them apart from the candidates); null
     * when there is none.
     */
    static Usage usage(Object metadata) {
        if (!(metadata instanceof JsonObject u) || !(u.getValue("promptTokenCount") instanceof Number prompt)) {
            return null;
        }
        long toolPrompt = count(u, "toolUsePromptTokenCount");
        long candidates = count(u, "candidatesTokenCount");
        long thoughts = count(u, "thoughtsTokenCount");
        return Usage.fromCounts(prompt.longValue() + toolPrompt, candidates + thoughts, count(u, "cachedContentTokenCount"),
                0, thoughts);
    }

    private static long count(JsonObject usage, String field) {
        return usage.getValue(field) instanceof Number n ? Math.max(0, n.longValue()) : 0;
    }

    /** Usage as the canonical usage block. */
    static JsonObject chatUsage(Usage usage) {
        return new JsonObject()
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.promptTokens() + usage.completionTokens())
                .put("prompt_tokens_details", new JsonObject().put("cached_tokens", usage.cachedPromptTokens()))
                .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", usage.reasoningTokens()));
    }
}
