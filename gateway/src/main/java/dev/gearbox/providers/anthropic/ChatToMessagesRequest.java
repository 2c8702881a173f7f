package dev.gearbox.providers.anthropic;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.providers.anthropic.ChatToMessagesTurns.Messages;
import dev.gearbox.wire.ApiException;
import io.vertx.core.json.JsonObject;
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
 *
 * <p>The work is split by job: {@link ChatToMessagesTurns} the messages and their content blocks,
 * {@link ChatToMessagesTools} the tools, tool choice and JSON format, {@link ChatToMessagesOptions} the sampling
 * options and thinking; this class owns which chat fields are known or refused, and the most tokens.
 */
final class ChatToMessagesRequest {

    /** The tool a JSON {@code response_format} is forced through, whose input is the answer. */
    static final String JSON_TOOL = "json_response";

    /** Used when neither the request nor the catalog gives the most tokens Anthropic requires. */
    static final int DEFAULT_MAX_TOKENS = 4096;

    /** Fields taken over or translated; every other chat field is refused. */
    private static final Set<String> KNOWN = Set.of("model", "messages", "max_tokens", "max_completion_tokens", "stop",
            "temperature", "top_p", "stream", "stream_options", "tools", "tool_choice", "parallel_tool_calls",
            "response_format", "reasoning_effort", "user", "n", "presence_penalty", "frequency_penalty", "logprobs",
            "store");

    private ChatToMessagesRequest() {
    }

    /**
     * The Messages body for {@code chat} on {@code model}; throws a 400 {@link ApiException} naming a field it
     * cannot express.
     *
     * @param routedEffort the reasoning effort the gateway chose, sent as a thinking budget in place of the
     *                     client's {@code reasoning_effort}; null for none
     */
    static JsonObject translate(JsonObject chat, ModelConfig model, String routedEffort) {
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
        Messages messages = ChatToMessagesTurns.messages(chat.getJsonArray("messages"));
        int maxTokens = maxTokens(chat, model);
        out.put("max_tokens", maxTokens);
        if (!messages.system().isEmpty()) {
            out.put("system", messages.system().size() == 1 && messages.system().getJsonObject(0).size() == 2
                    ? messages.system().getJsonObject(0).getString("text") : messages.system());
        }
        out.put("messages", messages.turns());
        ChatToMessagesOptions.sampling(chat, out);
        ChatToMessagesTools.translate(chat, out);
        if (routedEffort != null) {
            ChatToMessagesOptions.routedThinking(routedEffort, out, maxTokens);
        } else {
            ChatToMessagesOptions.thinking(chat.getValue("reasoning_effort"), out, maxTokens);
        }
        return out;
    }

    private static int maxTokens(JsonObject chat, ModelConfig model) {
        Object value = chat.getValue("max_completion_tokens", chat.getValue("max_tokens"));
        if (value instanceof Number n) {
            return n.intValue();
        }
        return model.maxOutputTokens() != null ? model.maxOutputTokens() : DEFAULT_MAX_TOKENS;
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
}
