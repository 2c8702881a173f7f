package dev.gearbox.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** How a 400 names the value a client sent, so every API's errors say it alike and never echo a long string whole. */
public final class JsonValues {

    private JsonValues() {
    }

    /** A JSON value as an error message names it: "missing", a string quoted and cut at 40 characters, "an object". */
    public static String describe(Object value) {
        if (value == null) {
            return "missing";
        }
        if (value instanceof JsonObject) {
            return "an object";
        }
        if (value instanceof JsonArray) {
            return "an array";
        }
        return quoted(value);
    }

    /** A string quoted and cut at 40 characters; any other value (null, an object) as its JSON text. */
    public static String quoted(Object value) {
        return value instanceof String s ? "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'"
                : String.valueOf(value);
    }
}
