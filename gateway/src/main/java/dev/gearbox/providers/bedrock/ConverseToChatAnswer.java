package dev.gearbox.providers.bedrock;

import dev.gearbox.cost.Usage;
import dev.gearbox.providers.NotAnAnswer;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.wire.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A whole Converse answer as a chat completion: text as content, {@code toolUse} as tool calls (or, for the
 * JSON tool a {@code response_format} was sent as, its input as the content), Claude's reasoning as
 * {@code reasoning_content} and its blocks, signed, as {@code thinking_blocks}, and the usage with the cache's
 * reads and writes.
 */
final class ConverseToChatAnswer {

    private ConverseToChatAnswer() {
    }

    /**
     * @param jsonTool the tool a JSON response format was forced through, or null
     * @param id the answer's id (Converse gives none)
     */
    static TranslatedAnswer translate(Buffer body, String contentType, String jsonTool, String id, String model, long created) {
        if (contentType == null || !contentType.contains("json")) {
            throw new NotAnAnswer("wrong_content_type", "answered with content type " + contentType);
        }
        JsonObject response;
        try {
            response = Json.answer(body);
        } catch (IllegalArgumentException e) {
            throw new NotAnAnswer("malformed", "answered with a body that is not a JSON object in UTF-8");
        }
        if (!(response.getValue("output") instanceof JsonObject output) || !(output.getValue("message") instanceof JsonObject message)
                || !(message.getValue("content") instanceof JsonArray content)) {
            throw response.getValue("message") instanceof String said
                    ? new NotAnAnswer("error_in_200", "answered 200 with an error instead of an answer: " + said)
                    : new NotAnAnswer("malformed", "answered 200 without 'output.message.content'");
        }
        StringBuilder text = null;
        StringBuilder reasoning = null;
        JsonArray thinking = new JsonArray();
        JsonArray calls = new JsonArray();
        for (Object value : content) {
            if (!(value instanceof JsonObject block)) {
                continue;
            }
            if (block.getValue("text") instanceof String t) {
                text = (text == null ? new StringBuilder() : text).append(t);
            } else if (block.getValue("toolUse") instanceof JsonObject use) {
                JsonObject input = use.getValue("input") instanceof JsonObject i ? i : new JsonObject();
                if (use.getString("name", "").equals(jsonTool)) {
                    text = (text == null ? new StringBuilder() : text).append(input.encode());
                } else {
                    calls.add(new JsonObject().put("id", use.getValue("toolUseId")).put("type", "function")
                            .put("function", new JsonObject().put("name", use.getValue("name")).put("arguments", input.encode())));
                }
            } else if (block.getValue("reasoningContent") instanceof JsonObject r) {
                if (r.getValue("reasoningText") instanceof JsonObject rt) {
                    String thought = rt.getString("text", "");
                    reasoning = (reasoning == null ? new StringBuilder() : reasoning).append(thought);
                    JsonObject signed = new JsonObject().put("type", "thinking").put("thinking", thought);
                    if (rt.getValue("signature") instanceof String signature) {
                        signed.put("signature", signature);
                    }
                    thinking.add(signed);
                } else if (r.getValue("redactedContent") instanceof String data) {
                    thinking.add(new JsonObject().put("type", "redacted_thinking").put("data", data));
                }
            }
        }
        JsonObject chat = new JsonObject().put("role", "assistant").put("content", text == null ? null : text.toString())
                .putNull("refusal");
        if (reasoning != null) {
            chat.put("reasoning_content", reasoning.toString());
        }
        if (!thinking.isEmpty()) {
            chat.put("thinking_blocks", thinking);
        }
        if (!calls.isEmpty()) {
            chat.put("tool_calls", calls);
        }
        Usage usage = ConverseAnswers.usage(response.getValue("usage"));
        JsonObject completion = new JsonObject().put("id", id).put("object", "chat.completion").put("created", created)
                .put("model", model).put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", chat)
                        .putNull("logprobs").put("finish_reason", ConverseAnswers.finishReason(
                                jsonTool != null ? "end_turn" : response.getValue("stopReason"), !calls.isEmpty()))));
        if (usage != null) {
            completion.put("usage", ConverseAnswers.chatUsage(usage));
        }
        return new TranslatedAnswer(completion.toBuffer(), "application/json", usage);
    }
}
