package dev.gearbox.inbound.anthropic;

import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Renders a canonical chunk stream as Anthropic's event stream, one stream per instance.
 *
 * <p>The first chunk opens the message ({@code message_start}); content, {@code reasoning_content} and
 * tool-call deltas open and fill content blocks of their kind, closing the one before; a whole block in
 * {@code thinking_blocks} gives a thinking block its signature (or is a redacted block). The end gives
 * {@code message_delta} with the stop reason and usage, then {@code message_stop}. A stream that was cut
 * ends in an {@code error} event and no {@code message_stop}, so a client never takes a partial answer for
 * a whole one.
 */
final class ChatToMessagesStream {

    private enum Block { NONE, TEXT, THINKING, TOOL }

    private final Consumer<Buffer> out;
    private final String model;
    private boolean started;
    private boolean over;
    private Block open = Block.NONE;
    private int index = -1;
    /** Content block index by tool call index. */
    private final Map<Integer, Integer> toolBlocks = new HashMap<>();
    private int openTool = -1;
    private String stopReason = "end_turn";
    private JsonObject usage = new JsonObject();

    /**
     * @param out where the events' bytes go
     * @param model the model to name in {@code message_start} until upstream names one
     */
    ChatToMessagesStream(Consumer<Buffer> out, String model) {
        this.out = out;
        this.model = model;
    }

    /** Whether the stream has had its last event, after which nothing more is written. */
    boolean over() {
        return over;
    }

    /** Writes the events for one canonical chunk. */
    void event(SseEvent data) {
        if (over) {
            return;
        }
        JsonObject chunk = new JsonObject(data.toBuffer());
        if (chunk.getValue("error") instanceof JsonObject error) {
            // Upstream's own error event: the stream ends here, as Anthropic ends one.
            over = true;
            write("error", errorEvent(String.valueOf(error.getValue("message")), null));
            return;
        }
        start(chunk);
        if (chunk.getValue("usage") instanceof JsonObject u) {
            usage = u;
        }
        if (!(chunk.getValue("choices") instanceof JsonArray choices) || choices.isEmpty()
                || !(choices.getValue(0) instanceof JsonObject choice)) {
            return;
        }
        if (choice.getValue("delta") instanceof JsonObject delta) {
            delta(delta);
        }
        if (choice.getValue("finish_reason") instanceof String finish) {
            stopReason = ChatToMessagesAnswer.stopReason(finish);
        }
    }

    private void start(JsonObject chunk) {
        if (started) {
            return;
        }
        started = true;
        JsonObject message = new JsonObject().put("id", ChatToMessagesAnswer.messageId(chunk.getValue("id")))
                .put("type", "message").put("role", "assistant")
                .put("model", chunk.getValue("model") instanceof String m ? m : model)
                .put("content", new JsonArray()).put("stop_reason", null).put("stop_sequence", null)
                .put("usage", new JsonObject().put("input_tokens", 0).put("output_tokens", 0));
        write("message_start", new JsonObject().put("type", "message_start").put("message", message));
    }

    private void delta(JsonObject delta) {
        if (delta.getValue("reasoning_content") instanceof String reasoning && !reasoning.isEmpty()) {
            open(Block.THINKING, new JsonObject().put("type", "thinking").put("thinking", "").put("signature", ""));
            blockDelta(new JsonObject().put("type", "thinking_delta").put("thinking", reasoning));
        }
        if (delta.getValue("thinking_blocks") instanceof JsonArray blocks) {
            for (Object value : blocks) {
                if (value instanceof JsonObject block) {
                    thinkingBlock(block);
                }
            }
        }
        if (delta.getValue("content") instanceof String text && !text.isEmpty()) {
            open(Block.TEXT, new JsonObject().put("type", "text").put("text", ""));
            blockDelta(new JsonObject().put("type", "text_delta").put("text", text));
        }
        if (delta.getValue("tool_calls") instanceof JsonArray calls) {
            for (Object value : calls) {
                if (value instanceof JsonObject call) {
                    toolCall(call);
                }
            }
        }
    }

    private void thinkingBlock(JsonObject block) {
        if ("redacted_thinking".equals(block.getValue("type"))) {
            close();
            open(Block.THINKING, block);
            close();
            return;
        }
        if (open != Block.THINKING) {
            // A provider that sends the whole block without deltas before it.
            open(Block.THINKING, new JsonObject().put("type", "thinking").put("thinking", "").put("signature", ""));
            if (block.getValue("thinking") instanceof String text && !text.isEmpty()) {
                blockDelta(new JsonObject().put("type", "thinking_delta").put("thinking", text));
            }
        }
        if (block.getValue("signature") instanceof String signature && !signature.isEmpty()) {
            blockDelta(new JsonObject().put("type", "signature_delta").put("signature", signature));
        }
        close();
    }

    private void toolCall(JsonObject call) {
        int callIndex = call.getValue("index") instanceof Number n ? n.intValue() : 0;
        JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
        if (!toolBlocks.containsKey(callIndex)) {
            close();
            open(Block.TOOL, new JsonObject().put("type", "tool_use").put("id", call.getValue("id"))
                    .put("name", function.getValue("name")).put("input", new JsonObject()));
            toolBlocks.put(callIndex, index);
            openTool = callIndex;
        } else if (openTool != callIndex) {
            // Anthropic's blocks do not interleave; a call resumed after another cannot be told apart, and is dropped.
            return;
        }
        if (function.getValue("arguments") instanceof String arguments && !arguments.isEmpty()) {
            blockDelta(new JsonObject().put("type", "input_json_delta").put("partial_json", arguments));
        }
    }

    private void open(Block kind, JsonObject block) {
        if (open == kind && kind != Block.TOOL) {
            return;
        }
        close();
        open = kind;
        index++;
        write("content_block_start", new JsonObject().put("type", "content_block_start").put("index", index)
                .put("content_block", block));
    }

    private void blockDelta(JsonObject delta) {
        write("content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", index)
                .put("delta", delta));
    }

    private void close() {
        if (open == Block.NONE) {
            return;
        }
        write("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", index));
        open = Block.NONE;
        openTool = -1;
    }

    /** Writes the last events for how the stream ended. */
    void end(StreamEnd end) {
        if (over) {
            return;
        }
        over = true;
        if (end instanceof StreamEnd.Done) {
            start(new JsonObject());
            close();
            JsonObject counts = ChatToMessagesAnswer.usage(usage);
            write("message_delta", new JsonObject().put("type", "message_delta")
                    .put("delta", new JsonObject().put("stop_reason", stopReason).put("stop_sequence", null))
                    .put("usage", counts));
            write("message_stop", new JsonObject().put("type", "message_stop"));
        } else if (end instanceof StreamEnd.Failed f) {
            write("error", errorEvent(f.error().getMessage(), f.error()));
        } else {
            write("error", errorEvent("The upstream stream failed before the answer was complete.", null));
        }
    }

    private static JsonObject errorEvent(String message, ApiException error) {
        String type = error == null ? "api_error" : MessagesApi.errorType(error.status());
        return new JsonObject().put("type", "error").put("error", new JsonObject().put("type", type).put("message", message));
    }

    private void write(String event, JsonObject data) {
        out.accept(frame(event, data));
    }

    static Buffer frame(String event, JsonObject data) {
        return Buffer.buffer("event: " + event + "\ndata: ").appendBuffer(data.toBuffer()).appendString("\n\n");
    }
}
