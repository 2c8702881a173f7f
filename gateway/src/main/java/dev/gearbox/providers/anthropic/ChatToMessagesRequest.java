package dev.gearbox.providers.anthropic;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.wire.ApiException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Translates a canonical chat completion request into an Anthropic Messages request.
 *
 * <p>What Messages cannot express is refused with a 400 naming the chat field, never dropped in silence: a
 * client that asked for {@code n: 3} or {@code logprobs} must learn it will not get them. System and
 * developer messages become {@code system}; consecutive messages of one role are merged, because Messages
 * requires turns to alternate; tool results are user turns. Thinking blocks an earlier answer carried in
 * {@code thinking_blocks} go back first in their assistant turn, signatures intact, as extended thinking
 * with tools requires.
 */
final class ChatToMessagesRequest {

    /** The tool a JSON {@code response_format} is forced through, whose input is the answer. */
    static final String JSON_TOOL = "json_response";

    /** Used when neither the request nor the catalog gives the most tokens Anthropic requires. */
    static final int DEFAULT_MAX_TOKENS = 4096;

    /** Thinking budgets for {@code reasoning_effort}; Anthropic's minimum budget is 1024. */
    private static final Map<String, Integer> THINKING_BUDGETS = Map.of("low", 1024, "medium", 4096, "high", 16384);
    private static final int MIN_THINKING_BUDGET = 1024;

    /** Fields taken over or translated; every other chat field is refused. */
    private static final Set<String> KNOWN = Set.of("model", "messages", "max_tokens", "max_completion_tokens", "stop",
            "temperature", "top_p", "stream", "stream_options", "tools", "tool_choice", "parallel_tool_calls",
            "response_format", "reasoning_effort", "user", "n", "presence_penalty", "frequency_penalty", "logprobs",
            "store");

    private ChatToMessagesRequest() {
    }

    /** The Messages body for {@code chat} on {@code model}; throws a 400 {@link ApiException} naming a field it cannot express. */
    static JsonObject translate(JsonObject chat, ModelConfig model) {
        for (String field : chat.fieldNames()) {
            if (!KNOWN.contains(field)) {
                throw unsupported(field);
            }
        }
        refuseUnless(chat, "n", 1);
        refuseUnless(chat, "presence_penalty", 0);
        refuseUnless(chat, "frequency_penalty", 0);
        if (Boolean.TRUE.equals(chat.getValue("logprobs"))) {
            throw unsupported("logprobs");
        }
        if (Boolean.TRUE.equals(chat.getValue("store"))) {
            throw unsupported("store");
        }
        JsonObject out = new JsonObject();
        out.put("model", model.upstream());
        Messages messages = messages(chat.getJsonArray("messages"));
        int maxTokens = maxTokens(chat, model);
        out.put("max_tokens", maxTokens);
        if (!messages.system.isEmpty()) {
            out.put("system", messages.system.size() == 1 && messages.system.getJsonObject(0).size() == 2
                    ? messages.system.getJsonObject(0).getString("text") : messages.system);
        }
        out.put("messages", messages.turns);
        stop(chat.getValue("stop"), out);
        Object temperature = chat.getValue("temperature");
        if (temperature != null) {
            if (((Number) temperature).doubleValue() > 1) {
                throw ApiException.invalidRequest("temperature", "'temperature' is " + temperature
                        + "; Anthropic models take a temperature from 0 to 1.");
            }
            out.put("temperature", temperature);
        }
        if (chat.getValue("top_p") != null) {
            out.put("top_p", chat.getValue("top_p"));
        }
        if (Boolean.TRUE.equals(chat.getValue("stream"))) {
            out.put("stream", true);
        }
        if (chat.getValue("user") instanceof String user) {
            out.put("metadata", new JsonObject().put("user_id", user));
        } else if (chat.getValue("user") != null) {
            throw ApiException.invalidRequest("user", "'user' must be a string.");
        }
        tools(chat, out);
        responseFormat(chat.getValue("response_format"), out);
        thinking(chat.getValue("reasoning_effort"), out, maxTokens);
        return out;
    }

    private static int maxTokens(JsonObject chat, ModelConfig model) {
        Object value = chat.getValue("max_completion_tokens", chat.getValue("max_tokens"));
        if (value instanceof Number n) {
            return n.intValue();
        }
        return model.maxOutputTokens() != null ? model.maxOutputTokens() : DEFAULT_MAX_TOKENS;
    }

    /** The system text and the alternating turns. */
    private record Messages(JsonArray system, JsonArray turns) {
    }

    private static Messages messages(JsonArray chatMessages) {
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
                throw ApiException.invalidRequest(partParam + ".type", "'" + partParam + ".type' is " + describe(type)
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

    private static void stop(Object stop, JsonObject out) {
        if (stop == null) {
            return;
        }
        JsonArray sequences = new JsonArray();
        if (stop instanceof String s) {
            sequences.add(s);
        } else if (stop instanceof JsonArray array && array.stream().allMatch(String.class::isInstance)) {
            array.forEach(sequences::add);
        } else {
            throw ApiException.invalidRequest("stop", "'stop' must be a string or an array of strings.");
        }
        out.put("stop_sequences", sequences);
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

    private static void thinking(Object effort, JsonObject out, int maxTokens) {
        if (effort == null) {
            return;
        }
        String level = effort instanceof String s ? s.toLowerCase(Locale.ROOT) : null;
        if ("none".equals(level) || "minimal".equals(level)) {
            return;
        }
        Integer budget = level == null ? null : THINKING_BUDGETS.get(level);
        if (budget == null) {
            throw ApiException.invalidRequest("reasoning_effort", "'reasoning_effort' is " + describe(effort)
                    + "; expected 'none', 'minimal', 'low', 'medium' or 'high'.");
        }
        // The budget must leave room below max_tokens for the answer itself.
        int fitted = Math.min(budget, maxTokens - 1);
        if (fitted < MIN_THINKING_BUDGET) {
            throw ApiException.invalidRequest("reasoning_effort", "'reasoning_effort' needs 'max_tokens' above "
                    + MIN_THINKING_BUDGET + " on Anthropic models, whose thinking budget is at least that; max_tokens is "
                    + maxTokens + ".");
        }
        out.put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", fitted));
    }

    private static void refuseUnless(JsonObject chat, String field, double allowed) {
        Object value = chat.getValue(field);
        if (value != null && !(value instanceof Number n && n.doubleValue() == allowed)) {
            throw unsupported(field);
        }
    }

    private static ApiException unsupported(String field) {
        return ApiException.invalidRequest(field, "'" + field + "' is not supported by Anthropic models.");
    }

    private static String describe(Object value) {
        return value instanceof String s ? "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'"
                : String.valueOf(value);
    }
}
