package dev.gearbox.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** An embeddings request, parsed once and checked for the fields the gateway relies on. */
public final class EmbeddingsRequest extends InputRequest {

    private EmbeddingsRequest(JsonObject body, int sizeBytes) {
        super(body, sizeBytes);
    }

    /** Parses and checks a request body; throws {@link ApiException} (400) when it is unusable. */
    public static EmbeddingsRequest parse(Buffer raw) {
        return new EmbeddingsRequest(parseBody(raw), raw.length());
    }

    @Override
    public Operation operation() {
        return Operation.EMBEDDINGS;
    }
}
