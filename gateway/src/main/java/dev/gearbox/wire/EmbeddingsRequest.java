package dev.gearbox.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** An embeddings request, parsed once and checked for the fields the gateway relies on. */
public final class EmbeddingsRequest implements Request {

    private final JsonObject body;
    private final String model;
    private final int sizeBytes;

    private EmbeddingsRequest(JsonObject body, String model, int sizeBytes) {
        this.body = body;
        this.model = model;
        this.sizeBytes = sizeBytes;
    }

    /** Parses and checks a request body; throws {@link ApiException} (400) when it is unusable. */
    public static EmbeddingsRequest parse(Buffer raw) {
        JsonObject body = JsonBody.parse(raw).json();
        Object model = body.getValue("model");
        if (model != null && !(model instanceof String)) {
            throw ApiException.invalidRequest("model", "'model' must be a string.");
        }
        if (body.getValue("input") == null) {
            throw ApiException.invalidRequest("input", "Missing required parameter: 'input'.");
        }
        return new EmbeddingsRequest(body, (String) model, raw.length());
    }

    @Override
    public Operation operation() {
        return Operation.EMBEDDINGS;
    }

    @Override
    public JsonObject body() {
        return body;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean stream() {
        return false;
    }

    @Override
    public boolean clientWantsUsage() {
        return false;
    }

    @Override
    public int sizeBytes() {
        return sizeBytes;
    }

    @Override
    public int choices() {
        return 0;
    }

    @Override
    public UpstreamBody toUpstream(String upstreamModel) {
        return UpstreamBody.of(body.copy().put("model", upstreamModel));
    }
}
