package dev.gearbox.quality;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * What the quality log keeps of a request: who sent it, where it was routed and what answered, its
 * reasoning-need score, and the features the score reads ({@code routing.difficulty.FeatureRow}, encoded), so
 * a verdict or feedback on it can teach the score; its text only where the route keeps text.
 *
 * @param requestId its {@code x-request-id}
 * @param tenant the tenant whose key sent it; only that tenant may score it
 * @param route the route that chose its model
 * @param tier the tier of the model that answered
 * @param model the model that answered
 * @param difficulty its reasoning-need score, from 0 to 1
 * @param features its hashed features, encoded
 * @param at when it arrived
 * @param text its messages and the answer, or null where text is not kept
 */
public record RequestRecord(String requestId, String tenant, String route, String tier, String model, double difficulty,
                            String features, Instant at, Text text) {

    public RequestRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(at, "at");
        if (!(difficulty >= 0 && difficulty <= 1)) {
            throw new IllegalArgumentException("difficulty: " + difficulty + " (expected: from 0 to 1)");
        }
    }

    /**
     * The text of a request and its answer, kept only where a route (or the gateway) opts in.
     *
     * @param messages the request's messages, as the gateway read them
     * @param answer the answer the client got, as the judge reads it
     */
    public record Text(JsonArray messages, String answer) {
        public Text {
            Objects.requireNonNull(messages, "messages");
            Objects.requireNonNull(answer, "answer");
        }
    }

    /** The fields of the record, as a labels line carries them. */
    JsonObject toJson() {
        JsonObject out = new JsonObject().put("request_id", requestId).put("tenant", tenant).put("route", route)
                .put("tier", tier).put("model", model).put("difficulty", difficulty).put("features", features)
                .put("at", at.toString());
        if (text != null) {
            out.put("messages", text.messages()).put("answer", text.answer());
        }
        return out;
    }

    static RequestRecord fromJson(JsonObject json) {
        Text text = json.getValue("messages") instanceof JsonArray messages
                ? new Text(messages, json.getString("answer", "")) : null;
        return new RequestRecord(json.getString("request_id"), json.getString("tenant"), json.getString("route"),
                json.getString("tier"), json.getString("model"), json.getDouble("difficulty"), json.getString("features"),
                Instant.parse(json.getString("at")), text);
    }
}
