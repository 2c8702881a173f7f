package dev.gearbox.routing;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** Whether a route's answers may be cached: never, when the request is deterministic (the default), or always. */
public enum CacheMode {
    OFF,
    DETERMINISTIC,
    ALWAYS;

    /** Reads {@code false}, {@code true} or {@code always}. */
    @JsonCreator
    public static CacheMode parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "false", "off" -> OFF;
            case "true", "deterministic" -> DETERMINISTIC;
            case "always" -> ALWAYS;
            default -> throw new IllegalArgumentException("cache: '" + text + "' (expected: true, false or always)");
        };
    }

    public String wireName() {
        return this == OFF ? "false" : this == DETERMINISTIC ? "true" : "always";
    }
}
