package dev.gearbox.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Turns a stored chat completion into the SSE stream a streaming request expects. */
public final class StreamReplay {

    private StreamReplay() {
    }

    /**
     * The events of a completion: per choice, a role chunk, its reasoning, content and tool calls, and a
     * finish chunk; then the usage chunk when asked for; then {@code [DONE]}.
     */
    public static Buffer events(JsonObject completion, boolean includeUsage) {
        Buffer out = Buffer.buffer(completion.toString().length() * 2);
        for (Buffer chunk : chunks(completion, includeUsage)) {
            out.appendString("data: ").appendBuffer(chunk).appendString("\n\n");
        }
        return out.appendString("data: [DONE]\n\n");
    }

    /** The data of each event of {@link #events}, without SSE framing and without {@code [DONE]}. */
    public static List<Buffer> chunks(JsonObject completion, boolean includeUsage) {
        List<Buffer> out = new ArrayList<>();
        JsonArray choices = completion.getJsonArray("choices", new JsonArray());
        for (Object item : choices) {
            if (!(item instanceof JsonObject choice)) {
                continue;
            }
            int index = choice.getInteger("index", 0);
            JsonObject message = choice.getJsonObject("message", new JsonObject());
            JsonObject logprobs = choice.getValue("logprobs") instanceof JsonObject l ? l : null;
            // A tool call's or a refusal's message has no content, and its first delta says so, as OpenAI's do.
            Object firstContent = message.getValue("content") == null ? null : "";
            write(out, chunk(completion, index, new JsonObject().put("role", "assistant").put("content", firstContent)
                    .put("refusal", null), null, null, includeUsage));
            if (message.getValue("reasoning_content") instanceof String reasoning && !reasoning.isEmpty()) {
                write(out, chunk(completion, index, new JsonObject().putNull("content").put("reasoning_content", reasoning),
                        null, null, includeUsage));
            }
            if (message.getValue("content") instanceof String content && !content.isEmpty()) {
                write(out, chunk(completion, index, new JsonObject().put("content", content), null,
                        part(logprobs, "content"), includeUsage));
            }
            if (message.getValue("refusal") instanceof String refusal && !refusal.isEmpty()) {
                write(out, chunk(completion, index, new JsonObject().put("refusal", refusal), null,
                        part(logprobs, "refusal"), includeUsage));
            }
            if (message.getValue("tool_calls") instanceof JsonArray calls) {
                JsonArray deltas = new JsonArray();
                for (int i = 0; i < calls.size(); i++) {
                    deltas.add(calls.getJsonObject(i).copy().put("index", i));
                }
                write(out, chunk(completion, index, new JsonObject().put("tool_calls", deltas), null, null, includeUsage));
            }
            write(out, chunk(completion, index, new JsonObject(), choice.getValue("finish_reason"), null, includeUsage));
        }
        if (includeUsage && completion.getValue("usage") instanceof JsonObject usage) {
            write(out, head(completion).put("choices", new JsonArray()).put("usage", usage));
        }
        return out;
    }

    /** The log probabilities of one part (content or refusal) as a chunk carries them, or null. */
    private static JsonObject part(JsonObject logprobs, String name) {
        if (logprobs == null || !(logprobs.getValue(name) instanceof JsonArray tokens)) {
            return null;
        }
        return new JsonObject().put("content", "content".equals(name) ? tokens : null)
                .put("refusal", "refusal".equals(name) ? tokens : null);
    }

    private static JsonObject chunk(JsonObject completion, int index, JsonObject delta, Object finishReason,
                                    JsonObject logprobs, boolean usage) {
        JsonObject chunk = head(completion).put("choices", new JsonArray().add(new JsonObject().put("index", index)
                .put("delta", delta).put("logprobs", logprobs).put("finish_reason", finishReason)));
        if (usage) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    private static JsonObject head(JsonObject completion) {
        JsonObject head = new JsonObject().put("id", completion.getValue("id")).put("object", "chat.completion.chunk")
                .put("created", completion.getValue("created")).put("model", completion.getValue("model"));
        if (completion.containsKey("system_fingerprint")) {
            head.put("system_fingerprint", completion.getValue("system_fingerprint"));
        }
        return head;
    }

    private static void write(List<Buffer> out, JsonObject event) {
        out.add(event.toBuffer());
    }
}
