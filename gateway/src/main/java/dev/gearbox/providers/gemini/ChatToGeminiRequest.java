package dev.gearbox.providers.gemini;

import static dev.gearbox.wire.JsonValues.quoted;

import dev.gearbox.wire.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A canonical chat request as a Gemini {@code GenerateContentRequest} (the Gemini API's and Vertex AI's
 * alike): the turns by {@link ChatToGeminiContents}; tools as function declarations with their JSON Schema;
 * {@code tool_choice} as the function calling mode; a JSON {@code response_format} as the response MIME type
 * and schema; sampling in {@code generationConfig}; {@code reasoning_effort} as a thinking budget. What
 * Gemini cannot express is refused with a 400 naming the chat field.
 */
final class ChatToGeminiRequest {

    /** Thinking budgets for {@code reasoning_effort}, as Google's OpenAI-compatible endpoint maps them. */
    private static final Map<String, Integer> THINKING_BUDGETS = Map.of("none", 0, "minimal", 512, "low", 1024,
            "medium", 8192, "high", 24576);
    /**
     * The gateway's own effort never turns thinking off: Gemini's Pro models refuse a budget of 0, and a request
     * must not fail for what its client never asked. 512 is within every 2.5 model's range.
     */
    private static final Map<String, Integer> ROUTED_BUDGETS = Map.of("none", 512, "minimal", 512, "low", 1024,
            "medium", 8192, "high", 24576);

    private static final Set<String> KNOWN = Set.of("model", "messages", "max_tokens", "max_completion_tokens", "stop",
            "temperature", "top_p", "stream", "stream_options", "tools", "tool_choice", "parallel_tool_calls",
            "response_format", "reasoning_effort", "user", "n", "presence_penalty", "frequency_penalty", "seed",
            "logprobs", "store");

    private ChatToGeminiRequest() {
    }

    /**
     * @param routedEffort the effort the gateway chose, in place of the client's; null for none
     */
    static JsonObject translate(JsonObject chat, String routedEffort) {
        for (String field : chat.fieldNames()) {
            if (!KNOWN.contains(field)) {
                throw unsupported(field);
            }
        }
        if (Boolean.TRUE.equals(chat.getValue("logprobs"))) {
            throw unsupported("logprobs");
        }
        if (Boolean.TRUE.equals(chat.getValue("store"))) {
            throw unsupported("store");
        }
        if (!(chat.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
            // A client's request without a chat form (a document-only turn of Messages) reaches only its own API.
            throw ApiException.invalidRequest("messages", "The request has no message a Gemini model can be sent.");
        }
        ChatToGeminiContents.Contents contents = ChatToGeminiContents.of(messages);
        JsonObject out = new JsonObject().put("contents", contents.contents());
        if (contents.systemInstruction() != null) {
            out.put("systemInstruction", contents.systemInstruction());
        }
        tools(chat, out);
        JsonObject generation = generationConfig(chat);
        JsonObject thinking = routedEffort != null ? thinking(routedEffort, ROUTED_BUDGETS)
                : chat.getValue("reasoning_effort") == null ? null : thinking(chat.getValue("reasoning_effort"), THINKING_BUDGETS);
        if (thinking != null) {
            generation.put("thinkingConfig", thinking);
        }
        if (!generation.isEmpty()) {
            out.put("generationConfig", generation);
        }
        return out;
    }

    private static JsonObject generationConfig(JsonObject chat) {
        JsonObject generation = new JsonObject();
        Object max = chat.getValue("max_completion_tokens", chat.getValue("max_tokens"));
        if (max != null) {
            generation.put("maxOutputTokens", max);
        }
        copy(chat, "temperature", generation, "temperature");
        copy(chat, "top_p", generation, "topP");
        copy(chat, "n", generation, "candidateCount");
        copy(chat, "seed", generation, "seed");
        copy(chat, "presence_penalty", generation, "presencePenalty");
        copy(chat, "frequency_penalty", generation, "frequencyPenalty");
        Object stop = chat.getValue("stop");
        if (stop instanceof String s) {
            generation.put("stopSequences", new JsonArray().add(s));
        } else if (stop instanceof JsonArray array && array.stream().allMatch(String.class::isInstance)) {
            generation.put("stopSequences", array.copy());
        } else if (stop != null) {
            throw ApiException.invalidRequest("stop", "'stop' must be a string or an array of strings.");
        }
        Object format = chat.getValue("response_format");
        if (format instanceof JsonObject f) {
            switch (String.valueOf(f.getValue("type"))) {
                case "text" -> {
                }
                case "json_object" -> generation.put("responseMimeType", "application/json");
                case "json_schema" -> {
                    if (!(f.getValue("json_schema") instanceof JsonObject js) || !(js.getValue("schema") instanceof JsonObject schema)) {
                        throw ApiException.invalidRequest("response_format.json_schema",
                                "'response_format.json_schema.schema' must be an object.");
                    }
                    generation.put("responseMimeType", "application/json").put("responseJsonSchema", schema);
                }
                default -> throw ApiException.invalidRequest("response_format.type", "'response_format.type' is "
                        + quoted(f.getValue("type")) + "; expected 'text', 'json_object' or 'json_schema'.");
            }
        } else if (format != null) {
            throw ApiException.invalidRequest("response_format", "'response_format' must be an object.");
        }
        return generation;
    }

    private static void copy(JsonObject chat, String field, JsonObject out, String as) {
        if (chat.getValue(field) != null) {
            out.put(as, chat.getValue(field));
        }
    }

    private static void tools(JsonObject chat, JsonObject out) {
        if (chat.getValue("tools") instanceof JsonArray tools && !tools.isEmpty()) {
            JsonArray declarations = new JsonArray();
            for (int i = 0; i < tools.size(); i++) {
                String where = "tools[" + i + "]";
                if (!(tools.getValue(i) instanceof JsonObject tool) || !"function".equals(tool.getValue("type"))
                        || !(tool.getValue("function") instanceof JsonObject function)
                        || !(function.getValue("name") instanceof String name)) {
                    throw ApiException.invalidRequest(where, "'" + where + "' must be a function tool with a name.");
                }
                JsonObject declaration = new JsonObject().put("name", name);
                if (function.getValue("description") instanceof String description) {
                    declaration.put("description", description);
                }
                if (function.getValue("parameters") instanceof JsonObject parameters) {
                    // The JSON Schema as the client wrote it; Gemini's own 'parameters' takes only an OpenAPI subset.
                    declaration.put("parametersJsonSchema", parameters);
                }
                declarations.add(declaration);
            }
            out.put("tools", new JsonArray().add(new JsonObject().put("functionDeclarations", declarations)));
        }
        Object choice = chat.getValue("tool_choice");
        if (choice == null) {
            return;
        }
        JsonObject calling = new JsonObject();
        if (choice instanceof String mode) {
            calling.put("mode", switch (mode) {
                case "none" -> "NONE";
                case "auto" -> "AUTO";
                case "required" -> "ANY";
                default -> throw ApiException.invalidRequest("tool_choice", "'tool_choice' is " + quoted(mode)
                        + "; expected 'none', 'auto', 'required' or a function.");
            });
        } else if (choice instanceof JsonObject c && c.getValue("function") instanceof JsonObject f
                && f.getValue("name") instanceof String name) {
            calling.put("mode", "ANY").put("allowedFunctionNames", new JsonArray().add(name));
        } else {
            throw ApiException.invalidRequest("tool_choice", "'tool_choice' must be 'none', 'auto', 'required' or a function.");
        }
        out.put("toolConfig", new JsonObject().put("functionCallingConfig", calling));
    }

    private static JsonObject thinking(Object effort, Map<String, Integer> budgets) {
        Integer budget = effort instanceof String s ? budgets.get(s.toLowerCase(Locale.ROOT)) : null;
        if (budget == null) {
            throw ApiException.invalidRequest("reasoning_effort", "'reasoning_effort' is " + quoted(effort)
                    + "; expected 'none', 'minimal', 'low', 'medium' or 'high'.");
        }
        // Thought summaries come back as reasoning_content; with no budget there are none to ask for.
        return new JsonObject().put("thinkingBudget", budget).put("includeThoughts", budget > 0);
    }

    private static ApiException unsupported(String field) {
        return ApiException.invalidRequest(field, "'" + field + "' is not supported by Gemini models.");
    }
}
