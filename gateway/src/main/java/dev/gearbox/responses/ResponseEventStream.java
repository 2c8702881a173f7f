package dev.gearbox.responses;

import dev.gearbox.cost.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns a canonical stream of chat completion chunks into the Responses API's typed events, in the order
 * OpenAI sends them: {@code response.created}, {@code response.in_progress}, then per output item
 * {@code output_item.added}, its deltas and its {@code .done} events, and last {@code response.completed}
 * (or {@code response.incomplete}), or {@code response.failed} when the stream was cut. One per stream; it
 * keeps the output so far, which is also the response a finished stream leaves.
 */
public final class ResponseEventStream {

    private final String id;
    private final JsonObject request;
    private final Consumer<JsonObject> events;
    private JsonObject response;
    private int sequence;
    /** The message item being written, or null. */
    private JsonObject message;
    private StringBuilder text;
    /** The function call items by the chunk's tool call index. */
    private final Map<Integer, Call> calls = new HashMap<>();
    private Call openCall;
    private String finishReason;
    private Usage usage;
    private boolean ended;

    private record Call(JsonObject item, int outputIndex, StringBuilder arguments) {
    }

    private ResponseEventStream(String id, JsonObject request, Consumer<JsonObject> events) {
        this.id = id;
        this.request = request;
        this.events = events;
    }

    /** A stream for the response {@code id} to {@code request} (the client's Responses body), writing to {@code events}. */
    public static ResponseEventStream of(String id, JsonObject request, Consumer<JsonObject> events) {
        return new ResponseEventStream(id, request, events);
    }

    /** One chat completion chunk. */
    public void chunk(JsonObject chunk) {
        start(chunk.getValue("model") instanceof String m ? m : null,
                chunk.getValue("created") instanceof Number n ? n.longValue() : 0);
        if (chunk.getValue("usage") instanceof JsonObject) {
            usage = Usage.fromJson(chunk.getValue("usage"));
        }
        if (!(chunk.getValue("choices") instanceof JsonArray choices) || choices.isEmpty()
                || !(choices.getValue(0) instanceof JsonObject choice)) {
            return;
        }
        if (choice.getValue("delta") instanceof JsonObject delta) {
            if (delta.getValue("content") instanceof String content && !content.isEmpty()) {
                text(content);
            }
            if (delta.getValue("refusal") instanceof String refusal && !refusal.isEmpty()) {
                text(refusal);
            }
            if (delta.getValue("tool_calls") instanceof JsonArray toolCalls) {
                for (Object value : toolCalls) {
                    if (value instanceof JsonObject toolCall) {
                        toolCall(toolCall);
                    }
                }
            }
        }
        if (choice.getValue("finish_reason") instanceof String finish) {
            finishReason = finish;
        }
    }

    /** The stream ended whole: closes the open items and completes the response. */
    public void done() {
        if (ended) {
            return;
        }
        start(null, 0);
        closeMessage();
        closeCall();
        ended = true;
        ResponseObject.finish(response, finishReason, usage);
        emit(new JsonObject().put("type", "completed".equals(response.getString("status"))
                ? "response.completed" : "response.incomplete").put("response", response));
    }

    /** The stream was cut: the response fails with {@code code}, never completes. */
    public void failed(String code, String message) {
        if (ended) {
            return;
        }
        start(null, 0);
        ended = true;
        response.put("status", "failed").put("error", new JsonObject().put("code", code).put("message", message))
                .put("usage", usage == null ? null : ResponseObject.usage(usage));
        emit(new JsonObject().put("type", "response.failed").put("response", response));
    }

    /** The response so far; once {@link #done()}, the whole response. */
    public JsonObject response() {
        return response;
    }

    private void start(String model, long createdAt) {
        if (response != null) {
            return;
        }
        response = ResponseObject.envelope(id, request, model != null ? model : String.valueOf(request.getValue("model")),
                createdAt);
        emit(new JsonObject().put("type", "response.created").put("response", response.copy()));
        emit(new JsonObject().put("type", "response.in_progress").put("response", response.copy()));
    }

    private void text(String delta) {
        if (message == null) {
            closeCall();
            int index = output().size();
            message = ResponseObject.message(ResponseObject.itemId("msg", id, index), null, null, "in_progress");
            text = new StringBuilder();
            output().add(message);
            emit(new JsonObject().put("type", "response.output_item.added").put("output_index", index).put("item", message.copy()));
            emit(part("response.content_part.added", index).put("part", ResponseObject.outputText("")));
        }
        text.append(delta);
        emit(part("response.output_text.delta", output().size() - 1).put("delta", delta).put("logprobs", new JsonArray()));
    }

    private void toolCall(JsonObject delta) {
        int index = delta.getValue("index") instanceof Number n ? n.intValue() : 0;
        Call call = calls.get(index);
        JsonObject function = delta.getValue("function") instanceof JsonObject f ? f : new JsonObject();
        if (call == null) {
            closeMessage();
            closeCall();
            int outputIndex = output().size();
            JsonObject item = ResponseObject.functionCall(ResponseObject.itemId("fc", id, outputIndex),
                    delta.getValue("id") instanceof String s ? s : "",
                    function.getValue("name") instanceof String s ? s : "", "", "in_progress");
            call = new Call(item, outputIndex, new StringBuilder());
            calls.put(index, call);
            openCall = call;
            output().add(item);
            emit(new JsonObject().put("type", "response.output_item.added").put("output_index", outputIndex)
                    .put("item", item.copy()));
        }
        if (function.getValue("arguments") instanceof String arguments && !arguments.isEmpty()) {
            call.arguments().append(arguments);
            emit(new JsonObject().put("type", "response.function_call_arguments.delta")
                    .put("item_id", call.item().getString("id")).put("output_index", call.outputIndex()).put("delta", arguments));
        }
    }

    private void closeMessage() {
        if (message == null) {
            return;
        }
        int index = output().size() - 1;
        String all = text.toString();
        emit(part("response.output_text.done", index).put("text", all).put("logprobs", new JsonArray()));
        emit(part("response.content_part.done", index).put("part", ResponseObject.outputText(all)));
        message.put("status", "completed").getJsonArray("content").add(ResponseObject.outputText(all));
        emit(new JsonObject().put("type", "response.output_item.done").put("output_index", index).put("item", message.copy()));
        message = null;
        text = null;
    }

    private void closeCall() {
        if (openCall == null) {
            return;
        }
        JsonObject item = openCall.item();
        String arguments = openCall.arguments().toString();
        item.put("arguments", arguments).put("status", "completed");
        emit(new JsonObject().put("type", "response.function_call_arguments.done").put("item_id", item.getString("id"))
                .put("output_index", openCall.outputIndex()).put("name", item.getString("name")).put("arguments", arguments));
        emit(new JsonObject().put("type", "response.output_item.done").put("output_index", openCall.outputIndex())
                .put("item", item.copy()));
        openCall = null;
    }

    private JsonObject part(String type, int outputIndex) {
        return new JsonObject().put("type", type).put("item_id", output().getJsonObject(outputIndex).getString("id"))
                .put("output_index", outputIndex).put("content_index", 0);
    }

    private JsonArray output() {
        return response.getJsonArray("output");
    }

    private void emit(JsonObject event) {
        event.put("sequence_number", sequence++);
        events.accept(event);
    }
}
