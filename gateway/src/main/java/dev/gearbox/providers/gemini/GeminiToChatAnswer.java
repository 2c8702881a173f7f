package dev.gearbox.providers.gemini;

import dev.gearbox.cost.Usage;
import dev.gearbox.providers.NotAnAnswer;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.wire.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A whole {@code GenerateContentResponse} as a chat completion: one choice per candidate, thought summaries
 * as {@code reasoning_content}, function calls as tool calls (their thought signatures kept, for the next
 * turn), safety stops as {@code content_filter}. A prompt Gemini blocked has no candidate: it is one choice
 * with no content and {@code content_filter}, the way a filtered completion is told.
 */
final class GeminiToChatAnswer {

    private GeminiToChatAnswer() {
    }

    static TranslatedAnswer translate(Buffer body, String contentType, long created) {
        if (contentType == null || !contentType.contains("json")) {
            throw new NotAnAnswer("wrong_content_type", "answered with content type " + contentType);
        }
        JsonObject response;
        try {
            response = Json.answer(body);
        } catch (IllegalArgumentException e) {
            throw new NotAnAnswer("malformed", "answered with a body that is not a JSON object in UTF-8");
        }
        if (response.getValue("error") instanceof JsonObject error) {
            throw new NotAnAnswer("error_in_200", "answered 200 with an error instead of an answer: "
                    + error.getValue("message"));
        }
        boolean blocked = response.getValue("promptFeedback") instanceof JsonObject feedback
                && feedback.getValue("blockReason") != null;
        if (!(response.getValue("candidates") instanceof JsonArray candidates) && !blocked) {
            throw new NotAnAnswer("malformed", "answered 200 without 'candidates'");
        }
        String id = response.getValue("responseId") instanceof String r ? r : "gemini-" + created;
        JsonArray choices = new JsonArray();
        if (response.getValue("candidates") instanceof JsonArray all) {
            for (int i = 0; i < all.size(); i++) {
                if (all.getValue(i) instanceof JsonObject candidate) {
                    choices.add(choice(candidate, i, id));
                }
            }
        }
        if (choices.isEmpty()) {
            choices.add(new JsonObject().put("index", 0).put("message", new JsonObject().put("role", "assistant")
                    .putNull("content").putNull("refusal")).putNull("logprobs").put("finish_reason", "content_filter"));
        }
        Usage usage = GeminiParts.usage(response.getValue("usageMetadata"));
        JsonObject completion = new JsonObject().put("id", id).put("object", "chat.completion").put("created", created)
                .put("model", response.getValue("modelVersion")).put("choices", choices);
        if (usage != null) {
            completion.put("usage", GeminiParts.chatUsage(usage));
        }
        return new TranslatedAnswer(completion.toBuffer(), "application/json", usage);
    }

    private static JsonObject choice(JsonObject candidate, int position, String id) {
        int index = candidate.getValue("index") instanceof Number n ? n.intValue() : position;
        Object parts = candidate.getValue("content") instanceof JsonObject content ? content.getValue("parts") : null;
        GeminiParts.Read read = GeminiParts.read(parts, 0, GeminiParts.SYNTHETIC_ID + id + "_" + index + "_");
        JsonObject message = new JsonObject().put("role", "assistant")
                .put("content", read.sawText ? read.text.toString() : null).putNull("refusal");
        if (read.sawThought) {
            message.put("reasoning_content", read.thoughts.toString());
        }
        if (!read.toolCalls.isEmpty()) {
            JsonArray calls = new JsonArray();
            for (Object call : read.toolCalls) {
                JsonObject whole = ((JsonObject) call).copy();
                // An index belongs to a stream's deltas, not to a whole message.
                whole.remove("index");
                calls.add(whole);
            }
            message.put("tool_calls", calls);
        }
        if (read.textSignature != null) {
            message.put("extra_content", GeminiParts.google(read.textSignature));
        }
        return new JsonObject().put("index", index).put("message", message).putNull("logprobs")
                .put("finish_reason", GeminiParts.finishReason(candidate.getValue("finishReason"), !read.toolCalls.isEmpty()));
    }
}
