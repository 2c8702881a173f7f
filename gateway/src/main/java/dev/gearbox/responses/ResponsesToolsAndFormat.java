package dev.gearbox.responses;

import static dev.gearbox.responses.ResponsesFields.presentString;
import static dev.gearbox.responses.ResponsesFields.requiredString;
import static dev.gearbox.wire.JsonValues.describe;

import dev.gearbox.wire.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a Responses request lets the model call ({@code tools}, {@code tool_choice}) and the form its text
 * must take ({@code text}: verbosity and format), as chat's {@code tools}, {@code tool_choice},
 * {@code verbosity} and {@code response_format}.
 */
final class ResponsesToolsAndFormat {

    private ResponsesToolsAndFormat() {
    }

    /** Puts the chat fields for {@code body}'s tools, tool choice and text format into {@code chat}. */
    static void translate(JsonObject body, JsonObject chat) {
        tools(body.getValue("tools"), chat);
        toolChoice(body.getValue("tool_choice"), chat);
        text(body.getValue("text"), chat);
    }

    private static void tools(Object value, JsonObject chat) {
        if (value == null) {
            return;
        }
        if (!(value instanceof JsonArray tools)) {
            throw ApiException.invalidRequest("tools", "'tools' must be an array.");
        }
        JsonArray out = new JsonArray();
        for (int i = 0; i < tools.size(); i++) {
            String at = "tools[" + i + "]";
            if (!(tools.getValue(i) instanceof JsonObject tool)) {
                throw ApiException.invalidRequest(at, "'" + at + "' must be an object.");
            }
            Object type = tool.getValue("type");
            if (!"function".equals(type)) {
                throw ApiException.invalidRequest(at + ".type", "Tools of type " + describe(type)
                        + " are not supported by this gateway; only 'function' tools are.");
            }
            JsonObject function = new JsonObject().put("name", requiredString(tool, "name", at));
            if (tool.getValue("description") != null) {
                function.put("description", presentString(tool, "description", at));
            }
            Object parameters = tool.getValue("parameters");
            if (parameters != null && !(parameters instanceof JsonObject)) {
                throw ApiException.invalidRequest(at + ".parameters", "'" + at + ".parameters' must be a JSON schema object.");
            }
            if (parameters != null) {
                function.put("parameters", parameters);
            }
            if (tool.getValue("strict") != null) {
                if (!(tool.getValue("strict") instanceof Boolean)) {
                    throw ApiException.invalidRequest(at + ".strict", "'" + at + ".strict' must be a boolean.");
                }
                function.put("strict", tool.getValue("strict"));
            }
            out.add(new JsonObject().put("type", "function").put("function", function));
        }
        if (!out.isEmpty()) {
            chat.put("tools", out);
        }
    }

    private static void toolChoice(Object value, JsonObject chat) {
        if (value == null) {
            return;
        }
        if ("auto".equals(value) || "none".equals(value) || "required".equals(value)) {
            chat.put("tool_choice", value);
            return;
        }
        if (value instanceof JsonObject choice && "function".equals(choice.getValue("type"))
                && choice.getValue("name") instanceof String name) {
            chat.put("tool_choice", new JsonObject().put("type", "function").put("function", new JsonObject().put("name", name)));
            return;
        }
        throw ApiException.invalidRequest("tool_choice", "'tool_choice' is " + describe(value)
                + "; expected 'auto', 'none', 'required' or {\"type\": \"function\", \"name\": ...}.");
    }

    private static void text(Object value, JsonObject chat) {
        if (value == null) {
            return;
        }
        if (!(value instanceof JsonObject text)) {
            throw ApiException.invalidRequest("text", "'text' must be an object.");
        }
        Object verbosity = text.getValue("verbosity");
        if (verbosity != null) {
            if (!"low".equals(verbosity) && !"medium".equals(verbosity) && !"high".equals(verbosity)) {
                throw ApiException.invalidRequest("text.verbosity", "'text.verbosity' is " + describe(verbosity)
                        + "; expected 'low', 'medium' or 'high'.");
            }
            chat.put("verbosity", verbosity);
        }
        format(text.getValue("format"), chat);
    }

    private static void format(Object value, JsonObject chat) {
        if (value == null) {
            return;
        }
        if (!(value instanceof JsonObject format)) {
            throw ApiException.invalidRequest("text.format", "'text.format' must be an object.");
        }
        Object type = format.getValue("type");
        if ("text".equals(type)) {
            return;
        }
        if ("json_object".equals(type)) {
            chat.put("response_format", new JsonObject().put("type", "json_object"));
            return;
        }
        if (!"json_schema".equals(type)) {
            throw ApiException.invalidRequest("text.format.type", "'text.format.type' is " + describe(type)
                    + "; expected 'text', 'json_object' or 'json_schema'.");
        }
        JsonObject schema = new JsonObject().put("name", requiredString(format, "name", "text.format"));
        if (!(format.getValue("schema") instanceof JsonObject s)) {
            throw ApiException.invalidRequest("text.format.schema", "'text.format.schema' must be a JSON schema object.");
        }
        schema.put("schema", s);
        if (format.getValue("description") != null) {
            schema.put("description", presentString(format, "description", "text.format"));
        }
        if (format.getValue("strict") != null) {
            if (!(format.getValue("strict") instanceof Boolean)) {
                throw ApiException.invalidRequest("text.format.strict", "'text.format.strict' must be a boolean.");
            }
            schema.put("strict", format.getValue("strict"));
        }
        chat.put("response_format", new JsonObject().put("type", "json_schema").put("json_schema", schema));
    }
}
