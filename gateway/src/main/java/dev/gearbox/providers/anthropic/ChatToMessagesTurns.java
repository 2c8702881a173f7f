package dev.gearbox.providers.anthropic;

import static dev.gearbox.wire.JsonValues.quoted;

import dev.gearbox.wire.ApiException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A chat request's messages as Messages' {@code system} blocks and alternating turns of content blocks: text
 * (with its {@code cache_control}), images, tool use, tool results and the thinking blocks an earlier answer
 * carried.
 */
final class ChatToMessagesTurns {

    /** The system text and the alternating turns. */
    record Messages(JsonArray system, JsonArray turns) {
    }

    private ChatToMessagesTurns() {
    }

    static Messages messages(JsonArray chatMessages) {
        JsonArray system = new JsonArray();
        JsonArray turns = new JsonArray();
        for (int i = 0; i < chatMessages.size(); i++) {
            JsonObject message = chatMessages.getJsonObject(i);
            String param = "messages[" + i + "]";
            String role = message.getString("role");
            switch (role) {
                case "system", "developer" -> {
                    JsonArray blocks = textBlocks(message.getValue("content"), param + ".content");
                    blocks.forEach(system::add);
                }
                case "user" -> append(turns, "user", userBlocks(message.getValue("content"), param + ".content"));
                case "assistant" -> append(turns, "assistant", assistantBlocks(message, param));
                case "tool" -> append(turns, "user", new JsonArray().add(toolResult(message, param)));
                default -> throw ApiException.invalidRequest(param + ".role", "'" + param + ".role' is '" + role
                        + "', which Anthropic models do not take; use 'tool' messages for tool results.");
            }
        }
        if (turns.isEmpty()) {
            throw ApiException.invalidRequest("messages", "'messages' has no user or assistant message; "
                    + "Anthropic models need at least one.");
        }
        return new Messages(system, turns);
    }

    /** Adds blocks to the last turn when it has the same role, as Messages requires alternating turns. */
    private static void append(JsonArray turns, String role, JsonArray blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        if (!turns.isEmpty() && role.equals(turns.getJsonObject(turns.size() - 1).getString("role"))) {
            JsonArray content = turns.getJsonObject(turns.size() - 1).getJsonArray("content");
            if ("user".equals(role) && isToolResult(blocks) && !content.isEmpty() && !isToolResult(content)) {
                // Tool results must open their user turn; the text the client sent before them follows them.
                JsonArray merged = new JsonArray();
                blocks.forEach(merged::add);
                content.forEach(merged::add);
                turns.getJsonObject(turns.size() - 1).put("content", merged);
                return;
            }
            blocks.forEach(content::add);
            return;
        }
        turns.add(new JsonObject().put("role", role).put("content", blocks));
    }

    private static boolean isToolResult(JsonArray blocks) {
        return blocks.getValue(0) instanceof JsonObject b && "tool_result".equals(b.getString("type"));
    }

    private static JsonArray textBlocks(Object content, String param) {
        JsonArray blocks = new JsonArray();
        if (content == null) {
            return blocks;
        }
        if (content instanceof String text) {
            if (!text.isEmpty()) {
                blocks.add(new JsonObject().put("type", "text").put("text", text));
            }
            return blocks;
        }
        JsonArray parts = (JsonArray) content;
        for (int i = 0; i < parts.size(); i++) {
            String partParam = param + "[" + i + "]";
            if (!(parts.getValue(i) instanceof JsonObject part) || !"text".equals(part.getValue("type"))
                    || !(part.getValue("text") instanceof String text)) {
                throw ApiException.invalidRequest(partParam, "'" + partParam + "' must be a text part here.");
            }
            blocks.add(textBlock(text, part));
        }
        return blocks;
    }

    private static JsonObject textBlock(String text, JsonObject part) {
        JsonObject block = new JsonObject().put("type", "text").put("text", text);
        if (part.getValue("cache_control") instanceof JsonObject cache) {
            // Anthropic's prompt caching, which OpenAI-style clients pass on content parts as LiteLLM defined it.
            block.put("cache_control", cache);
        }
        return block;
    }

    private static JsonArray userBlocks(Object content, String param) {
        if (!(content instanceof JsonArray parts)) {
            return textBlocks(content, param);
        }
        JsonArray blocks = new JsonArray();
        for (int i = 0; i < parts.size(); i++) {
            String partParam = param + "[" + i + "]";
            if (!(parts.getValue(i) instanceof JsonObject part)) {
                throw ApiException.invalidRequest(partParam, "'" + partParam + "' must be a content part object.");
            }
            Object type = part.getValue("type");
            if ("text".equals(type) && part.getValue("text") instanceof String text) {
                blocks.add(textBlock(text, part));
            } else if ("image_url".equals(type)) {
                blocks.add(image(part, partParam));
            } else {
                throw ApiException.invalidRequest(partParam + ".type", "'" + partParam + ".type' is " + quoted(type)
                        + "; Anthropic models take 'text' and 'image_url' parts.");
            }
        }
        return blocks;
    }

    private static JsonObject image(JsonObject part, String param) {
        Object imageUrl = part.getValue("image_url");
        String url = imageUrl instanceof JsonObject o && o.getValue("url") instanceof String u ? u
                : imageUrl instanceof String s ? s : null;
        if (url == null) {
            throw ApiException.invalidRequest(param + ".image_url.url", "'" + param + ".image_url.url' must be a string.");
        }
        JsonObject source;
        if (url.startsWith("data:")) {
            int semicolon = url.indexOf(';');
            int comma = url.indexOf(',');
            if (semicolon < 0 || comma < semicolon || !url.substring(semicolon, comma).equals(";base64")) {
                throw ApiException.invalidRequest(param + ".image_url.url", "'" + param
                        + ".image_url.url' is a data URL that is not base64 ('data:<media type>;base64,<data>').");
            }
            source = new JsonObject().put("type", "base64").put("media_type", url.substring(5, semicolon))
                    .put("data", url.substring(comma + 1));
        } else if (url.startsWith("https://") || url.startsWith("http://")) {
            source = new JsonObject().put("type", "url").put("url", url);
        } else {
            throw ApiException.invalidRequest(param + ".image_url.url", "'" + param
                    + ".image_url.url' must be an http(s) URL or a base64 data URL.");
        }
        return new JsonObject().put("type", "image").put("source", source);
    }

    private static JsonArray assistantBlocks(JsonObject message, String param) {
        JsonArray blocks = new JsonArray();
        Object thinking = message.getValue("thinking_blocks");
        if (thinking instanceof JsonArray thinkingBlocks) {
            for (int i = 0; i < thinkingBlocks.size(); i++) {
                if (!(thinkingBlocks.getValue(i) instanceof JsonObject block)
                        || !("thinking".equals(block.getValue("type")) || "redacted_thinking".equals(block.getValue("type")))) {
                    String p = param + ".thinking_blocks[" + i + "]";
                    throw ApiException.invalidRequest(p, "'" + p + "' must be a thinking or redacted_thinking block.");
                }
                blocks.add(block);
            }
        } else if (thinking != null) {
            throw ApiException.invalidRequest(param + ".thinking_blocks", "'" + param + ".thinking_blocks' must be an array.");
        }
        // reasoning_content without its blocks has no signature, and Anthropic refuses unsigned thinking: it stays out.
        textBlocks(message.getValue("content"), param + ".content").forEach(blocks::add);
        Object toolCalls = message.getValue("tool_calls");
        if (toolCalls instanceof JsonArray calls) {
            for (int i = 0; i < calls.size(); i++) {
                blocks.add(toolUse(calls.getValue(i), param + ".tool_calls[" + i + "]"));
            }
        } else if (toolCalls != null) {
            throw ApiException.invalidRequest(param + ".tool_calls", "'" + param + ".tool_calls' must be an array.");
        }
        return blocks;
    }

    private static JsonObject toolUse(Object value, String param) {
        if (!(value instanceof JsonObject call) || !(call.getValue("id") instanceof String id)
                || !(call.getValue("function") instanceof JsonObject function)
                || !(function.getValue("name") instanceof String name)) {
            throw ApiException.invalidRequest(param, "'" + param + "' must have an 'id' and a 'function' with a 'name'.");
        }
        Object arguments = function.getValue("arguments");
        JsonObject input;
        try {
            input = arguments == null || (arguments instanceof String s && s.isBlank()) ? new JsonObject()
                    : new JsonObject((String) arguments);
        } catch (DecodeException | ClassCastException e) {
            throw ApiException.invalidRequest(param + ".function.arguments", "'" + param
                    + ".function.arguments' must be a JSON object in a string; Anthropic models take tool input as an object.");
        }
        return new JsonObject().put("type", "tool_use").put("id", id).put("name", name).put("input", input);
    }

    private static JsonObject toolResult(JsonObject message, String param) {
        if (!(message.getValue("tool_call_id") instanceof String id)) {
            throw ApiException.invalidRequest(param + ".tool_call_id", "'" + param + ".tool_call_id' must be a string.");
        }
        JsonObject result = new JsonObject().put("type", "tool_result").put("tool_use_id", id);
        Object content = message.getValue("content");
        if (content instanceof String text) {
            result.put("content", text);
        } else if (content != null) {
            result.put("content", textBlocks(content, param + ".content"));
        }
        return result;
    }
}
