package dev.gearbox.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A complete, successful chat completion kept for replay, as JSON; a stream is replayed from it too.
 *
 * @param completion the completion, never changed after it is stored
 * @param body the completion's JSON bytes, served as they are to a non-streaming request
 * @param model the id of the model that answered
 * @param provider the provider that answered
 */
public record CachedAnswer(JsonObject completion, Buffer body, String model, String provider) {

    /** The bytes the entry holds, for the cache's byte bound. */
    public int weight() {
        // The parsed form costs about as much again as its bytes.
        return 2 * body.length() + 256;
    }
}
