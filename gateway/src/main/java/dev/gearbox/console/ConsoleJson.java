package dev.gearbox.console;

import dev.gearbox.wire.ApiException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How the console's API reads and writes JSON: never cached, since every answer is the gateway's state now. */
final class ConsoleJson {

    private ConsoleJson() {
    }

    static void send(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store").end(body.toBuffer());
    }

    /** The request's body as a JSON object; a 400 naming what is wrong otherwise. */
    static JsonObject body(RoutingContext rc) {
        try {
            JsonObject body = rc.body() == null || rc.body().length() == 0 ? null : rc.body().asJsonObject();
            if (body == null) {
                throw ApiException.invalidRequest(null, "The body is empty (expected: a JSON object).");
            }
            return body;
        } catch (DecodeException | ClassCastException e) {
            throw ApiException.invalidRequest(null, "The body is not a JSON object.");
        }
    }

    /** A string field of a body; a 400 naming it when it is missing or not a string. */
    static String string(JsonObject body, String field, boolean required) {
        Object value = body.getValue(field);
        if (value == null && !required) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw ApiException.invalidRequest(field, field + ": " + (value == null ? "missing" : "not a string")
                    + " (expected: text)");
        }
        return s;
    }
}
