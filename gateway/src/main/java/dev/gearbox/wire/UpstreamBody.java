package dev.gearbox.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A request body on its way upstream: JSON to read or change, and the bytes to send.
 *
 * <p>When all the gateway changes is spliced into the client's own bytes, those bytes are sent as they
 * are, without building and encoding the JSON again. Once {@link #json()} is asked for, to read or to
 * change, the bytes are encoded from that JSON, so a change is never lost. Confined to one attempt.
 */
public final class UpstreamBody {

    private final Buffer spliced;
    private final Supplier<JsonObject> build;
    private JsonObject json;

    private UpstreamBody(Buffer spliced, Supplier<JsonObject> build) {
        this.spliced = spliced;
        this.build = build;
    }

    /** A body given as JSON; its bytes are encoded from it. */
    public static UpstreamBody of(JsonObject json) {
        Objects.requireNonNull(json, "json");
        return new UpstreamBody(null, () -> json);
    }

    /**
     * A body whose bytes are ready.
     *
     * @param bytes the body to send while nobody asks for its JSON
     * @param json builds the same body as JSON, when it is asked for
     */
    public static UpstreamBody spliced(Buffer bytes, Supplier<JsonObject> json) {
        return new UpstreamBody(Objects.requireNonNull(bytes, "bytes"), Objects.requireNonNull(json, "json"));
    }

    /** The body as JSON, built on first use; changes to it are what {@link #bytes()} sends. */
    public JsonObject json() {
        if (json == null) {
            json = build.get();
        }
        return json;
    }

    /** The bytes to send. */
    public Buffer bytes() {
        return json == null && spliced != null ? spliced : json().toBuffer();
    }
}
