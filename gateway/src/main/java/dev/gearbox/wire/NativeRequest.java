package dev.gearbox.wire;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A client's request as it sent it, in an API other than the canonical one.
 *
 * @param format the API it is in
 * @param body the parsed body, never changed; a translator that sends it natively copies it before setting
 *     the upstream model
 * @param sizeBytes the size of the body as the client sent it
 */
public record NativeRequest(WireFormat format, JsonObject body, int sizeBytes) {

    public NativeRequest {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(body, "body");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes: " + sizeBytes + " (expected: >= 0)");
        }
    }

    /**
     * This request with {@code tokens} as its most output, in the field its API names it by, unless it sets
     * one: a copy, since the body is never changed.
     */
    public NativeRequest withOutputLimit(int tokens) {
        String field = format == WireFormat.OPENAI_RESPONSES ? "max_output_tokens" : "max_tokens";
        if (body.getValue(field) instanceof Number) {
            return this;
        }
        JsonObject out = new JsonObject(new java.util.LinkedHashMap<>(body.getMap()));
        out.put(field, tokens);
        return new NativeRequest(format, out, sizeBytes);
    }

    /** The body to send to a provider that speaks this API natively: the client's, with only the model replaced. */
    public UpstreamBody toUpstream(String upstreamModel) {
        JsonObject out = new JsonObject(new java.util.LinkedHashMap<>(body.getMap()));
        out.put("model", upstreamModel);
        return UpstreamBody.of(out);
    }
}
