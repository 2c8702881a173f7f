package dev.gearbox.providers.gemini;

import dev.gearbox.wire.ApiException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A chat request's messages as Gemini's {@code contents} and {@code systemInstruction}: system and developer
 * messages become the instruction; assistant turns are the {@code model} role, their tool calls
 * {@code functionCall} parts (each with the thought signature it came with, from
 * {@code extra_content.google.thought_signature}, as Google's OpenAI-compatible endpoint carries it); tool
 * results are {@code functionResponse} parts of a user turn, named after the call they answer.
 */
final class ChatToGeminiContents {

    /** The contents and the system instruction (null when there is none). */
    record Contents(JsonArray contents, JsonObject systemInstruction) {
    }

    private ChatToGeminiContents() {
    }

    static Contents of(JsonArray messages) {
        JsonArray contents = new JsonArray();
        JsonArray system = new JsonArray();
        Map<String, String> callNames = new HashMap<>();
        JsonObject toolTurn = null;
        for (int i = 0; i < messages.size(); i++) {
            JsonObject message = messages.getJsonObject(i);
            String param = "messages[" + i + "]";
            String role = message.getString("role");
            switch (role) {
                case "system", "developer" -> texts(message.getValue("content"), param, system);
                case "user" -> contents.add(new JsonObject().put("role", "user").put("parts", userParts(message, param)));
                case "assistant" -> contents.add(new JsonObject().put("role", "model")
                        .put("parts", modelParts(message, param, callNames)));
                case "tool", "function" -> {
                    JsonObject part = functionResponse(message, param, callNames);
                    if (toolTurn == null) {
                        // Answers to the calls of one turn go back together, as Gemini asks for parallel calls.
                        toolTurn = new JsonObject().put("role", "user").put("parts", new JsonArray());
                        contents.add(toolTurn);
                    }
                    toolTurn.getJsonArray("parts").add(part);
                    continue;
                }
                default -> throw ApiException.invalidRequest(param + ".role", "'" + param + ".role' is not supported by Gemini models.");
            }
            toolTurn = null;
        }
        return new Contents(contents, system.isEmpty() ? null : new JsonObject().put("parts", system));
    }

    private static void texts(Object content, String param, JsonArray parts) {
        if (content instanceof String text) {
            parts.add(new JsonObject().put("text", text));
        } else if (content instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (!(array.getValue(i) instanceof JsonObject part) || !"text".equals(part.getValue("type"))
                        || !(part.getValue("text") instanceof String text)) {
                    throw ApiException.invalidRequest(param + ".content[" + i + "]",
                            "'" + param + ".content[" + i + "]' must be a text part here.");
                }
                parts.add(new JsonObject().put("text", text));
            }
        }
    }

    private static JsonArray userParts(JsonObject message, String param) {
        JsonArray parts = new JsonArray();
        Object content = message.getValue("content");
        if (content instanceof String text) {
            return parts.add(new JsonObject().put("text", text));
        }
        if (!(content instanceof JsonArray array)) {
            throw ApiException.invalidRequest(param + ".content", "'" + param + ".content' is missing.");
        }
        for (int i = 0; i < array.size(); i++) {
            String where = param + ".content[" + i + "]";
            if (!(array.getValue(i) instanceof JsonObject part)) {
                throw ApiException.invalidRequest(where, "'" + where + "' must be an object.");
            }
            switch (String.valueOf(part.getValue("type"))) {
                case "text" -> parts.add(new JsonObject().put("text", part.getString("text", "")));
                case "image_url" -> parts.add(image(part.getValue("image_url"), where));
                default -> throw ApiException.invalidRequest(where + ".type", "'" + where + ".type' "
                        + String.valueOf(part.getValue("type")) + " is not supported by Gemini models.");
            }
        }
        return parts;
    }

    /** An image as inline data (a data URL) or a file reference (any other URL, which Gemini reads itself). */
    private static JsonObject image(Object value, String where) {
        String url = value instanceof JsonObject o && o.getValue("url") instanceof String u ? u : null;
        if (url == null) {
            throw ApiException.invalidRequest(where + ".image_url", "'" + where + ".image_url.url' is missing.");
        }
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            int semicolon = url.indexOf(';');
            if (comma < 0 || semicolon < 0 || semicolon > comma || !url.substring(semicolon, comma).equals(";base64")) {
                throw ApiException.invalidRequest(where + ".image_url", "'" + where
                        + ".image_url.url' must be a base64 data URL or a URL.");
            }
            return new JsonObject().put("inlineData", new JsonObject().put("mimeType", url.substring(5, semicolon))
                    .put("data", url.substring(comma + 1)));
        }
        return new JsonObject().put("fileData", new JsonObject().put("mimeType", mimeType(url)).put("fileUri", url));
    }

    private static String mimeType(String url) {
        String path = url.toLowerCase(Locale.ROOT);
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        if (path.endsWith(".png")) {
            return "image/png";
        }
        if (path.endsWith(".webp")) {
            return "image/webp";
        }
        if (path.endsWith(".gif")) {
            return "image/gif";
        }
        return "image/jpeg";
    }

    private static JsonArray modelParts(JsonObject message, String param, Map<String, String> callNames) {
        JsonArray parts = new JsonArray();
        String textSignature = signature(message);
        Object content = message.getValue("content");
        if (content instanceof String text && !text.isEmpty()) {
            parts.add(new JsonObject().put("text", text));
        } else if (content instanceof JsonArray) {
            texts(content, param + ".content", parts);
        }
        if (textSignature != null && !parts.isEmpty()) {
            parts.getJsonObject(parts.size() - 1).put("thoughtSignature", textSignature);
        }
        if (message.getValue("tool_calls") instanceof JsonArray calls) {
            for (int i = 0; i < calls.size(); i++) {
                String where = param + ".tool_calls[" + i + "]";
                if (!(calls.getValue(i) instanceof JsonObject call) || !(call.getValue("function") instanceof JsonObject function)
                        || !(function.getValue("name") instanceof String name)) {
                    throw ApiException.invalidRequest(where, "'" + where + "' must be a function call with a name.");
                }
                JsonObject functionCall = new JsonObject().put("name", name).put("args", arguments(function, where));
                if (call.getValue("id") instanceof String id) {
                    callNames.put(id, name);
                }
                JsonObject part = new JsonObject().put("functionCall", functionCall);
                String signature = signature(call);
                if (signature != null) {
                    part.put("thoughtSignature", signature);
                }
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            parts.add(new JsonObject().put("text", ""));
        }
        return parts;
    }

    private static JsonObject arguments(JsonObject function, String where) {
        Object arguments = function.getValue("arguments");
        if (arguments == null || (arguments instanceof String s && s.isBlank())) {
            return new JsonObject();
        }
        try {
            return arguments instanceof String s ? new JsonObject(s) : (JsonObject) arguments;
        } catch (DecodeException | ClassCastException e) {
            throw ApiException.invalidRequest(where + ".function.arguments", "'" + where
                    + ".function.arguments' must be a JSON object.");
        }
    }

    /** The thought signature Gemini gave a part, as carried in {@code extra_content.google.thought_signature}. */
    static String signature(JsonObject carrier) {
        return carrier.getValue("extra_content") instanceof JsonObject extra && extra.getValue("google") instanceof JsonObject google
                && google.getValue("thought_signature") instanceof String s ? s : null;
    }

    private static JsonObject functionResponse(JsonObject message, String param, Map<String, String> callNames) {
        String id = message.getValue("tool_call_id") instanceof String s ? s : null;
        String name = id == null ? message.getString("name") : callNames.getOrDefault(id, message.getString("name"));
        if (name == null) {
            throw ApiException.invalidRequest(param + ".tool_call_id", "'" + param
                    + ".tool_call_id' names no tool call of an earlier assistant message; Gemini needs the function's name.");
        }
        StringBuilder text = new StringBuilder();
        Object content = message.getValue("content");
        if (content instanceof String s) {
            text.append(s);
        } else if (content instanceof JsonArray array) {
            for (Object part : array) {
                if (part instanceof JsonObject p && p.getValue("text") instanceof String t) {
                    text.append(t);
                }
            }
        }
        JsonObject response;
        try {
            response = new JsonObject(text.toString());
        } catch (DecodeException notAnObject) {
            // Gemini takes an object; text that is not one is wrapped, as its own SDKs wrap it.
            response = new JsonObject().put("result", text.toString());
        }
        JsonObject functionResponse = new JsonObject().put("name", name).put("response", response);
        if (id != null && !id.startsWith(GeminiParts.SYNTHETIC_ID)) {
            functionResponse.put("id", id);
        }
        return new JsonObject().put("functionResponse", functionResponse);
    }
}
