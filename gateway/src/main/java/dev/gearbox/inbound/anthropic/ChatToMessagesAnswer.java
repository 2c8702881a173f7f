package dev.gearbox.inbound.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Renders a canonical chat completion as an Anthropic Messages answer: thinking blocks first (from
 * {@code thinking_blocks}, or unsigned from a {@code reasoning_content} of a provider that sends no blocks),
 * then the text, then a {@code tool_use} block per tool call; the finish reason as a stop reason; the usage
 * with cache reads and writes apart from the uncached input, as Anthropic counts it.
 */
final class ChatToMessagesAnswer {

    private ChatToMessagesAnswer() {
    }

    static JsonObject translate(JsonObject completion) {
        JsonObject choice = completion.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
                && choices.getValue(0) instanceof JsonObject c ? c : new JsonObject();
        JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
        JsonArray content = new JsonArray();
        if (message.getValue("thinking_blocks") instanceof JsonArray blocks) {
            blocks.forEach(content::add);
        } else if (message.getValue("reasoning_content") instanceof String reasoning && !reasoning.isEmpty()) {
            content.add(new JsonObject().put("type", "thinking").put("thinking", reasoning).put("signature", ""));
        }
        if (message.getValue("content") instanceof String text && !text.isEmpty()) {
            content.add(new JsonObject().put("type", "text").put("text", text));
        }
        if (message.getValue("tool_calls") instanceof JsonArray calls) {
            for (Object value : calls) {
                if (value instanceof JsonObject call && call.getValue("function") instanceof JsonObject function) {
                    content.add(new JsonObject().put("type", "tool_use").put("id", call.getValue("id"))
                            .put("name", function.getValue("name")).put("input", input(function.getValue("arguments"))));
                }
            }
        }
        return new JsonObject()
                .put("id", messageId(completion.getValue("id")))
                .put("type", "message")
                .put("role", "assistant")
                .put("model", completion.getValue("model"))
                .put("content", content)
                .put("stop_reason", stopReason(choice.getValue("finish_reason")))
                .put("stop_sequence", null)
                .put("usage", usage(completion.getValue("usage") instanceof JsonObject u ? u : new JsonObject()));
    }

    static JsonObject input(Object arguments) {
        if (arguments instanceof String s && !s.isBlank()) {
            try {
                return new JsonObject(s);
            } catch (RuntimeException notAnObject) {
                // Arguments a model broke off or garbled are kept, as a string, rather than lost.
                return new JsonObject().put("arguments", s);
            }
        }
        return new JsonObject();
    }

    /** Anthropic's SDKs and Claude Code expect message ids to start with {@code msg_}. */
    static String messageId(Object id) {
        String text = id instanceof String s ? s : "gearbox";
        return text.startsWith("msg_") ? text : "msg_" + text;
    }

    static String stopReason(Object finishReason) {
        if (!(finishReason instanceof String reason)) {
            return "end_turn";
        }
        return switch (reason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    static JsonObject usage(JsonObject usage) {
        long prompt = count(usage, "prompt_tokens");
        long read = usage.getValue("prompt_tokens_details") instanceof JsonObject d ? count(d, "cached_tokens") : 0;
        if (read == 0) {
            read = count(usage, "cache_read_input_tokens");
        }
        long write = count(usage, "cache_creation_input_tokens");
        return new JsonObject().put("input_tokens", Math.max(0, prompt - read - write))
                .put("cache_creation_input_tokens", write).put("cache_read_input_tokens", read)
                .put("output_tokens", count(usage, "completion_tokens"));
    }

    private static long count(JsonObject usage, String field) {
        return usage.getValue(field) instanceof Number n ? Math.max(0, n.longValue()) : 0;
    }
}
