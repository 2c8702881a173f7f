package dev.gearbox.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the request checks of every inbound API share: how a 400 names the value a client sent (so their errors
 * say it alike and never echo a long string whole), and what counts as an integer.
 */
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

    /** Whether {@code value} is a JSON integer from {@code min} to {@code max}: not a fraction, nor past a long. */
    public static boolean isInteger(Object value, long min, long max) {
        return (value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= min
                && ((Number) value).longValue() <= max;
    }

    /** A string quoted and cut at 40 characters; any other value (null, an object) as its JSON text. */
    public static String quoted(Object value) {
        return value instanceof String s ? "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'"
                : String.valueOf(value);
    }
}
