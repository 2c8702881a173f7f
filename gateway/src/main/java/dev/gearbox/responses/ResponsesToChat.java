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
 *
 * <p>The work is split by job: {@link ResponsesInput} turns the input items into messages,
 * {@link ResponsesToolsAndFormat} the tools, tool choice and text format, and {@link ResponsesOptions} the
 * scalar options; this class owns which top-level fields are known and the request's own checks.
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
            ResponsesInput.appendItems(items, "input", messages);
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
        ResponsesToolsAndFormat.translate(body, chat);
        ResponsesOptions.translate(body, chat);
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
}
