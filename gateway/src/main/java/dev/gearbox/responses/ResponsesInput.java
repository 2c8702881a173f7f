package dev.gearbox.responses;

import static dev.gearbox.responses.ResponsesFields.requiredString;
import static dev.gearbox.wire.JsonValues.describe;

import dev.gearbox.wire.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** A Responses request's input items (messages, function calls and their outputs) as chat messages. */
final class ResponsesInput {

    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");

    private ResponsesInput() {
    }

    /** Appends the chat messages for {@code items}, whose errors are named from {@code param}. */
    static void appendItems(JsonArray items, String param, JsonArray messages) {
        for (int i = 0; i < items.size(); i++) {
            String at = param + "[" + i + "]";
            if (!(items.getValue(i) instanceof JsonObject item)) {
                throw ApiException.invalidRequest(at, "'" + at + "' must be an object.");
            }
            Object type = item.getValue("type");
            if (type == null && item.containsKey("role")) {
                type = "message";
            }
            if (!(type instanceof String t)) {
                throw ApiException.invalidRequest(at + ".type", "'" + at + ".type' is " + describe(type)
                        + "; expected 'message', 'function_call' or 'function_call_output'.");
            }
            switch (t) {
                case "message" -> messages.add(message(item, at));
                case "function_call" -> functionCall(item, at, messages);
                case "function_call_output" -> messages.add(new JsonObject().put("role", "tool")
                        .put("tool_call_id", requiredString(item, "call_id", at))
                        .put("content", output(item.getValue("output"), at + ".output")));
                // The model's own reasoning from an earlier turn: chat completions take no such input, and
                // leaving it out changes only what the model may reuse, not what it is asked.
                case "reasoning" -> { }
                default -> throw ApiException.invalidRequest(at + ".type", "Input items of type '" + t
                        + "' are not supported by this gateway; expected 'message', 'function_call' or 'function_call_output'.");
            }
        }
    }

    private static JsonObject message(JsonObject item, String at) {
        Object role = item.getValue("role");
        if (!(role instanceof String r) || !ROLES.contains(r)) {
            throw ApiException.invalidRequest(at + ".role", "'" + at + ".role' is " + describe(role)
                    + "; expected one of 'user', 'assistant', 'system', 'developer'.");
        }
        Object content = item.getValue("content");
        if (content instanceof String text) {
            return new JsonObject().put("role", r).put("content", text);
        }
        if (!(content instanceof JsonArray parts)) {
            throw ApiException.invalidRequest(at + ".content", "'" + at + ".content' must be a string or an array of content parts.");
        }
        JsonArray out = new JsonArray();
        StringBuilder text = new StringBuilder();
        boolean onlyText = true;
        for (int j = 0; j < parts.size(); j++) {
            String pat = at + ".content[" + j + "]";
            if (!(parts.getValue(j) instanceof JsonObject part)) {
                throw ApiException.invalidRequest(pat, "'" + pat + "' must be an object.");
            }
            Object type = part.getValue("type");
            if ("input_text".equals(type) || "output_text".equals(type) || "text".equals(type)) {
                String value = requiredString(part, "text", pat);
                text.append(value);
                out.add(new JsonObject().put("type", "text").put("text", value));
            } else if ("refusal".equals(type)) {
                String value = requiredString(part, "refusal", pat);
                text.append(value);
                out.add(new JsonObject().put("type", "text").put("text", value));
            } else if ("input_image".equals(type)) {
                onlyText = false;
                out.add(new JsonObject().put("type", "image_url").put("image_url", image(part, pat)));
            } else {
                throw ApiException.invalidRequest(pat + ".type", "Content parts of type " + describe(type)
                        + " are not supported by this gateway; expected 'input_text', 'output_text' or 'input_image'.");
            }
        }
        // Chat completions take an assistant's content as a string on most servers, so text parts are joined.
        Object chatContent = onlyText && (!"user".equals(r) || out.size() <= 1) ? text.toString() : out;
        return new JsonObject().put("role", r).put("content", chatContent);
    }

    private static JsonObject image(JsonObject part, String pat) {
        Object url = part.getValue("image_url");
        if (!(url instanceof String u) || u.isEmpty()) {
            throw ApiException.invalidRequest(pat + ".image_url", part.containsKey("file_id")
                    ? "'" + pat + ".file_id' is not supported by this gateway; send the image as 'image_url'."
                    : "'" + pat + ".image_url' must be a URL or a data URL.");
        }
        JsonObject image = new JsonObject().put("url", u);
        Object detail = part.getValue("detail");
        if (detail != null) {
            if (!"auto".equals(detail) && !"low".equals(detail) && !"high".equals(detail)) {
                throw ApiException.invalidRequest(pat + ".detail", "'" + pat + ".detail' is " + describe(detail)
                        + "; expected 'auto', 'low' or 'high'.");
            }
            image.put("detail", detail);
        }
        return image;
    }

    /** Consecutive calls are one assistant turn in chat completions, with one tool call each. */
    private static void functionCall(JsonObject item, String at, JsonArray messages) {
        JsonObject call = new JsonObject().put("id", requiredString(item, "call_id", at)).put("type", "function")
                .put("function", new JsonObject().put("name", requiredString(item, "name", at))
                        .put("arguments", requiredString(item, "arguments", at)));
        JsonObject last = messages.isEmpty() ? null : messages.getJsonObject(messages.size() - 1);
        if (last != null && "assistant".equals(last.getValue("role"))) {
            JsonArray calls = last.getValue("tool_calls") instanceof JsonArray a ? a : new JsonArray();
            last.put("tool_calls", calls.add(call));
            if ("".equals(last.getValue("content"))) {
                last.putNull("content");
            }
            return;
        }
        messages.add(new JsonObject().put("role", "assistant").putNull("content")
                .put("tool_calls", new JsonArray().add(call)));
    }

    private static Object output(Object output, String at) {
        if (output instanceof String s) {
            return s;
        }
        if (output instanceof JsonArray parts) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < parts.size(); j++) {
                if (!(parts.getValue(j) instanceof JsonObject part) || !"input_text".equals(part.getValue("type"))
                        || !(part.getValue("text") instanceof String s)) {
                    throw ApiException.invalidRequest(at + "[" + j + "]", "'" + at + "[" + j
                            + "]' must be an 'input_text' part; other outputs are not supported by this gateway.");
                }
                text.append(s);
            }
            return text.toString();
        }
        throw ApiException.invalidRequest(at, "'" + at + "' must be a string or an array of content parts.");
    }
}
