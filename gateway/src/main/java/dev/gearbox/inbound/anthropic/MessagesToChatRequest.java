package dev.gearbox.inbound.anthropic;

import static dev.gearbox.wire.JsonValues.describe;
import static dev.gearbox.wire.JsonValues.isInteger;

import dev.gearbox.wire.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Checks an Anthropic Messages request and translates it into a canonical chat completion request.
 *
 * <p>Errors name the Messages field, as Anthropic's own do. The canonical form is what routing, budgets and
 * providers other than Anthropic's read: text, images, tool use and results, tools and tool choice, sampling
 * and stop sequences, and a thinking budget as {@code reasoning_effort}. What only Anthropic can use is left
 * out of it: earlier thinking blocks (their signatures are Anthropic's), {@code cache_control}, server tools,
 * documents, citations and fields added to the API later, since OpenAI-compatible APIs refuse fields they do
 * not know. An Anthropic provider is sent the client's own body, where all of it stays.
 */
final class MessagesToChatRequest {

    private MessagesToChatRequest() {
    }

    static JsonObject translate(JsonObject body) {
        JsonObject chat = new JsonObject();
        if (!(body.getValue("model") instanceof String model) || model.isBlank()) {
            throw invalid("model", "model: Field required (expected: a model name)");
        }
        chat.put("model", model);
        Object maxTokens = body.getValue("max_tokens");
        if (!isInteger(maxTokens, 1, Integer.MAX_VALUE)) {
            throw invalid("max_tokens", "max_tokens: " + describe(maxTokens) + " (expected: an integer >= 1)");
        }
        chat.put("max_tokens", maxTokens);
        JsonArray messages = new JsonArray();
        system(body.getValue("system"), messages);
        turns(body.getValue("messages"), messages);
        chat.put("messages", messages);
        Object stream = body.getValue("stream");
        if (stream != null && !(stream instanceof Boolean)) {
            throw invalid("stream", "stream: " + describe(stream) + " (expected: a boolean)");
        }
        if (Boolean.TRUE.equals(stream)) {
            // The usage chunk carries what message_delta reports at the end of the stream.
            chat.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
        }
        number(body, "temperature", 0, 1, chat, "temperature");
        number(body, "top_p", 0, 1, chat, "top_p");
        Object topK = body.getValue("top_k");
        if (topK != null && !(topK instanceof Integer || topK instanceof Long)) {
            throw invalid("top_k", "top_k: " + describe(topK) + " (expected: an integer)");
        }
        Object stop = body.getValue("stop_sequences");
        if (stop != null) {
            if (!(stop instanceof JsonArray s) || !s.stream().allMatch(String.class::isInstance)) {
                throw invalid("stop_sequences", "stop_sequences: " + describe(stop) + " (expected: an array of strings)");
            }
            if (!s.isEmpty()) {
                chat.put("stop", s.copy());
            }
        }
        Object metadata = body.getValue("metadata");
        if (metadata != null) {
            if (!(metadata instanceof JsonObject m)) {
                throw invalid("metadata", "metadata: " + describe(metadata) + " (expected: an object)");
            }
            if (m.getValue("user_id") instanceof String user) {
                chat.put("user", user);
            }
        }
        tools(body.getValue("tools"), chat);
        toolChoice(body.getValue("tool_choice"), chat);
        thinking(body.getValue("thinking"), chat);
        return chat;
    }

    private static void system(Object system, JsonArray messages) {
        if (system == null) {
            return;
        }
        if (system instanceof String text) {
            if (!text.isEmpty()) {
                messages.add(new JsonObject().put("role", "system").put("content", text));
            }
            return;
        }
        if (!(system instanceof JsonArray blocks)) {
            throw invalid("system", "system: " + describe(system) + " (expected: a string or an array of text blocks)");
        }
        JsonArray parts = new JsonArray();
        for (int i = 0; i < blocks.size(); i++) {
            parts.add(textPart(blocks.getValue(i), "system." + i));
        }
        messages.add(new JsonObject().put("role", "system").put("content", parts));
    }

    private static void turns(Object value, JsonArray messages) {
        if (!(value instanceof JsonArray turns)) {
            throw invalid("messages", "messages: " + (value == null ? "Field required" : describe(value))
                    + " (expected: an array of messages)");
        }
        if (turns.isEmpty()) {
            throw invalid("messages", "messages: at least one message is required");
        }
        for (int i = 0; i < turns.size(); i++) {
            String path = "messages." + i;
            if (!(turns.getValue(i) instanceof JsonObject turn)) {
                throw invalid(path, path + ": " + describe(turns.getValue(i)) + " (expected: an object)");
            }
            Object role = turn.getValue("role");
            Object content = turn.getValue("content");
            if (!(content instanceof String) && !(content instanceof JsonArray)) {
                throw invalid(path + ".content", path + ".content: " + describe(content)
                        + " (expected: a string or an array of content blocks)");
            }
            if ("user".equals(role)) {
                user(content, path, messages);
            } else if ("assistant".equals(role)) {
                messages.add(assistant(content, path));
            } else {
                throw invalid(path + ".role", path + ".role: " + describe(role) + " (expected: 'user' or 'assistant')");
            }
        }
    }

    /** A user turn: its tool results become tool messages, first, and the rest one user message. */
    private static void user(Object content, String path, JsonArray messages) {
        if (content instanceof String text) {
            messages.add(new JsonObject().put("role", "user").put("content", text));
            return;
        }
        JsonArray blocks = (JsonArray) content;
        JsonArray parts = new JsonArray();
        for (int i = 0; i < blocks.size(); i++) {
            String blockPath = path + ".content." + i;
            JsonObject block = block(blocks.getValue(i), blockPath);
            switch (block.getString("type")) {
                case "text" -> parts.add(textPart(block, blockPath));
                case "image" -> parts.add(image(block, blockPath));
                case "tool_result" -> messages.add(toolResult(block, blockPath));
                default -> {
                    // Documents, search results and server tool results have no chat form; a native upstream gets them.
                }
            }
        }
        if (!parts.isEmpty()) {
            messages.add(new JsonObject().put("role", "user").put("content", parts));
        }
    }

    private static JsonObject assistant(Object content, String path) {
        JsonObject message = new JsonObject().put("role", "assistant");
        if (content instanceof String text) {
            return message.put("content", text);
        }
        JsonArray blocks = (JsonArray) content;
        StringBuilder text = new StringBuilder();
        JsonArray toolCalls = new JsonArray();
        for (int i = 0; i < blocks.size(); i++) {
            String blockPath = path + ".content." + i;
            JsonObject block = block(blocks.getValue(i), blockPath);
            switch (block.getString("type")) {
                case "text" -> text.append(string(block, "text", blockPath));
                case "thinking" -> string(block, "thinking", blockPath);
                case "tool_use" -> {
                    Object input = block.getValue("input");
                    if (!(input instanceof JsonObject)) {
                        throw invalid(blockPath + ".input", blockPath + ".input: " + describe(input) + " (expected: an object)");
                    }
                    toolCalls.add(new JsonObject().put("id", string(block, "id", blockPath)).put("type", "function")
                            .put("function", new JsonObject().put("name", string(block, "name", blockPath))
                                    .put("arguments", ((JsonObject) input).encode())));
                }
                default -> {
                    // Redacted thinking and server tool use have no chat form; a native upstream gets them.
                }
            }
        }
        message.put("content", text.isEmpty() && !toolCalls.isEmpty() ? null : text.toString());
        if (!toolCalls.isEmpty()) {
            message.put("tool_calls", toolCalls);
        }
        return message;
    }

    private static JsonObject toolResult(JsonObject block, String path) {
        JsonObject message = new JsonObject().put("role", "tool").put("tool_call_id", string(block, "tool_use_id", path));
        Object content = block.getValue("content");
        StringBuilder text = new StringBuilder();
        if (content instanceof String s) {
            text.append(s);
        } else if (content instanceof JsonArray parts) {
            for (int i = 0; i < parts.size(); i++) {
                JsonObject part = block(parts.getValue(i), path + ".content." + i);
                if ("text".equals(part.getString("type"))) {
                    text.append(string(part, "text", path + ".content." + i));
                }
            }
        } else if (content != null) {
            throw invalid(path + ".content", path + ".content: " + describe(content) + " (expected: a string or an array of blocks)");
        }
        if (Boolean.TRUE.equals(block.getValue("is_error"))) {
            text.insert(0, "Error: ");
        }
        return message.put("content", text.toString());
    }

    private static JsonObject image(JsonObject block, String path) {
        if (!(block.getValue("source") instanceof JsonObject source)) {
            throw invalid(path + ".source", path + ".source: Field required (expected: an image source)");
        }
        String url = switch (String.valueOf(source.getValue("type"))) {
            case "base64" -> "data:" + string(source, "media_type", path + ".source") + ";base64,"
                    + string(source, "data", path + ".source");
            case "url" -> string(source, "url", path + ".source");
            default -> throw invalid(path + ".source.type", path + ".source.type: " + describe(source.getValue("type"))
                    + " (expected: 'base64' or 'url')");
        };
        return new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", url));
    }

    private static JsonObject textPart(Object value, String path) {
        JsonObject block = block(value, path);
        if (!"text".equals(block.getValue("type"))) {
            throw invalid(path + ".type", path + ".type: " + describe(block.getValue("type")) + " (expected: 'text')");
        }
        return new JsonObject().put("type", "text").put("text", string(block, "text", path));
    }

    private static void tools(Object value, JsonObject chat) {
        if (value == null) {
            return;
        }
        if (!(value instanceof JsonArray tools)) {
            throw invalid("tools", "tools: " + describe(value) + " (expected: an array of tools)");
        }
        JsonArray out = new JsonArray();
        for (int i = 0; i < tools.size(); i++) {
            String path = "tools." + i;
            if (!(tools.getValue(i) instanceof JsonObject tool)) {
                throw invalid(path, path + ": " + describe(tools.getValue(i)) + " (expected: an object)");
            }
            Object type = tool.getValue("type");
            if (type != null && !"custom".equals(type)) {
                continue; // A server tool (web search, code execution...) runs at Anthropic only.
            }
            if (!(tool.getValue("input_schema") instanceof JsonObject schema)) {
                throw invalid(path + ".input_schema", path + ".input_schema: Field required (expected: a JSON schema object)");
            }
            JsonObject function = new JsonObject().put("name", string(tool, "name", path));
            if (tool.getValue("description") instanceof String description) {
                function.put("description", description);
            }
            out.add(new JsonObject().put("type", "function").put("function", function.put("parameters", schema)));
        }
        if (!out.isEmpty()) {
            chat.put("tools", out);
        }
    }

    private static void toolChoice(Object value, JsonObject chat) {
        if (value == null) {
            return;
        }
        if (!(value instanceof JsonObject choice)) {
            throw invalid("tool_choice", "tool_choice: " + describe(value) + " (expected: an object with a 'type')");
        }
        Object type = choice.getValue("type");
        switch (String.valueOf(type)) {
            case "auto" -> chat.put("tool_choice", "auto");
            case "any" -> chat.put("tool_choice", "required");
            case "none" -> chat.put("tool_choice", "none");
            case "tool" -> chat.put("tool_choice", new JsonObject().put("type", "function")
                    .put("function", new JsonObject().put("name", string(choice, "name", "tool_choice"))));
            default -> throw invalid("tool_choice.type", "tool_choice.type: " + describe(type)
                    + " (expected: 'auto', 'any', 'tool' or 'none')");
        }
        if (Boolean.TRUE.equals(choice.getValue("disable_parallel_tool_use")) && chat.containsKey("tools")) {
            chat.put("parallel_tool_calls", false);
        }
    }

    /** A thinking budget as chat's effort, so routing and other providers see that the client wants reasoning. */
    private static void thinking(Object value, JsonObject chat) {
        if (value == null) {
            return;
        }
        if (!(value instanceof JsonObject thinking)) {
            throw invalid("thinking", "thinking: " + describe(value) + " (expected: an object with a 'type')");
        }
        Object type = thinking.getValue("type");
        if ("disabled".equals(type)) {
            return;
        }
        if (!"enabled".equals(type) && !"adaptive".equals(type)) {
            throw invalid("thinking.type", "thinking.type: " + describe(type) + " (expected: 'enabled' or 'disabled')");
        }
        long budget = thinking.getValue("budget_tokens") instanceof Number n ? n.longValue() : 4096;
        chat.put("reasoning_effort", budget < 2048 ? "low" : budget < 8192 ? "medium" : "high");
    }

    private static void number(JsonObject body, String field, double min, double max, JsonObject chat, String chatField) {
        Object value = body.getValue(field);
        if (value == null) {
            return;
        }
        if (!(value instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
            throw invalid(field, field + ": " + describe(value) + " (expected: a number from " + min + " to " + max + ")");
        }
        chat.put(chatField, value);
    }

    private static JsonObject block(Object value, String path) {
        if (!(value instanceof JsonObject block) || !(block.getValue("type") instanceof String)) {
            throw invalid(path, path + ": " + describe(value) + " (expected: a content block with a 'type')");
        }
        return block;
    }

    private static String string(JsonObject object, String field, String path) {
        if (!(object.getValue(field) instanceof String s)) {
            throw invalid(path + "." + field, path + "." + field + ": " + describe(object.getValue(field))
                    + " (expected: a string)");
        }
        return s;
    }

    static ApiException invalid(String param, String message) {
        return ApiException.invalidRequest(param, message);
    }
}
