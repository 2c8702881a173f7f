package dev.gearbox.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Assembles the chunks of a streamed chat completion into the completion a non-streaming request would
 * have returned, as the stream passes through, so it can be cached and replayed in either form, or judged.
 */
public final class CompletionAssembler {

    private final TreeMap<Integer, Choice> choices = new TreeMap<>();
    private JsonObject head;
    private JsonObject usage;

    /** Adds one event's data (a chunk); unreadable data is ignored. */
    public void add(Buffer data) {
        JsonObject chunk;
        try {
            chunk = new JsonObject(data);
        } catch (RuntimeException notJson) {
            return;
        }
        if (head == null) {
            head = new JsonObject().put("id", chunk.getValue("id")).put("object", "chat.completion")
                    .put("created", chunk.getValue("created")).put("model", chunk.getValue("model"));
            if (chunk.containsKey("system_fingerprint")) {
                head.put("system_fingerprint", chunk.getValue("system_fingerprint"));
            }
        }
        if (chunk.getValue("usage") instanceof JsonObject u) {
            usage = u;
        }
        if (chunk.getValue("choices") instanceof JsonArray list) {
            for (Object item : list) {
                if (item instanceof JsonObject c) {
                    choices.computeIfAbsent(c.getInteger("index", 0), i -> new Choice()).add(c);
                }
            }
        }
    }

    /** The assembled completion, or null when nothing was assembled. */
    public JsonObject completion() {
        if (head == null) {
            return null;
        }
        JsonArray out = new JsonArray();
        choices.forEach((index, choice) -> out.add(choice.toJson(index)));
        JsonObject completion = head.copy().put("choices", out);
        if (usage != null) {
            completion.put("usage", usage);
        }
        return completion;
    }

    private static final class Choice {
        private final StringBuilder content = new StringBuilder();
        private final StringBuilder reasoning = new StringBuilder();
        private final StringBuilder refusal = new StringBuilder();
        private final JsonArray contentLogprobs = new JsonArray();
        private final JsonArray refusalLogprobs = new JsonArray();
        private boolean sawLogprobs;
        private boolean sawRefusal;
        private final TreeMap<Integer, JsonObject> toolCalls = new TreeMap<>();
        private final TreeMap<Integer, StringBuilder> arguments = new TreeMap<>();
        private boolean sawContent;
        private String finishReason;

        void add(JsonObject c) {
            if (c.getValue("finish_reason") instanceof String reason) {
                finishReason = reason;
            }
            if (c.getValue("logprobs") instanceof JsonObject logprobs) {
                sawLogprobs = true;
                if (logprobs.getValue("content") instanceof JsonArray tokens) {
                    contentLogprobs.addAll(tokens);
                }
                if (logprobs.getValue("refusal") instanceof JsonArray tokens) {
                    refusalLogprobs.addAll(tokens);
                }
            }
            if (!(c.getValue("delta") instanceof JsonObject delta)) {
                return;
            }
            if (delta.getValue("content") instanceof String s && !s.isEmpty()) {
                content.append(s);
                sawContent = true;
            }
            if (delta.getValue("reasoning_content") instanceof String s) {
                reasoning.append(s);
            }
            if (delta.getValue("refusal") instanceof String s) {
                refusal.append(s);
                sawRefusal = true;
            }
            if (delta.getValue("tool_calls") instanceof JsonArray calls) {
                for (Object item : calls) {
                    if (item instanceof JsonObject call) {
                        int i = call.getInteger("index", 0);
                        JsonObject known = toolCalls.computeIfAbsent(i, k -> new JsonObject().put("type", "function")
                                .put("function", new JsonObject()));
                        if (call.getValue("id") instanceof String id) {
                            known.put("id", id);
                        }
                        if (call.getValue("type") instanceof String type) {
                            known.put("type", type);
                        }
                        if (call.getValue("function") instanceof JsonObject f) {
                            if (f.getValue("name") instanceof String name) {
                                known.getJsonObject("function").put("name", name);
                            }
                            if (f.getValue("arguments") instanceof String args) {
                                arguments.computeIfAbsent(i, k -> new StringBuilder()).append(args);
                            }
                        }
                    }
                }
            }
        }

        JsonObject toJson(int index) {
            // A refusal or a tool call is the answer instead of content, and then content is null, as OpenAI sends it.
            JsonObject message = new JsonObject().put("role", "assistant")
                    .put("content", sawContent || toolCalls.isEmpty() && !sawRefusal ? content.toString() : null)
                    .put("refusal", sawRefusal ? refusal.toString() : null);
            if (reasoning.length() > 0) {
                message.put("reasoning_content", reasoning.toString());
            }
            if (!toolCalls.isEmpty()) {
                List<Object> calls = new ArrayList<>();
                toolCalls.forEach((i, call) -> {
                    call.getJsonObject("function").put("arguments", arguments.getOrDefault(i, new StringBuilder()).toString());
                    calls.add(new JsonObject().put("id", call.getValue("id")).put("type", call.getValue("type"))
                            .put("function", call.getJsonObject("function")));
                });
                message.put("tool_calls", new JsonArray(calls));
            }
            JsonObject logprobs = !sawLogprobs ? null : new JsonObject()
                    .put("content", contentLogprobs.isEmpty() ? null : contentLogprobs)
                    .put("refusal", refusalLogprobs.isEmpty() ? null : refusalLogprobs);
            return new JsonObject().put("index", index).put("message", message).put("logprobs", logprobs)
                    .put("finish_reason", finishReason);
        }
    }
}
