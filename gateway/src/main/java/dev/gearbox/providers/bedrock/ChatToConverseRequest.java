package dev.gearbox.providers.bedrock;

import static dev.gearbox.wire.JsonValues.quoted;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.wire.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A canonical chat request as a Bedrock Converse request: the turns by {@link ChatToConverseMessages}; sampling
 * in {@code inferenceConfig}; tools in {@code toolConfig}; a JSON {@code response_format} as one forced tool
 * whose input is the answer (Converse has no JSON mode); {@code reasoning_effort} as Claude's thinking budget
 * in {@code additionalModelRequestFields}, where the model is Claude and thinking is allowed. What Converse
 * cannot express is refused with a 400 naming the chat field.
 */
final class ChatToConverseRequest {

    /** The tool a JSON {@code response_format} is forced through, whose input is the answer. */
    static final String JSON_TOOL = "json_response";
    static final int DEFAULT_MAX_TOKENS = 4096;
    private static final int MIN_THINKING_BUDGET = 1024;
    private static final Map<String, Integer> THINKING_BUDGETS = Map.of("low", 1024, "medium", 4096, "high", 16384);
    private static final Set<String> KNOWN = Set.of("model", "messages", "max_tokens", "max_completion_tokens", "stop",
            "temperature", "top_p", "stream", "stream_options", "tools", "tool_choice", "parallel_tool_calls",
            "response_format", "reasoning_effort", "user", "n", "presence_penalty", "frequency_penalty", "logprobs", "store");

    private ChatToConverseRequest() {
    }

    /** @param routedEffort the effort the gateway chose, in place of the client's; null for none */
    static JsonObject translate(JsonObject chat, ModelConfig model, String routedEffort) {
        for (String field : chat.fieldNames()) {
            if (!KNOWN.contains(field)) {
                throw unsupported(field);
            }
        }
        refuseUnless(chat, "n", 1);
        refuseUnless(chat, "presence_penalty", 0);
        refuseUnless(chat, "frequency_penalty", 0);
        if (Boolean.TRUE.equals(chat.getValue("logprobs")) || Boolean.TRUE.equals(chat.getValue("store"))) {
            throw unsupported(Boolean.TRUE.equals(chat.getValue("logprobs")) ? "logprobs" : "store");
        }
        if (!(chat.getValue("messages") instanceof JsonArray chatMessages) || chatMessages.isEmpty()) {
            throw ApiException.invalidRequest("messages", "The request has no message a Bedrock model can be sent.");
        }
        ChatToConverseMessages.Turns turns = ChatToConverseMessages.of(chatMessages);
        JsonObject out = new JsonObject().put("messages", turns.messages());
        if (!turns.system().isEmpty()) {
            out.put("system", turns.system());
        }
        JsonObject inference = new JsonObject();
        Object max = chat.getValue("max_completion_tokens", chat.getValue("max_tokens"));
        if (max != null) {
            inference.put("maxTokens", max);
        }
        if (chat.getValue("temperature") != null) {
            inference.put("temperature", chat.getValue("temperature"));
        }
        if (chat.getValue("top_p") != null) {
            inference.put("topP", chat.getValue("top_p"));
        }
        Object stop = chat.getValue("stop");
        if (stop instanceof String s) {
            inference.put("stopSequences", new JsonArray().add(s));
        } else if (stop instanceof JsonArray array && array.stream().allMatch(String.class::isInstance)) {
            inference.put("stopSequences", array.copy());
        } else if (stop != null) {
            throw ApiException.invalidRequest("stop", "'stop' must be a string or an array of strings.");
        }
        tools(chat, out);
        thinking(chat, model, routedEffort, out, inference);
        if (!inference.isEmpty()) {
            out.put("inferenceConfig", inference);
        }
        return out;
    }

    private static void tools(JsonObject chat, JsonObject out) {
        JsonArray tools = new JsonArray();
        if (chat.getValue("tools") instanceof JsonArray chatTools) {
            for (int i = 0; i < chatTools.size(); i++) {
                String where = "tools[" + i + "]";
                if (!(chatTools.getValue(i) instanceof JsonObject tool) || !(tool.getValue("function") instanceof JsonObject f)
                        || !(f.getValue("name") instanceof String name)) {
                    throw ApiException.invalidRequest(where, "'" + where + "' must be a function tool with a name.");
                }
                tools.add(spec(name, f.getValue("description") instanceof String d ? d : null,
                        f.getValue("parameters") instanceof JsonObject p ? p : new JsonObject().put("type", "object")));
            }
        }
        JsonObject choice = null;
        Object chatChoice = chat.getValue("tool_choice");
        if ("required".equals(chatChoice)) {
            choice = new JsonObject().put("any", new JsonObject());
        } else if ("auto".equals(chatChoice)) {
            choice = new JsonObject().put("auto", new JsonObject());
        } else if ("none".equals(chatChoice)) {
            // Converse has no 'none': a request that may call no tool is sent without them.
            tools.clear();
        } else if (chatChoice instanceof JsonObject c && c.getValue("function") instanceof JsonObject f
                && f.getValue("name") instanceof String name) {
            choice = new JsonObject().put("tool", new JsonObject().put("name", name));
        } else if (chatChoice != null) {
            throw ApiException.invalidRequest("tool_choice", "'tool_choice' is " + quoted(chatChoice)
                    + "; expected 'none', 'auto', 'required' or a function.");
        }
        if (chat.getValue("response_format") instanceof JsonObject format && !"text".equals(format.getValue("type"))) {
            JsonObject schema = "json_schema".equals(format.getValue("type")) && format.getValue("json_schema") instanceof JsonObject js
                    && js.getValue("schema") instanceof JsonObject s ? s : new JsonObject().put("type", "object");
            if (!tools.isEmpty()) {
                throw ApiException.invalidRequest("response_format", "'response_format' with 'tools' is not supported by "
                        + "Bedrock models: Converse gives JSON through a tool of its own.");
            }
            tools.add(spec(JSON_TOOL, "Answer with the JSON the user asked for.", schema));
            choice = new JsonObject().put("tool", new JsonObject().put("name", JSON_TOOL));
        }
        if (!tools.isEmpty()) {
            JsonObject config = new JsonObject().put("tools", tools);
            if (choice != null) {
                config.put("toolChoice", choice);
            }
            out.put("toolConfig", config);
        }
    }

    private static JsonObject spec(String name, String description, JsonObject schema) {
        JsonObject spec = new JsonObject().put("name", name).put("inputSchema", new JsonObject().put("json", schema));
        if (description != null) {
            spec.put("description", description);
        }
        return new JsonObject().put("toolSpec", spec);
    }

    /**
     * Claude's thinking, the one Converse takes through {@code additionalModelRequestFields}. The client's own
     * effort is a 400 where it cannot be had; the gateway's own is left out there, as it never fails a request
     * for what its client did not ask: thinking refuses a changed temperature, a top_p below 0.95 and a forced
     * tool, and needs room below the output limit.
     */
    private static void thinking(JsonObject chat, ModelConfig model, String routedEffort, JsonObject out, JsonObject inference) {
        Object asked = routedEffort != null ? routedEffort : chat.getValue("reasoning_effort");
        if (asked == null) {
            return;
        }
        String level = asked instanceof String s ? s.toLowerCase(Locale.ROOT) : null;
        if ("none".equals(level) || "minimal".equals(level)) {
            return;
        }
        Integer budget = level == null ? null : THINKING_BUDGETS.get(level);
        boolean routed = routedEffort != null;
        if (budget == null) {
            throw ApiException.invalidRequest("reasoning_effort", "'reasoning_effort' is " + quoted(asked)
                    + "; expected 'none', 'minimal', 'low', 'medium' or 'high'.");
        }
        if (!isClaude(model.upstream())) {
            if (routed) {
                return;
            }
            throw ApiException.invalidRequest("reasoning_effort", "'reasoning_effort' is supported on Bedrock for Claude "
                    + "models only; '" + model.upstream() + "' takes none.");
        }
        int maxTokens = inference.getValue("maxTokens") instanceof Number n ? n.intValue()
                : model.maxOutputTokens() != null ? model.maxOutputTokens() : DEFAULT_MAX_TOKENS;
        int fitted = Math.min(budget, maxTokens - 1);
        boolean allowed = fitted >= MIN_THINKING_BUDGET
                && !(inference.getValue("temperature") instanceof Number t && t.doubleValue() != 1)
                && !(inference.getValue("topP") instanceof Number p && p.doubleValue() < 0.95)
                && !(out.getValue("toolConfig") instanceof JsonObject tc && tc.getValue("toolChoice") instanceof JsonObject c
                        && (c.containsKey("any") || c.containsKey("tool")));
        if (!allowed) {
            if (routed) {
                return;
            }
            throw ApiException.invalidRequest("reasoning_effort", "'reasoning_effort' needs thinking, which Claude refuses "
                    + "with a changed temperature or top_p, a forced tool or JSON output, or max_tokens of "
                    + MIN_THINKING_BUDGET + " or less.");
        }
        inference.put("maxTokens", maxTokens);
        out.put("additionalModelRequestFields", new JsonObject().put("thinking",
                new JsonObject().put("type", "enabled").put("budget_tokens", fitted)));
    }

    /** Claude's Bedrock ids, cross-region inference profiles ({@code us.anthropic.claude-...}) included. */
    static boolean isClaude(String upstream) {
        return upstream.contains("anthropic.claude");
    }

    private static void refuseUnless(JsonObject chat, String field, double allowed) {
        Object value = chat.getValue(field);
        if (value != null && !(value instanceof Number n && n.doubleValue() == allowed)) {
            throw unsupported(field);
        }
    }

    private static ApiException unsupported(String field) {
        return ApiException.invalidRequest(field, "'" + field + "' is not supported by Bedrock models.");
    }
}
