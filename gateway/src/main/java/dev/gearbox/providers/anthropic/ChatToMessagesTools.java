package dev.gearbox.providers.anthropic;

import static dev.gearbox.providers.anthropic.ChatToMessagesRequest.JSON_TOOL;

import dev.gearbox.wire.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A chat request's function tools, {@code tool_choice} and {@code parallel_tool_calls} as Messages' tools and
 * tool choice, and a JSON {@code response_format} as a tool the answer is forced through.
 */
final class ChatToMessagesTools {

    private ChatToMessagesTools() {
    }

    /** Puts the Messages tools and tool choice for {@code chat} into {@code out}. */
    static void translate(JsonObject chat, JsonObject out) {
        tools(chat, out);
        responseFormat(chat.getValue("response_format"), out);
    }

    private static void tools(JsonObject chat, JsonObject out) {
        Object tools = chat.getValue("tools");
        if (tools instanceof JsonArray list && !list.isEmpty()) {
            JsonArray translated = new JsonArray();
            for (int i = 0; i < list.size(); i++) {
                String param = "tools[" + i + "]";
                if (!(list.getValue(i) instanceof JsonObject tool) || !"function".equals(tool.getValue("type"))
                        || !(tool.getValue("function") instanceof JsonObject function)
                        || !(function.getValue("name") instanceof String name)) {
                    throw ApiException.invalidRequest(param, "'" + param
                            + "' must be a function tool with a name; Anthropic models take function tools.");
                }
                JsonObject t = new JsonObject().put("name", name);
                if (function.getValue("description") instanceof String description) {
                    t.put("description", description);
                }
                t.put("input_schema", function.getValue("parameters") instanceof JsonObject schema ? schema
                        : new JsonObject().put("type", "object").put("properties", new JsonObject()));
                translated.add(t);
            }
            out.put("tools", translated);
        }
        Object choice = chat.getValue("tool_choice");
        JsonObject toolChoice = null;
        if (choice instanceof String c) {
            toolChoice = switch (c) {
                case "auto" -> new JsonObject().put("type", "auto");
                case "none" -> new JsonObject().put("type", "none");
                case "required" -> new JsonObject().put("type", "any");
                default -> throw ApiException.invalidRequest("tool_choice", "'tool_choice' is '" + c
                        + "'; expected 'auto', 'none', 'required' or a function.");
            };
        } else if (choice instanceof JsonObject c && c.getValue("function") instanceof JsonObject f
                && f.getValue("name") instanceof String name) {
            toolChoice = new JsonObject().put("type", "tool").put("name", name);
        } else if (choice != null) {
            throw ApiException.invalidRequest("tool_choice", "'tool_choice' must be a string or {\"type\":\"function\",\"function\":{\"name\":...}}.");
        }
        Object parallel = chat.getValue("parallel_tool_calls");
        if (parallel != null && !(parallel instanceof Boolean)) {
            throw ApiException.invalidRequest("parallel_tool_calls", "'parallel_tool_calls' must be a boolean.");
        }
        if (Boolean.FALSE.equals(parallel) && out.containsKey("tools")) {
            toolChoice = toolChoice == null ? new JsonObject().put("type", "auto") : toolChoice;
            if (!"none".equals(toolChoice.getString("type"))) {
                toolChoice.put("disable_parallel_tool_use", true);
            }
        }
        if (toolChoice != null) {
            out.put("tool_choice", toolChoice);
        }
    }

    /** A JSON answer is forced through a tool whose input schema is the format's: Messages has no JSON mode. */
    private static void responseFormat(Object format, JsonObject out) {
        if (format == null) {
            return;
        }
        if (!(format instanceof JsonObject f) || !(f.getValue("type") instanceof String type)) {
            throw ApiException.invalidRequest("response_format", "'response_format' must be an object with a 'type'.");
        }
        JsonObject schema;
        switch (type) {
            case "text" -> {
                return;
            }
            case "json_object" -> schema = new JsonObject().put("type", "object");
            case "json_schema" -> {
                if (!(f.getValue("json_schema") instanceof JsonObject js) || !(js.getValue("schema") instanceof JsonObject s)) {
                    throw ApiException.invalidRequest("response_format.json_schema.schema",
                            "'response_format.json_schema.schema' must be an object.");
                }
                schema = s;
            }
            default -> throw ApiException.invalidRequest("response_format.type", "'response_format.type' is '" + type
                    + "'; expected 'text', 'json_object' or 'json_schema'.");
        }
        if (out.containsKey("tools")) {
            throw ApiException.invalidRequest("response_format", "'response_format' together with 'tools' cannot be "
                    + "expressed for Anthropic models, which give JSON answers through a tool.");
        }
        out.put("tools", new JsonArray().add(new JsonObject().put("name", JSON_TOOL)
                .put("description", "Give the answer as JSON matching this schema.").put("input_schema", schema)));
        out.put("tool_choice", new JsonObject().put("type", "tool").put("name", JSON_TOOL));
    }
}
