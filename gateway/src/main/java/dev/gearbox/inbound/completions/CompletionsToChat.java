package dev.gearbox.inbound.completions;

import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.ChatRequest;
import dev.gearbox.wire.NativeRequest;
import dev.gearbox.wire.WireFormat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * A legacy text completion request ({@code POST /v1/completions}) checked and translated to a chat completion
 * request: the prompt becomes one user message. What has no chat equivalent (several prompts in one call,
 * token prompts, {@code echo}, {@code suffix}, {@code best_of}, {@code logprobs}) is refused naming the field.
 */
final class CompletionsToChat {

    /** OpenAI's default for this endpoint, unlike chat completions, which have none. */
    static final int DEFAULT_MAX_TOKENS = 16;
    private static final Set<String> PASSED = Set.of("model", "max_tokens", "temperature", "top_p", "n", "stop",
            "presence_penalty", "frequency_penalty", "logit_bias", "seed", "user", "stream", "stream_options");
    private static final Set<String> REFUSED = Set.of("echo", "suffix", "best_of", "logprobs");

    private CompletionsToChat() {
    }

    static ChatRequest translate(JsonObject body, int sizeBytes) {
        JsonObject chat = new JsonObject();
        for (Map.Entry<String, Object> field : body) {
            String name = field.getKey();
            if (REFUSED.contains(name) && !refusedValueIsDefault(name, field.getValue())) {
                throw ApiException.invalidRequest(name, "'" + name + "' is not supported by this gateway's completions API.");
            }
            if (!PASSED.contains(name) && !REFUSED.contains(name) && !"prompt".equals(name)) {
                throw ApiException.invalidRequest(name, "Unknown parameter: '" + name + "'.");
            }
            if (PASSED.contains(name)) {
                chat.put(name, field.getValue());
            }
        }
        chat.put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt(body.getValue("prompt")))));
        if (!body.containsKey("max_tokens")) {
            chat.put("max_tokens", DEFAULT_MAX_TOKENS);
        }
        boolean stream = Boolean.TRUE.equals(body.getValue("stream"));
        if (body.getValue("stream_options") != null && !stream) {
            throw ApiException.invalidRequest("stream_options", "'stream_options' is only allowed when 'stream' is true.");
        }
        if (stream) {
            JsonObject options = body.getValue("stream_options") instanceof JsonObject o ? o.copy() : new JsonObject();
            // The gateway always learns the usage; the client sees the usage chunk only if it asked.
            chat.put("stream_options", options.put("include_usage", true));
        }
        return ChatRequest.translated(chat, new NativeRequest(WireFormat.OPENAI_COMPLETIONS, body, sizeBytes));
    }

    /** Whether the client asked for usage in a stream, before the gateway asked on its behalf. */
    static boolean clientWantsUsage(JsonObject body) {
        return body.getValue("stream_options") instanceof JsonObject o && Boolean.TRUE.equals(o.getValue("include_usage"));
    }

    private static boolean refusedValueIsDefault(String name, Object value) {
        return value == null || Boolean.FALSE.equals(value) || ("best_of".equals(name) && Integer.valueOf(1).equals(value))
                || ("suffix".equals(name) && "".equals(value));
    }

    private static String prompt(Object prompt) {
        if (prompt == null) {
            throw ApiException.invalidRequest("prompt", "Missing required parameter: 'prompt'.");
        }
        if (prompt instanceof String text) {
            return text;
        }
        if (prompt instanceof JsonArray prompts && prompts.size() == 1 && prompts.getValue(0) instanceof String text) {
            return text;
        }
        if (prompt instanceof JsonArray prompts && prompts.size() > 1 && prompts.stream().allMatch(p -> p instanceof String)) {
            throw ApiException.invalidRequest("prompt", "'prompt' holds " + prompts.size()
                    + " prompts; this gateway answers one prompt per request.");
        }
        throw ApiException.invalidRequest("prompt", "'prompt' must be a string or an array of one string; "
                + "token prompts are not supported by this gateway.");
    }
}
