package dev.gearbox.exchange;

import dev.gearbox.wire.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A whole answer: a chat completion or an embeddings list, as bytes in the canonical form, parsed only
 * when a stage asks for its JSON. Confined to the request's event loop.
 */
public final class WholeAnswer implements Answer {

    private final Buffer body;
    private final String contentType;
    private JsonObject json;

    private WholeAnswer(Buffer body, String contentType, JsonObject json) {
        this.body = Objects.requireNonNull(body, "body");
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.json = json;
    }

    /** An answer whose bytes came from upstream; {@code contentType} is the one to relay. */
    public static WholeAnswer of(Buffer body, String contentType) {
        return new WholeAnswer(body, contentType, null);
    }

    /** An answer built here, as from the cache, whose JSON is already at hand. */
    public static WholeAnswer of(Buffer body, JsonObject json) {
        return new WholeAnswer(body, "application/json", json);
    }

    public Buffer body() {
        return body;
    }

    public String contentType() {
        return contentType;
    }

    /** The body as JSON, parsed on first use. */
    public JsonObject json() {
        if (json == null) {
            json = Json.answer(body);
        }
        return json;
    }
}
