package dev.gearbox.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** JSON the gateway reads from upstream, within the limits an answer may need. */
public final class Json {

    private Json() {
    }

    /**
     * A client's request body as JSON, checked as strictly as a chat request's (strict UTF-8, one object,
     * finite numbers); throws {@link ApiException} (400) when it is unusable.
     */
    public static JsonObject request(Buffer body) {
        return JsonBody.parse(body).json();
    }

    /**
     * A whole answer as JSON, however long its strings (up to the body it came in).
     *
     * @throws IllegalArgumentException when the bytes are not one JSON object
     */
    public static JsonObject answer(Buffer body) {
        return JsonBody.answer(body);
    }
}
