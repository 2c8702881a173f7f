package dev.gearbox.providers.anthropic;

import dev.gearbox.providers.ProviderError;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.SseParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Translates Anthropic's Messages event stream into canonical chat completion chunks, one stream per instance.
 *
 * <p>{@code message_start} gives the role chunk, text and thinking deltas give {@code content} and
 * {@code reasoning_content} deltas, a {@code tool_use} block gives a tool call (its id and name first, then
 * its arguments as they arrive), and a finished thinking block is sent whole in {@code thinking_blocks},
 * signature included, so a client can send it back. {@code message_delta} gives the finish reason,
 * {@code message_stop} the usage chunk and {@code [DONE]}; {@code ping} gives nothing, and an {@code error}
 * event an OpenAI-shaped error event, which the relay treats as a cut stream.
 */
final class MessagesToChatStream {

    private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private final String jsonTool;
    private final long created;
    private final SseParser parser;
    private Consumer<SseEvent> events;
    private String id;
    private String model;
    private final JsonObject usage = new JsonObject();
    /** Tool call index by content block index, for the blocks that are tool calls. */
    private final Map<Integer, Integer> toolCalls = new HashMap<>();
    /** The content block indexes whose JSON input is the answer (a forced JSON response format). */
    private final Map<Integer, Boolean> jsonAnswers = new HashMap<>();
    private JsonObject thinking;
    private StringBuilder thinkingText;
    private String finishReason;

    /**
     * @param jsonTool the tool a JSON response format was forced through, whose input is the answer; null for none
     * @param created the completion's creation time, in epoch seconds
     */
    MessagesToChatStream(String jsonTool, long created) {
        this.jsonTool = jsonTool;
        this.created = created;
        this.parser = new SseParser(MAX_EVENT_BYTES, this::onEvent);
    }

    void feed(Buffer chunk, Consumer<SseEvent> events) {
        this.events = events;
        parser.feed(chunk);
    }

    private void onEvent(SseEvent data) {
        JsonObject event = new JsonObject(data.toBuffer());
        switch (String.valueOf(event.getValue("type"))) {
            case "message_start" -> messageStart(event.getJsonObject("message", new JsonObject()));
            case "content_block_start" -> blockStart(event.getInteger("index", 0), event.getJsonObject("content_block"));
            case "content_block_delta" -> blockDelta(event.getInteger("index", 0), event.getJsonObject("delta"));
            case "content_block_stop" -> blockStop();
            case "message_delta" -> messageDelta(event);
            case "message_stop" -> messageStop();
            case "error" -> {
                ProviderError error = MessagesErrors.read(event);
                emit(new JsonObject().put("error", new JsonObject().put("message", error.message())
                        .put("type", error.type()).put("code", error.type())));
            }
            default -> {
                // ping, and event types added later, carry nothing for the answer.
            }
        }
    }

    private void messageStart(JsonObject message) {
        id = message.getString("id");
        model = message.getString("model");
        if (message.getValue("usage") instanceof JsonObject u) {
            usage.mergeIn(u);
        }
        emit(chunk(new JsonObject().put("role", "assistant").put("content", ""), null));
    }

    private void blockStart(int index, JsonObject block) {
        if (block == null) {
            return;
        }
        switch (String.valueOf(block.getValue("type"))) {
            case "text" -> {
                String text = block.getString("text", "");
                if (!text.isEmpty()) {
                    emit(chunk(new JsonObject().put("content", text), null));
                }
            }
            case "tool_use" -> {
                if (jsonTool != null && jsonTool.equals(block.getValue("name"))) {
                    jsonAnswers.put(index, true);
                    return;
                }
                int call = toolCalls.size();
                toolCalls.put(index, call);
                JsonObject function = new JsonObject().put("name", block.getValue("name")).put("arguments", "");
                JsonObject toolCall = new JsonObject().put("index", call).put("id", block.getValue("id"))
                        .put("type", "function").put("function", function);
                emit(chunk(new JsonObject().put("tool_calls", new JsonArray().add(toolCall)), null));
            }
            case "thinking" -> {
                thinking = new JsonObject().put("type", "thinking");
                thinkingText = new StringBuilder(block.getString("thinking", ""));
                if (block.getValue("signature") instanceof String s && !s.isEmpty()) {
                    thinking.put("signature", s);
                }
            }
            case "redacted_thinking" -> {
                thinking = block;
                thinkingText = null;
            }
            default -> {
                // Server tool blocks have no place in a chat completion.
            }
        }
    }

    private void blockDelta(int index, JsonObject delta) {
        if (delta == null) {
            return;
        }
        switch (String.valueOf(delta.getValue("type"))) {
            case "text_delta" -> emit(chunk(new JsonObject().put("content", delta.getString("text", "")), null));
            case "input_json_delta" -> {
                String partial = delta.getString("partial_json", "");
                if (jsonAnswers.containsKey(index)) {
                    emit(chunk(new JsonObject().put("content", partial), null));
                } else if (toolCalls.containsKey(index)) {
                    emit(chunk(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
                            .put("index", toolCalls.get(index))
                            .put("function", new JsonObject().put("arguments", partial)))), null));
                }
            }
            case "thinking_delta" -> {
                String text = delta.getString("thinking", "");
                if (thinkingText != null) {
                    thinkingText.append(text);
                }
                emit(chunk(new JsonObject().put("reasoning_content", text), null));
            }
            case "signature_delta" -> {
                if (thinking != null) {
                    thinking.put("signature", delta.getString("signature"));
                }
            }
            default -> {
                // citations_delta and later delta types carry nothing a chat completion has.
            }
        }
    }

    private void blockStop() {
        if (thinking == null) {
            return;
        }
        JsonObject block = thinking;
        if (thinkingText != null) {
            // Key order as Anthropic sends the block: type, thinking, signature.
            block = new JsonObject().put("type", "thinking").put("thinking", thinkingText.toString());
            if (thinking.getValue("signature") != null) {
                block.put("signature", thinking.getValue("signature"));
            }
        }
        thinking = null;
        thinkingText = null;
        emit(chunk(new JsonObject().put("thinking_blocks", new JsonArray().add(block)), null));
    }

    private void messageDelta(JsonObject event) {
        if (event.getValue("usage") instanceof JsonObject u) {
            // Counts here are cumulative and replace those of message_start.
            u.forEach(e -> {
                if (e.getValue() != null) {
                    usage.put(e.getKey(), e.getValue());
                }
            });
        }
        Object stopReason = event.getValue("delta") instanceof JsonObject d ? d.getValue("stop_reason") : null;
        finishReason = !jsonAnswers.isEmpty() && "tool_use".equals(stopReason) ? "stop"
                : MessagesToChatAnswer.finishReason(stopReason);
        emit(chunk(new JsonObject(), finishReason));
    }

    private void messageStop() {
        if (finishReason == null) {
            emit(chunk(new JsonObject(), "stop"));
        }
        emit(new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model).put("choices", new JsonArray())
                .put("usage", MessagesToChatAnswer.canonicalUsage(usage)));
        events.accept(new SseEvent(DONE, 0, DONE.length));
    }

    private JsonObject chunk(JsonObject delta, String finish) {
        return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model).put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("delta", delta).put("logprobs", null).put("finish_reason", finish)));
    }

    private void emit(JsonObject chunk) {
        byte[] bytes = chunk.toBuffer().getBytes();
        events.accept(new SseEvent(bytes, 0, bytes.length));
    }
}
