package dev.gearbox.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A request of one {@code input} to embed or classify: never streamed, answered by one JSON object without
 * choices, and sent upstream as the client wrote it with only {@code model} replaced. Its kinds differ only in
 * their operation and in how they check {@code input}.
 */
abstract sealed class InputRequest implements Request permits EmbeddingsRequest, ModerationsRequest {

    private final JsonObject body;
    private final String model;
    private final int sizeBytes;

    /** {@code body} as {@link #parseBody} returned it. */
    InputRequest(JsonObject body, int sizeBytes) {
        this.body = body;
        this.model = (String) body.getValue("model");
        this.sizeBytes = sizeBytes;
    }

    /** The body with the checks every kind shares: a string {@code model} if any, and an {@code input}. */
    static JsonObject parseBody(Buffer raw) {
        JsonObject body = JsonBody.parse(raw).json();
        Object model = body.getValue("model");
        if (model != null && !(model instanceof String)) {
            throw ApiException.invalidRequest("model", "'model' must be a string.");
        }
        if (body.getValue("input") == null) {
            throw ApiException.invalidRequest("input", "Missing required parameter: 'input'.");
        }
        return body;
    }

    @Override
    public final JsonObject body() {
        return body;
    }

    @Override
    public final String model() {
        return model;
    }

    @Override
    public final boolean stream() {
        return false;
    }

    @Override
    public final boolean clientWantsUsage() {
        return false;
    }

    @Override
    public final int sizeBytes() {
        return sizeBytes;
    }

    @Override
    public final int choices() {
        return 0;
    }

    @Override
    public final UpstreamBody toUpstream(String upstreamModel) {
        return UpstreamBody.of(body.copy().put("model", upstreamModel));
    }
}
