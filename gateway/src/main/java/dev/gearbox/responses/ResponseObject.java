package dev.gearbox.responses;

import dev.gearbox.cost.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Responses API's response object, built from what the client asked (the settings it echoes) and what
 * the model answered. Item ids derive from the response's id and the item's place, so the object a stream
 * ends with, the one a whole answer is, and the one kept for {@code GET /v1/responses/{id}} agree.
 */
public final class ResponseObject {

    private ResponseObject() {
    }

    /** A new response id: random, as OpenAI's are, so ids of one tenant say nothing about another's. */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "resp_" + Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE)
                + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    /** The id of the output item at {@code index}, with the prefix of its type ({@code msg}, {@code fc}). */
    public static String itemId(String prefix, String responseId, int index) {
        return prefix + "_" + responseId.substring(responseId.indexOf('_') + 1) + Integer.toHexString(index);
    }

    /** The response with no output yet, {@code status} {@code in_progress} unless set otherwise. */
    public static JsonObject envelope(String id, JsonObject request, String model, long createdAt) {
        JsonObject reasoning = request.getValue("reasoning") instanceof JsonObject r ? r : new JsonObject();
        JsonObject text = request.getValue("text") instanceof JsonObject t ? t.copy() : new JsonObject();
        if (!text.containsKey("format")) {
            text.put("format", new JsonObject().put("type", "text"));
        }
        return new JsonObject()
                .put("id", id)
                .put("object", "response")
                .put("created_at", createdAt)
                .put("status", "in_progress")
                .putNull("error")
                .putNull("incomplete_details")
                .put("instructions", request.getValue("instructions"))
                .put("max_output_tokens", request.getValue("max_output_tokens"))
                .put("model", model)
                .put("output", new JsonArray())
                .put("parallel_tool_calls", request.getValue("parallel_tool_calls", true))
                .put("previous_response_id", request.getValue("previous_response_id"))
                .put("reasoning", new JsonObject().put("effort", reasoning.getValue("effort"))
                        .put("summary", reasoning.getValue("summary")))
                .put("store", request.getValue("store", true))
                .put("temperature", request.getValue("temperature", 1.0))
                .put("text", text)
                .put("tool_choice", request.getValue("tool_choice", "auto"))
                .put("tools", request.getValue("tools", new JsonArray()))
                .put("top_p", request.getValue("top_p", 1.0))
                .put("truncation", request.getValue("truncation", "disabled"))
                .putNull("usage")
                .put("user", request.getValue("user"))
                .put("metadata", request.getValue("metadata", new JsonObject()));
    }

    /** A whole chat completion as the response to {@code request}. */
    public static JsonObject of(String id, JsonObject request, JsonObject completion) {
        String model = completion.getValue("model") instanceof String m ? m : String.valueOf(request.getValue("model"));
        long created = completion.getValue("created") instanceof Number n ? n.longValue() : 0;
        JsonObject response = envelope(id, request, model, created);
        JsonArray output = response.getJsonArray("output");
        String finish = null;
        if (completion.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
                && choices.getValue(0) instanceof JsonObject choice) {
            finish = choice.getValue("finish_reason") instanceof String f ? f : null;
            JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
            String content = message.getValue("content") instanceof String c ? c : null;
            String refusal = message.getValue("refusal") instanceof String r ? r : null;
            if ((content != null && !content.isEmpty()) || refusal != null) {
                output.add(message(itemId("msg", id, output.size()), content, refusal, "completed"));
            }
            if (message.getValue("tool_calls") instanceof JsonArray calls) {
                for (int i = 0; i < calls.size(); i++) {
                    if (calls.getValue(i) instanceof JsonObject call && call.getValue("function") instanceof JsonObject f) {
                        output.add(functionCall(itemId("fc", id, output.size()), string(call.getValue("id")),
                                string(f.getValue("name")), string(f.getValue("arguments")), "completed"));
                    }
                }
            }
        }
        finish(response, finish, Usage.fromJson(completion.getValue("usage")));
        return response;
    }

    /** Sets the final status and usage of a response whose answer ended with {@code finishReason}. */
    static void finish(JsonObject response, String finishReason, Usage usage) {
        String incomplete = "length".equals(finishReason) ? "max_output_tokens"
                : "content_filter".equals(finishReason) ? "content_filter" : null;
        response.put("status", incomplete == null ? "completed" : "incomplete");
        if (incomplete != null) {
            response.put("incomplete_details", new JsonObject().put("reason", incomplete));
        }
        response.put("usage", usage == null ? null : usage(usage));
    }

    /** The Responses API's usage block for the tokens of a canonical answer. */
    public static JsonObject usage(Usage usage) {
        return new JsonObject()
                .put("input_tokens", usage.promptTokens())
                .put("input_tokens_details", new JsonObject().put("cached_tokens", usage.cachedPromptTokens()))
                .put("output_tokens", usage.completionTokens())
                .put("output_tokens_details", new JsonObject().put("reasoning_tokens", usage.reasoningTokens()))
                .put("total_tokens", usage.promptTokens() + usage.completionTokens());
    }

    static JsonObject message(String id, String text, String refusal, String status) {
        JsonArray content = new JsonArray();
        if (text != null && !text.isEmpty()) {
            content.add(outputText(text));
        }
        if (refusal != null) {
            content.add(new JsonObject().put("type", "refusal").put("refusal", refusal));
        }
        return new JsonObject().put("type", "message").put("id", id).put("status", status).put("role", "assistant")
                .put("content", content);
    }

    static JsonObject outputText(String text) {
        return new JsonObject().put("type", "output_text").put("text", text).put("annotations", new JsonArray())
                .put("logprobs", new JsonArray());
    }

    static JsonObject functionCall(String id, String callId, String name, String arguments, String status) {
        return new JsonObject().put("type", "function_call").put("id", id).put("call_id", callId).put("name", name)
                .put("arguments", arguments).put("status", status);
    }

    private static String string(Object value) {
        return value instanceof String s ? s : "";
    }
}
