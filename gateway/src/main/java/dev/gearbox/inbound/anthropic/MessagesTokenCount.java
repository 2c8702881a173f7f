package dev.gearbox.inbound.anthropic;

import dev.gearbox.tokens.TokenCounter;
import dev.gearbox.wire.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * {@code POST /v1/messages/count_tokens}: the prompt's tokens, counted by the gateway's tokenizer on the
 * request's canonical form (tools included), so it answers for every model, Claude or not, without a call
 * upstream. Claude's own tokenizer is not public: for Claude models the count is an estimate, close to
 * what Anthropic bills but not equal to it.
 */
public final class MessagesTokenCount {

    private final TokenCounter tokens;

    private MessagesTokenCount(TokenCounter tokens) {
        this.tokens = tokens;
    }

    public static MessagesTokenCount of(TokenCounter tokens) {
        return new MessagesTokenCount(tokens);
    }

    /**
     * The count for a request body, as {@code {"input_tokens": n}}.
     *
     * @throws dev.gearbox.wire.ApiException (400) when the body is not a Messages request
     */
    public Buffer count(Buffer body) {
        JsonObject request = Json.request(body);
        if (!request.containsKey("max_tokens")) {
            // count_tokens takes no max_tokens; the translation checks everything else as for /v1/messages.
            request.put("max_tokens", 1);
        }
        JsonObject chat = MessagesToChatRequest.translate(request);
        int count = tokens.countMessages(chat.getJsonArray("messages"));
        if (chat.getValue("tools") != null) {
            count += tokens.count(chat.getJsonArray("tools").encode());
        }
        return new JsonObject().put("input_tokens", count).toBuffer();
    }
}
