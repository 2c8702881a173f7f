package dev.gearbox.providers.anthropic;

import dev.gearbox.cost.Usage;
import dev.gearbox.providers.NotAnAnswer;
import dev.gearbox.providers.TranslatedAnswer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Translates a whole Anthropic Messages answer into a canonical chat completion.
 *
 * <p>Text blocks become {@code content}, {@code tool_use} blocks {@code tool_calls}. Thinking survives in
 * two places, as other gateways carry it: {@code reasoning_content} holds the thinking text, and
 * {@code thinking_blocks} the blocks themselves ({@code thinking} with its {@code signature},
 * {@code redacted_thinking} with its {@code data}), which a client sends back on the assistant message of the
 * next turn. The usage block keeps Anthropic's cache reads and writes, so each is priced at its own price.
 */
final class MessagesToChatAnswer {

    private MessagesToChatAnswer() {
    }

    /**
     * @param jsonTool the tool a JSON response format was forced through, whose input is the answer; null for none
     * @param created the completion's creation time, in epoch seconds
     */
    static TranslatedAnswer translate(Buffer body, String contentType, String jsonTool, long created) {
        if (contentType == null || !contentType.contains("json")) {
            throw new NotAnAnswer("wrong_content_type", "answered with content type " + contentType);
        }
        JsonObject message;
        try {
            message = new JsonObject(body);
        } catch (RuntimeException e) {
            throw new NotAnAnswer("malformed", "answered with a body that is not a JSON object");
        }
        if (!(message.getValue("content") instanceof JsonArray content)) {
            throw message.getValue("error") != null
                    ? new NotAnAnswer("error_in_200", "answered 200 with an error instead of an answer: "
                            + MessagesErrors.read(body).message())
                    : new NotAnAnswer("malformed", "answered 200 without 'content'");
        }
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        JsonArray thinkingBlocks = new JsonArray();
        JsonArray toolCalls = new JsonArray();
        boolean answeredByJsonTool = false;
        for (int i = 0; i < content.size(); i++) {
            if (!(content.getValue(i) instanceof JsonObject block)) {
                continue;
            }
            switch (String.valueOf(block.getValue("type"))) {
                case "text" -> text.append(block.getString("text", ""));
                case "thinking" -> {
                    reasoning.append(block.getString("thinking", ""));
                    thinkingBlocks.add(block);
                }
                case "redacted_thinking" -> thinkingBlocks.add(block);
                case "tool_use" -> {
                    Object input = block.getValue("input");
                    String arguments = input instanceof JsonObject o ? o.encode() : "{}";
                    if (jsonTool != null && jsonTool.equals(block.getValue("name"))) {
                        text.append(arguments);
                        answeredByJsonTool = true;
                    } else {
                        toolCalls.add(new JsonObject().put("id", block.getValue("id")).put("type", "function")
                                .put("function", new JsonObject().put("name", block.getValue("name"))
                                        .put("arguments", arguments)));
                    }
                }
                default -> {
                    // Server tool blocks and citations have no place in a chat completion.
                }
            }
        }
        JsonObject out = new JsonObject().put("role", "assistant")
                .put("content", text.isEmpty() && !toolCalls.isEmpty() ? null : text.toString());
        if (!thinkingBlocks.isEmpty()) {
            out.put("reasoning_content", reasoning.toString()).put("thinking_blocks", thinkingBlocks);
        }
        if (!toolCalls.isEmpty()) {
            out.put("tool_calls", toolCalls);
        }
        String finish = answeredByJsonTool ? "stop" : finishReason(message.getValue("stop_reason"));
        JsonObject usage = message.getValue("usage") instanceof JsonObject u ? u : new JsonObject();
        JsonObject completion = new JsonObject()
                .put("id", message.getValue("id"))
                .put("object", "chat.completion")
                .put("created", created)
                .put("model", message.getValue("model"))
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", out)
                        .put("logprobs", null).put("finish_reason", finish)))
                .put("usage", canonicalUsage(usage));
        return new TranslatedAnswer(completion.toBuffer(), "application/json", usage(usage));
    }

    /** Anthropic's stop reasons as chat's finish reasons. */
    static String finishReason(Object stopReason) {
        if (!(stopReason instanceof String reason)) {
            return "stop";
        }
        return switch (reason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /**
     * Anthropic's usage as OpenAI's block: {@code prompt_tokens} counts every prompt token, cache reads
     * ({@code prompt_tokens_details.cached_tokens}) and writes included; Anthropic's own cache fields are kept.
     */
    static JsonObject canonicalUsage(JsonObject usage) {
        long input = count(usage, "input_tokens");
        long read = count(usage, "cache_read_input_tokens");
        long write = count(usage, "cache_creation_input_tokens");
        long output = count(usage, "output_tokens");
        long prompt = input + read + write;
        return new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", output)
                .put("total_tokens", prompt + output)
                .put("prompt_tokens_details", new JsonObject().put("cached_tokens", read))
                .put("cache_read_input_tokens", read).put("cache_creation_input_tokens", write);
    }

    static Usage usage(JsonObject usage) {
        if (!(usage.getValue("input_tokens") instanceof Number)) {
            return null;
        }
        long read = count(usage, "cache_read_input_tokens");
        long write = count(usage, "cache_creation_input_tokens");
        return new Usage(count(usage, "input_tokens") + read + write, read, count(usage, "output_tokens"), 0, false, write);
    }

    static long count(JsonObject usage, String field) {
        return usage.getValue(field) instanceof Number n ? Math.max(0, n.longValue()) : 0;
    }
}
