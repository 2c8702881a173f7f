package dev.gearbox.conversation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One response as the store keeps it, encoded, so its size is known and a shared store can hold the bytes as
 * they are.
 *
 * @param id the response's id
 * @param response the response object, as {@code GET /v1/responses/{id}} answers it
 * @param conversation every input and output item up to and including this response, in order: what a
 *     request continuing it is prefixed with
 */
public record StoredResponse(String id, Buffer response, Buffer conversation) {

    public StoredResponse {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(conversation, "conversation");
    }

    public static StoredResponse of(String id, JsonObject response, JsonArray conversation) {
        return new StoredResponse(id, response.toBuffer(), conversation.toBuffer());
    }

    /** The bytes it takes, for a store bounded in bytes. */
    public int sizeBytes() {
        return id.length() * 2 + response.length() + conversation.length();
    }

    public JsonArray conversationItems() {
        return new JsonArray(conversation);
    }
}
