package dev.gearbox.responses;

import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.ChatRequest;
import dev.gearbox.wire.NativeRequest;
import dev.gearbox.wire.WireFormat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * A Responses API request ({@code POST /v1/responses}) checked and translated to the canonical chat
 * completion request. What chat completions cannot express (built-in tools, background runs, stored prompts)
 * is refused with a 400 naming the field rather than dropped, since the client would get a different answer
 * than it asked for without knowing.
 */
public final class ResponsesToChat {

    private static final Set<String> PASSED = Set.of("temperature", "top_p", "parallel_tool_calls", "user",
            "service_tier", "prompt_cache_key", "prompt_cache_retention", "safety_identifier");
    /** Fields that shape the response object or the gateway's store, not the chat request. */
    private static final Set<String> KEPT = Set.of("model", "input", "instructions", "tools", "tool_choice", "text",
            "reasoning", "max_output_tokens", "metadata", "store", "stream", "stream_options", "previous_response_id",
            "truncation", "include", "max_tool_calls");
    /** Log probabilities are refused rather than asked for and not rendered. */
    private static final Set<String> REFUSED = Set.of("background", "conversation", "prompt", "context_management",
            "top_logprobs");
    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");
    private static final Set<String> EFFORTS = Set.of("none", "minimal", "low", "medium", "high", "xhigh");

    private ResponsesToChat() {
    }

    /**
     * The canonical request for a client's Responses body (for a continued conversation, the body with the
     * earlier turns' items put before its own input).
     *
     * @throws ApiException (400) naming the first field that is malformed or cannot be translated
     */
    public static ChatRequest translate(JsonObject body, int sizeBytes) {
        JsonObject chat = new JsonObject();
        for (Map.Entry<String, Object> field : body) {
            String name = field.getKey();
            if (REFUSED.contains(name)) {
                throw ApiException.invalidRequest(name, "'" + name + "' is not supported by this gateway's Responses API.");
            }
            if (!PASSED.contains(name) && !KEPT.contains(name)) {
                throw ApiException.invalidRequest(name, "Unknown parameter: '" + name + "'.");
            }
        }
        Object model = body.getValue("model");
        if (model != null && !(model instanceof String)) {
            throw ApiException.invalidRequest("model", "'model' must be a string.");
        }
        if (model != null) {
            chat.put("model", model);
        }
        JsonArray messages = new JsonArray();
        Object instructions = body.getValue("instructions");
        if (instructions != null) {
            if (!(instructions instanceof String text)) {
                throw ApiException.invalidRequest("instructions", "'instructions' must be a string.");
            }
            messages.add(new JsonObject().put("role", "system").put("content", text));
        }
        Object input = body.getValue("input");
        if (input == null) {
            throw ApiException.invalidRequest("input", "Missing required parameter: 'input'.");
        }
        if (input instanceof String text) {
            messages.add(new JsonObject().put("role", "user").put("content", text));
        } else if (input instanceof JsonArray items) {
            appendItems(items, "input", messages);
        } else {
            throw ApiException.invalidRequest("input", "'input' must be a string or an array of input items.");
        }
        if (messages.isEmpty()) {
            throw ApiException.invalidRequest("input", "'input' must contain at least one item.");
        }
        chat.put("messages", messages);
        for (String name : PASSED) {
            if (body.containsKey(name)) {
                chat.put(name, body.getValue(name));
            }
        }
        tools(body, chat);
        toolChoice(body.getValue("tool_choice"), chat);
        text(body.getValue("text"), chat);
        reasoning(body.getValue("reasoning"), chat);
        Object max = body.getValue("max_output_tokens");
        if (max != null) {
            if (!(max instanceof Integer || max instanceof Long) || ((Number) max).longValue() < 1
                    || ((Number) max).longValue() > Integer.MAX_VALUE) {
                throw ApiException.invalidRequest("max_output_tokens", "'max_output_tokens' is " + describe(max)
                        + "; expected an integer from 1 up.");
            }
            chat.put("max_tokens", max);
        }
        metadata(body.getValue("metadata"));
        optionalBoolean(body, "store");
        optionalString(body, "previous_response_id");
        Object truncation = body.getValue("truncation");
        if (truncation != null && !"disabled".equals(truncation) && !"auto".equals(truncation)) {
            throw ApiException.invalidRequest("truncation", "'truncation' is " + describe(truncation)
                    + "; expected 'auto' or 'disabled'.");
        }
        if (body.getValue("include") != null && !(body.getValue("include") instanceof JsonArray)) {
            throw ApiException.invalidRequest("include", "'include' must be an array of strings.");
        }
        if (optionalBoolean(body, "stream")) {
            chat.put("stream", true);
            // The completed event reports usage, so the gateway always asks for it.
            chat.put("stream_options", new JsonObject().put("include_usage", true));
        } else if (body.containsKey("stream_options")) {
            throw ApiException.invalidRequest("stream_options", "'stream_options' is only allowed when 'stream' is true.");
        }
        try {
            return ChatRequest.translated(chat, new NativeRequest(WireFormat.OPENAI_RESPONSES, body, sizeBytes));
        } catch (ApiException e) {
            // The canonical request's own checks name chat fields; the client knows only its own.
            throw ApiException.invalidRequest(clientParam(e.param()), e.getMessage()
                    .replace("'max_tokens'", "'max_output_tokens'"));
        }
    }

    private static String clientParam(String chatParam) {
        if (chatParam == null) {
            return null;
        }
        return switch (chatParam) {
            case "max_tokens" -> "max_output_tokens";
            case "messages" -> "input";
            default -> chatParam.startsWith("messages") ? "input" : chatParam;
        };
    }

    private static void appendItems(JsonArray items, String param, JsonArray messages) {
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
                onlyText = false;
                out.add(new JsonObject().put("type", "image_url").put("image_url", image));
            } else {
                throw ApiException.invalidRequest(pat + ".type", "Content parts of type " + describe(type)
                        + " are not supported by this gateway; expected 'input_text', 'output_text' or 'input_image'.");
            }
        }
        // Chat completions take an assistant's content as a string on most servers, so text parts are joined.
        Object chatContent = onlyText && (!"user".equals(r) || out.size() <= 1) ? text.toString() : out;
        return new JsonObject().put("role", r).put("content", chatContent);
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

    private static void tools(JsonObject body, JsonObject chat) {
        Object value = body.getValue("tools");
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
                function.put("description", optionalString(tool, "description", at));
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
        Object value2 = text.getValue("format");
        if (value2 == null) {
            return;
        }
        if (!(value2 instanceof JsonObject format)) {
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
            schema.put("description", optionalString(format, "description", "text.format"));
        }
        if (format.getValue("strict") != null) {
            if (!(format.getValue("strict") instanceof Boolean)) {
                throw ApiException.invalidRequest("text.format.strict", "'text.format.strict' must be a boolean.");
            }
            schema.put("strict", format.getValue("strict"));
        }
        chat.put("response_format", new JsonObject().put("type", "json_schema").put("json_schema", schema));
    }

    private static void reasoning(Object value, JsonObject chat) {
        if (value == null) {
            return;
        }
        if (!(value instanceof JsonObject reasoning)) {
            throw ApiException.invalidRequest("reasoning", "'reasoning' must be an object.");
        }
        Object effort = reasoning.getValue("effort");
        if (effort != null) {
            if (!(effort instanceof String e) || !EFFORTS.contains(e)) {
                throw ApiException.invalidRequest("reasoning.effort", "'reasoning.effort' is " + describe(effort)
                        + "; expected one of 'none', 'minimal', 'low', 'medium', 'high', 'xhigh'.");
            }
            chat.put("reasoning_effort", effort);
        }
        Object summary = reasoning.getValue("summary");
        if (summary != null && !"auto".equals(summary) && !"concise".equals(summary) && !"detailed".equals(summary)) {
            throw ApiException.invalidRequest("reasoning.summary", "'reasoning.summary' is " + describe(summary)
                    + "; expected 'auto', 'concise' or 'detailed'.");
        }
    }

    private static void metadata(Object value) {
        if (value == null) {
            return;
        }
        if (!(value instanceof JsonObject metadata)) {
            throw ApiException.invalidRequest("metadata", "'metadata' must be an object of strings.");
        }
        if (metadata.size() > 16) {
            throw ApiException.invalidRequest("metadata", "'metadata' has " + metadata.size() + " keys; expected at most 16.");
        }
        for (Map.Entry<String, Object> entry : metadata) {
            if (entry.getKey().length() > 64 || !(entry.getValue() instanceof String s) || s.length() > 512) {
                throw ApiException.invalidRequest("metadata." + entry.getKey(), "'metadata' values must be strings of up "
                        + "to 512 characters, with keys of up to 64.");
            }
        }
    }

    private static boolean optionalBoolean(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value != null && !(value instanceof Boolean)) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a boolean, not " + describe(value) + ".");
        }
        return Boolean.TRUE.equals(value);
    }

    private static void optionalString(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value != null && !(value instanceof String)) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a string, not " + describe(value) + ".");
        }
    }

    private static String optionalString(JsonObject object, String field, String at) {
        Object value = object.getValue(field);
        if (!(value instanceof String s)) {
            throw ApiException.invalidRequest(at + "." + field, "'" + at + "." + field + "' must be a string.");
        }
        return s;
    }

    private static String requiredString(JsonObject object, String field, String at) {
        Object value = object.getValue(field);
        if (!(value instanceof String s)) {
            throw ApiException.invalidRequest(at + "." + field, value == null
                    ? "Missing required parameter: '" + at + "." + field + "'."
                    : "'" + at + "." + field + "' must be a string.");
        }
        return s;
    }

    static String describe(Object value) {
        if (value == null) {
            return "missing";
        }
        if (value instanceof String s) {
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (value instanceof JsonObject) {
            return "an object";
        }
        if (value instanceof JsonArray) {
            return "an array";
        }
        return String.valueOf(value);
    }
}
