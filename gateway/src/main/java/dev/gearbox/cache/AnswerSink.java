package dev.gearbox.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Hears an answer as it passes through to the client, to keep it. */
public interface AnswerSink {

    /** A whole (non-streaming) answer, parsed and as bytes. */
    void answer(JsonObject completion, Buffer body, String model, String provider);

    /** One event of a streamed answer, as relayed. */
    void event(Buffer data, String model, String provider);

    /** The answer is over; {@code complete} when it reached the client whole. Called exactly once. */
    void end(boolean complete);
}
