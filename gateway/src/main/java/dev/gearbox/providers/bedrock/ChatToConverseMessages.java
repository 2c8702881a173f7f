package dev.gearbox.providers.bedrock;

import dev.gearbox.wire.ApiException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A chat request's messages as Converse's {@code messages} and {@code system}: system and developer messages
 * are system blocks; user turns hold text and images ({@code image.source.bytes}, from base64 data URLs only:
 * Converse takes no URL); assistant turns hold the thinking blocks an earlier answer carried (as
 * {@code reasoningContent}, signatures intact), text and {@code toolUse}; tool results are {@code toolResult}
 * blocks of a user turn. Consecutive turns of one role are merged, since Converse requires them to alternate.
 */
final class ChatToConverseMessages {

    /** The messages and the system blocks. */
    record Turns(JsonArray messages, JsonArray system) {
    }

    private ChatToConverseMessages() {
    }

    static Turns of(JsonArray chat) {
        JsonArray messages = new JsonArray();
        JsonArray system = new JsonArray();
        for (int i = 0; i < chat.size(); i++) {
            JsonObject message = chat.getJsonObject(i);
            String param = "messages[" + i + "]";
            switch (message.getString("role")) {
                case "system", "developer" -> text(message.getValue("content"), param, system);
                case "user" -> add(messages, "user", userBlocks(message, param));
                case "assistant" -> add(messages, "assistant", assistantBlocks(message, param));
                case "tool", "function" -> add(messages, "user", new JsonArray().add(toolResult(message, param)));
                default -> throw ApiException.invalidRequest(param + ".role", "'" + param + ".role' is not supported by Bedrock models.");
            }
        }
        return new Turns(messages, system);
    }

    private static void add(JsonArray messages, String role, JsonArray blocks) {
        JsonObject last = messages.isEmpty() ? null : messages.getJsonObject(messages.size() - 1);
        if (last != null && role.equals(last.getString("role"))) {
            last.getJsonArray("content").addAll(blocks);
        } else {
            messages.add(new JsonObject().put("role", role).put("content", blocks));
        }
    }

    private static void text(Object content, String param, JsonArray out) {
        if (content instanceof String s) {
            if (!s.isEmpty()) {
                out.add(new JsonObject().put("text", s));
            }
        } else if (content instanceof JsonArray parts) {
            for (int i = 0; i < parts.size(); i++) {
                if (!(parts.getValue(i) instanceof JsonObject part) || !(part.getValue("text") instanceof String t)) {
                    throw ApiException.invalidRequest(param + ".content[" + i + "]", "'" + param + ".content[" + i
                            + "]' must be a text part here.");
                }
                out.add(new JsonObject().put("text", t));
            }
        }
    }

    private static JsonArray userBlocks(JsonObject message, String param) {
        JsonArray blocks = new JsonArray();
        if (!(message.getValue("content") instanceof JsonArray parts)) {
            text(message.getValue("content"), param, blocks);
            return blocks;
        }
        for (int i = 0; i < parts.size(); i++) {
            String where = param + ".content[" + i + "]";
            if (!(parts.getValue(i) instanceof JsonObject part)) {
                throw ApiException.invalidRequest(where, "'" + where + "' must be an object.");
            }
            switch (String.valueOf(part.getValue("type"))) {
                case "text" -> blocks.add(new JsonObject().put("text", part.getString("text", "")));
                case "image_url" -> blocks.add(image(part.getValue("image_url"), where));
                default -> throw ApiException.invalidRequest(where + ".type", "'" + where + ".type' "
                        + part.getValue("type") + " is not supported by Bedrock models.");
            }
        }
        return blocks;
    }

    private static JsonObject image(Object value, String where) {
        String url = value instanceof JsonObject o && o.getValue("url") instanceof String u ? u : "";
        int semicolon = url.indexOf(';');
        int comma = url.indexOf(',');
        if (!url.startsWith("data:image/") || semicolon < 0 || comma < semicolon || !url.startsWith(";base64", semicolon)) {
            throw ApiException.invalidRequest(where + ".image_url", "'" + where
                    + ".image_url.url' must be a base64 data URL: Bedrock's Converse API takes images as bytes, not URLs.");
        }
        String format = url.substring("data:image/".length(), semicolon).toLowerCase(Locale.ROOT);
        return new JsonObject().put("image", new JsonObject().put("format", format.equals("jpg") ? "jpeg" : format)
                .put("source", new JsonObject().put("bytes", url.substring(comma + 1))));
    }

    private static JsonArray assistantBlocks(JsonObject message, String param) {
        JsonArray blocks = new JsonArray();
        if (message.getValue("thinking_blocks") instanceof JsonArray thinking) {
            for (Object value : thinking) {
                if (value instanceof JsonObject block && "thinking".equals(block.getValue("type"))) {
                    JsonObject text = new JsonObject().put("text", block.getString("thinking", ""));
                    if (block.getValue("signature") instanceof String signature) {
                        text.put("signature", signature);
                    }
                    blocks.add(new JsonObject().put("reasoningContent", new JsonObject().put("reasoningText", text)));
                } else if (value instanceof JsonObject block && "redacted_thinking".equals(block.getValue("type"))) {
                    blocks.add(new JsonObject().put("reasoningContent",
                            new JsonObject().put("redactedContent", block.getString("data", ""))));
                }
            }
        }
        text(message.getValue("content"), param + ".content", blocks);
        if (message.getValue("tool_calls") instanceof JsonArray calls) {
            for (int i = 0; i < calls.size(); i++) {
                String where = param + ".tool_calls[" + i + "]";
                if (!(calls.getValue(i) instanceof JsonObject call) || !(call.getValue("function") instanceof JsonObject function)
                        || !(function.getValue("name") instanceof String name) || !(call.getValue("id") instanceof String id)) {
                    throw ApiException.invalidRequest(where, "'" + where + "' must be a function call with an id and a name.");
                }
                blocks.add(new JsonObject().put("toolUse", new JsonObject().put("toolUseId", id).put("name", name)
                        .put("input", input(function.getValue("arguments"), where))));
            }
        }
        if (blocks.isEmpty()) {
            blocks.add(new JsonObject().put("text", " "));
        }
        return blocks;
    }

    private static Object input(Object arguments, String where) {
        if (arguments == null || (arguments instanceof String s && s.isBlank())) {
            return new JsonObject();
        }
        try {
            return arguments instanceof String s ? new JsonObject(s) : arguments;
        } catch (DecodeException e) {
            throw ApiException.invalidRequest(where + ".function.arguments", "'" + where
                    + ".function.arguments' must be a JSON object.");
        }
    }

    private static JsonObject toolResult(JsonObject message, String param) {
        if (!(message.getValue("tool_call_id") instanceof String id)) {
            throw ApiException.invalidRequest(param + ".tool_call_id", "'" + param + ".tool_call_id' is missing.");
        }
        JsonArray content = new JsonArray();
        Object value = message.getValue("content");
        String text = value instanceof String s ? s : null;
        if (value instanceof JsonArray parts) {
            StringBuilder joined = new StringBuilder();
            parts.forEach(p -> {
                if (p instanceof JsonObject part && part.getValue("text") instanceof String t) {
                    joined.append(t);
                }
            });
            text = joined.toString();
        }
        content.add(new JsonObject().put("text", text == null || text.isEmpty() ? " " : text));
        return new JsonObject().put("toolResult", new JsonObject().put("toolUseId", id).put("content", content));
    }
}
