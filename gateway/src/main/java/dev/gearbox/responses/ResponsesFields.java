package dev.gearbox.responses;

import dev.gearbox.wire.ApiException;
import io.vertx.core.json.JsonObject;

/** The string checks of a Responses request's nested objects, whose errors name the field by its path. */
final class ResponsesFields {

    private ResponsesFields() {
    }

    /** {@code object.field} as a string; a 400 naming {@code at.field} when it is missing or not a string. */
    static String requiredString(JsonObject object, String field, String at) {
        Object value = object.getValue(field);
        if (!(value instanceof String s)) {
            throw ApiException.invalidRequest(at + "." + field, value == null
                    ? "Missing required parameter: '" + at + "." + field + "'."
                    : "'" + at + "." + field + "' must be a string.");
        }
        return s;
    }

    /** {@code object.field}, which the caller knows is present, as a string; a 400 when it is not one. */
    static String presentString(JsonObject object, String field, String at) {
        Object value = object.getValue(field);
        if (!(value instanceof String s)) {
            throw ApiException.invalidRequest(at + "." + field, "'" + at + "." + field + "' must be a string.");
        }
        return s;
    }
}
