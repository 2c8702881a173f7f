package dev.gearbox.providers.simulated;

import dev.gearbox.providers.UpstreamResponse;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulated embeddings: a unit vector per input, derived from the input's text, so equal inputs embed
 * equally and different inputs almost surely differ.
 */
final class SimulatedEmbeddings {

    static final int DEFAULT_DIMENSIONS = 256;
    private static final int MAX_DIMENSIONS = 3072;

    private final TokenCounter tokens;

    SimulatedEmbeddings(TokenCounter tokens) {
        this.tokens = tokens;
    }

    UpstreamResponse answer(JsonObject body) {
        List<String> inputs = new ArrayList<>();
        Object input = body.getValue("input");
        if (input instanceof String s) {
            inputs.add(s);
        } else if (input instanceof JsonArray array && !array.isEmpty()) {
            if (array.getValue(0) instanceof Number) {
                inputs.add(array.encode());
            } else {
                for (Object item : array) {
                    if (item instanceof String s) {
                        inputs.add(s);
                    } else if (item instanceof JsonArray tokenIds) {
                        inputs.add(tokenIds.encode());
                    } else {
                        return error("input", "'input' must be a string, an array of strings, or an array of token arrays");
                    }
                }
            }
        } else {
            return error("input", "'input' is required: a string or a non-empty array");
        }
        int dimensions = DEFAULT_DIMENSIONS;
        if (body.getValue("dimensions") instanceof Number d) {
            dimensions = d.intValue();
            if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
                return error("dimensions", "'dimensions' is " + dimensions + " (expected: 1.." + MAX_DIMENSIONS + ")");
            }
        }
        boolean base64 = "base64".equals(body.getValue("encoding_format"));
        JsonArray data = new JsonArray();
        int promptTokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = vector(inputs.get(i), dimensions);
            promptTokens += tokens.count(inputs.get(i));
            data.add(new JsonObject().put("object", "embedding").put("index", i)
                    .put("embedding", base64 ? encode(vector) : toJson(vector)));
        }
        JsonObject response = new JsonObject().put("object", "list").put("data", data)
                .put("model", body.getValue("model"))
                .put("usage", new JsonObject().put("prompt_tokens", promptTokens).put("total_tokens", promptTokens));
        return SimulatedProvider.SimulatedResponse.json(200, response.toBuffer());
    }

    private static float[] vector(String text, int dimensions) {
        long seed = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            seed = (seed ^ b) * 0x100000001b3L;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            v[i] *= scale;
        }
        return v;
    }

    private static JsonArray toJson(float[] vector) {
        JsonArray out = new JsonArray(new ArrayList<>(vector.length));
        for (float f : vector) {
            out.add(f);
        }
        return out;
    }

    private static String encode(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
            bytes.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private static UpstreamResponse error(String param, String message) {
        JsonObject error = new JsonObject().put("error", new JsonObject().put("message", message)
                .put("type", "invalid_request_error").put("param", param).putNull("code"));
        return SimulatedProvider.SimulatedResponse.json(400, error.toBuffer());
    }
}
