package dev.gearbox.providers.gemini;

import dev.gearbox.cost.Usage;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.SseParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Gemini's {@code streamGenerateContent?alt=sse} as chat completion chunks, decoded as the bytes arrive: each
 * event is a partial {@code GenerateContentResponse}. Text and thought summaries become content and
 * {@code reasoning_content} deltas; a function call, which Gemini sends whole, becomes one tool call delta
 * with all its arguments (and its thought signature); the candidate's finish reason ends the answer with a
 * finish chunk, the usage chunk and {@code [DONE]}. An error event mid-stream is passed on in OpenAI's
 * shape, and a stream that ends without a finish reason ends without {@code [DONE]}, so it reads as cut.
 */
final class GeminiToChatStream {

    private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;
    private static final byte[] DONE = "[DONE]".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final long created;
    private final SseParser parser;
    private Consumer<SseEvent> events;
    private String id;
    private String model;
    /** Per candidate index: tool calls so far, and whether it has begun and ended. */
    private final Map<Integer, Integer> calls = new HashMap<>();
    private final Map<Integer, Boolean> begun = new HashMap<>();
    private int open;
    private int finished;
    private JsonObject usage;
    private boolean done;

    GeminiToChatStream(long created) {
        this.created = created;
        this.parser = new SseParser(MAX_EVENT_BYTES, this::onEvent);
    }

    void feed(Buffer chunk, Consumer<SseEvent> events) {
        this.events = events;
        parser.feed(chunk);
    }

    private void onEvent(SseEvent data) {
        if (done) {
            return;
        }
        JsonObject response = new JsonObject(data.toBuffer());
        if (response.getValue("error") instanceof JsonObject error) {
            emit(new JsonObject().put("error", new JsonObject()
                    .put("message", error.getValue("message") instanceof String m ? m : "The upstream stream failed.")
                    .put("type", "server_error").put("code", error.getValue("status"))));
            return;
        }
        if (id == null) {
            id = response.getValue("responseId") instanceof String r ? r : "gemini-" + created;
        }
        if (response.getValue("modelVersion") instanceof String m) {
            model = m;
        }
        if (response.getValue("usageMetadata") instanceof JsonObject u) {
            usage = u;
        }
        JsonArray candidates = response.getValue("candidates") instanceof JsonArray c ? c : new JsonArray();
        if (candidates.isEmpty() && response.getValue("promptFeedback") instanceof JsonObject feedback
                && feedback.getValue("blockReason") != null) {
            // A blocked prompt: no candidate will come; the answer is empty and says why.
            begin(0);
            chunk(0, new JsonObject(), "content_filter");
            end();
            return;
        }
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.getValue(i) instanceof JsonObject candidate) {
                candidate(candidate, candidate.getValue("index") instanceof Number n ? n.intValue() : i);
            }
        }
        if (open > 0 && finished == open) {
            end();
        }
    }

    private void candidate(JsonObject candidate, int index) {
        begin(index);
        Object parts = candidate.getValue("content") instanceof JsonObject content ? content.getValue("parts") : null;
        int before = calls.getOrDefault(index, 0);
        GeminiParts.Read read = GeminiParts.read(parts, before, GeminiParts.SYNTHETIC_ID + id + "_" + index + "_");
        if (read.sawThought && read.thoughts.length() > 0) {
            chunk(index, new JsonObject().putNull("content").put("reasoning_content", read.thoughts.toString()), null);
        }
        if (read.sawText && read.text.length() > 0) {
            chunk(index, new JsonObject().put("content", read.text.toString()), null);
        }
        if (read.textSignature != null) {
            chunk(index, new JsonObject().put("extra_content", GeminiParts.google(read.textSignature)), null);
        }
        if (!read.toolCalls.isEmpty()) {
            calls.put(index, before + read.toolCalls.size());
            chunk(index, new JsonObject().put("tool_calls", read.toolCalls), null);
        }
        String finish = GeminiParts.finishReason(candidate.getValue("finishReason"), calls.getOrDefault(index, 0) > 0);
        if (finish != null) {
            chunk(index, new JsonObject(), finish);
            finished++;
        }
    }

    private void begin(int index) {
        if (begun.putIfAbsent(index, true) == null) {
            open++;
            chunk(index, new JsonObject().put("role", "assistant").put("content", ""), null);
        }
    }

    /** Every candidate has finished: the usage, then the end. */
    private void end() {
        done = true;
        Usage counted = GeminiParts.usage(usage);
        if (counted != null) {
            emit(base().put("choices", new JsonArray()).put("usage", GeminiParts.chatUsage(counted)));
        }
        events.accept(new SseEvent(DONE, 0, DONE.length));
    }

    private void chunk(int index, JsonObject delta, String finishReason) {
        emit(base().put("choices", new JsonArray().add(new JsonObject().put("index", index).put("delta", delta)
                .putNull("logprobs").put("finish_reason", finishReason))));
    }

    private JsonObject base() {
        return new JsonObject().put("id", id == null ? "gemini-" + created : id).put("object", "chat.completion.chunk")
                .put("created", created).put("model", model);
    }

    private void emit(JsonObject json) {
        byte[] bytes = json.toBuffer().getBytes();
        events.accept(new SseEvent(bytes, 0, bytes.length));
    }
}
