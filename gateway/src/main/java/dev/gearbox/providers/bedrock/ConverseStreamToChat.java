package dev.gearbox.providers.bedrock;

import dev.gearbox.cost.Usage;
import dev.gearbox.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * ConverseStream's {@code application/vnd.amazon.eventstream} as chat completion chunks, decoded as the bytes
 * arrive by the AWS SDK's event stream decoder, which checks each frame's prelude and message CRC32 (a frame
 * that fails them fails the stream: nothing corrupt is relayed). Text, tool input and Claude's reasoning are
 * deltas as they come; a reasoning block, once it stops, is sent whole with its signature as
 * {@code thinking_blocks}; {@code messageStop} is the finish chunk and {@code metadata} the usage chunk and
 * {@code [DONE]}. An exception frame mid-stream ({@code throttlingException}, {@code modelStreamErrorException},
 * ...) is passed on as an error event in OpenAI's shape.
 */
final class ConverseStreamToChat {

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private final String jsonTool;
    private final String id;
    private final String model;
    private final long created;
    private final MessageDecoder decoder = new MessageDecoder(this::onMessage);
    private Consumer<SseEvent> events;
    /** Per content block: the tool call index of a tool use, or -1 for the JSON tool's answer. */
    private final Map<Integer, Integer> calls = new HashMap<>();
    private final Map<Integer, StringBuilder> thinking = new HashMap<>();
    private final Map<Integer, String> signatures = new HashMap<>();
    private boolean calledTools;
    private boolean done;

    ConverseStreamToChat(String jsonTool, String id, String model, long created) {
        this.jsonTool = jsonTool;
        this.id = id;
        this.model = model;
        this.created = created;
    }

    void feed(Buffer chunk, Consumer<SseEvent> events) {
        this.events = events;
        decoder.feed(chunk.getBytes());
    }

    private void onMessage(Message message) {
        if (done) {
            return;
        }
        Map<String, HeaderValue> headers = message.getHeaders();
        String type = header(headers, ":message-type");
        JsonObject payload = message.getPayload().length == 0 ? new JsonObject()
                : new JsonObject(Buffer.buffer(message.getPayload()));
        if ("exception".equals(type) || "error".equals(type)) {
            String code = header(headers, "exception".equals(type) ? ":exception-type" : ":error-code");
            emit(new JsonObject().put("error", new JsonObject()
                    .put("message", payload.getValue("message") instanceof String m ? m
                            : payload.getValue("Message") instanceof String m2 ? m2 : "The upstream stream failed: " + code)
                    .put("type", "server_error").put("code", code)));
            return;
        }
        String event = header(headers, ":event-type");
        if (event == null) {
            throw new IllegalArgumentException("an event stream frame without an event type");
        }
        int index = payload.getValue("contentBlockIndex") instanceof Number n ? n.intValue() : 0;
        switch (event) {
            case "messageStart" -> chunk(new JsonObject().put("role", "assistant").put("content", ""), null);
            case "contentBlockStart" -> start(index, payload.getValue("start") instanceof JsonObject s ? s : new JsonObject());
            case "contentBlockDelta" -> delta(index, payload.getValue("delta") instanceof JsonObject d ? d : new JsonObject());
            case "contentBlockStop" -> stop(index);
            case "messageStop" -> chunk(new JsonObject(), ConverseAnswers.finishReason(
                    jsonTool != null ? "end_turn" : payload.getValue("stopReason"), calledTools));
            case "metadata" -> {
                done = true;
                Usage usage = ConverseAnswers.usage(payload.getValue("usage"));
                if (usage != null) {
                    emit(base().put("choices", new JsonArray()).put("usage", ConverseAnswers.chatUsage(usage)));
                }
                events.accept(new SseEvent(DONE, 0, DONE.length));
            }
            default -> {
                // Events this gateway does not read (a newer API's) carry nothing of the answer it relays.
            }
        }
    }

    private void start(int index, JsonObject start) {
        if (!(start.getValue("toolUse") instanceof JsonObject use)) {
            return;
        }
        if (use.getString("name", "").equals(jsonTool)) {
            calls.put(index, -1);
            return;
        }
        int call = (int) calls.values().stream().filter(c -> c >= 0).count();
        calls.put(index, call);
        calledTools = true;
        chunk(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", call)
                .put("id", use.getValue("toolUseId")).put("type", "function")
                .put("function", new JsonObject().put("name", use.getValue("name")).put("arguments", "")))), null);
    }

    private void delta(int index, JsonObject delta) {
        if (delta.getValue("text") instanceof String text) {
            chunk(new JsonObject().put("content", text), null);
        } else if (delta.getValue("toolUse") instanceof JsonObject use && use.getValue("input") instanceof String input) {
            Integer call = calls.get(index);
            if (call != null && call < 0) {
                chunk(new JsonObject().put("content", input), null);
            } else if (call != null) {
                chunk(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", call)
                        .put("function", new JsonObject().put("arguments", input)))), null);
            }
        } else if (delta.getValue("reasoningContent") instanceof JsonObject reasoning) {
            if (reasoning.getValue("text") instanceof String text) {
                thinking.computeIfAbsent(index, i -> new StringBuilder()).append(text);
                chunk(new JsonObject().putNull("content").put("reasoning_content", text), null);
            } else if (reasoning.getValue("signature") instanceof String signature) {
                signatures.put(index, signature);
            } else if (reasoning.getValue("redactedContent") instanceof String data) {
                chunk(new JsonObject().put("thinking_blocks", new JsonArray().add(new JsonObject()
                        .put("type", "redacted_thinking").put("data", data))), null);
            }
        }
    }

    private void stop(int index) {
        StringBuilder thought = thinking.remove(index);
        if (thought == null) {
            return;
        }
        JsonObject block = new JsonObject().put("type", "thinking").put("thinking", thought.toString());
        String signature = signatures.remove(index);
        if (signature != null) {
            block.put("signature", signature);
        }
        chunk(new JsonObject().put("thinking_blocks", new JsonArray().add(block)), null);
    }

    private static String header(Map<String, HeaderValue> headers, String name) {
        HeaderValue value = headers.get(name);
        return value == null ? null : value.getString();
    }

    private void chunk(JsonObject delta, String finishReason) {
        emit(base().put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
                .putNull("logprobs").put("finish_reason", finishReason))));
    }

    private JsonObject base() {
        return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
    }

    private void emit(JsonObject json) {
        byte[] bytes = json.toBuffer().getBytes();
        events.accept(new SseEvent(bytes, 0, bytes.length));
    }
}
