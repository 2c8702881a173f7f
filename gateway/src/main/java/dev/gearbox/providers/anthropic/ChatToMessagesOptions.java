package dev.gearbox.providers.anthropic;

import static dev.gearbox.wire.JsonValues.quoted;

import dev.gearbox.wire.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * A chat request's options as Messages takes them: stop sequences, sampling, streaming, the user, and
 * {@code reasoning_effort} as a thinking budget.
 */
final class ChatToMessagesOptions {

    /** Thinking budgets for {@code reasoning_effort}; Anthropic's minimum budget is 1024. */
    private static final Map<String, Integer> THINKING_BUDGETS = Map.of("low", 1024, "medium", 4096, "high", 16384);
    private static final int MIN_THINKING_BUDGET = 1024;

    private ChatToMessagesOptions() {
    }

    /** Puts the Messages fields for {@code chat}'s stop sequences, sampling, stream and user into {@code out}. */
    static void sampling(JsonObject chat, JsonObject out) {
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

    /** {@code reasoning_effort} as a thinking budget that fits below {@code maxTokens}; none for 'none' and 'minimal'. */
    static void thinking(Object effort, JsonObject out, int maxTokens) {
        if (effort == null) {
            return;
        }
        String level = effort instanceof String s ? s.toLowerCase(Locale.ROOT) : null;
        if ("none".equals(level) || "minimal".equals(level)) {
            return;
        }
        Integer budget = level == null ? null : THINKING_BUDGETS.get(level);
        if (budget == null) {
            throw ApiException.invalidRequest("reasoning_effort", "'reasoning_effort' is " + quoted(effort)
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

    /**
     * The gateway's own choice of effort as a thinking budget, where Anthropic allows thinking on this
     * request: its budget must fit below {@code maxTokens}, and thinking refuses a changed temperature or top_k,
     * a top_p below 0.95 and a forced tool (as JSON mode uses). Where it does not fit, the request goes without
     * thinking rather than fail for something its client never asked.
     */
    static void routedThinking(String effort, JsonObject out, int maxTokens) {
        Integer budget = THINKING_BUDGETS.get(effort);
        if (budget == null || Math.min(budget, maxTokens - 1) < MIN_THINKING_BUDGET || out.containsKey("top_k")
                || (out.getValue("temperature") instanceof Number t && t.doubleValue() != 1)
                || (out.getValue("top_p") instanceof Number p && p.doubleValue() < 0.95)
                || (out.getValue("tool_choice") instanceof JsonObject choice
                        && ("any".equals(choice.getValue("type")) || "tool".equals(choice.getValue("type"))))) {
            return;
        }
        out.put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", Math.min(budget, maxTokens - 1)));
    }
}
