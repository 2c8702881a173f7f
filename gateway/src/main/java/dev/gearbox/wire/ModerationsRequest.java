package dev.gearbox.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A moderation request ({@code POST /v1/moderations}): text or image inputs to classify, never streamed. */
public final class ModerationsRequest extends InputRequest {

    private ModerationsRequest(JsonObject body, int sizeBytes) {
        super(body, sizeBytes);
    }

    /** Parses and checks a request body; throws {@link ApiException} (400) when it is unusable. */
    public static ModerationsRequest parse(Buffer raw) {
        JsonObject body = parseBody(raw);
        Object input = body.getValue("input");
        if (input instanceof JsonArray items) {
            if (items.isEmpty()) {
                throw ApiException.invalidRequest("input", "'input' must contain at least one item.");
            }
            for (int i = 0; i < items.size(); i++) {
                Object item = items.getValue(i);
                boolean text = item instanceof String
                        || item instanceof JsonObject o && "text".equals(o.getValue("type")) && o.getValue("text") instanceof String;
                boolean image = item instanceof JsonObject o && "image_url".equals(o.getValue("type"))
                        && o.getValue("image_url") instanceof JsonObject u && u.getValue("url") instanceof String;
                if (!text && !image) {
                    throw ApiException.invalidRequest("input[" + i + "]", "'input[" + i
                            + "]' must be a string, a text part or an image_url part.");
                }
            }
        } else if (!(input instanceof String)) {
            throw ApiException.invalidRequest("input", "'input' must be a string or an array of strings or parts.");
        }
        return new ModerationsRequest(body, raw.length());
    }

    @Override
    public Operation operation() {
        return Operation.MODERATIONS;
    }
}
